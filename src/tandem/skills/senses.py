"""Words of the work an ambiguous acronym's technical sense is done with.

"AD" is Active Directory and an ad; "CV" is computer vision and a résumé; "DSP" is signal
processing and a demand-side platform (:func:`tandem.skills.extract.ambiguous_acronyms` reads
which acronyms are ambiguous from the taxonomy). The extractor keeps the technical sense when
another technical skill is named or a noun of technical work follows the acronym ("CV
engineer"); a request often names neither, only the things that work is done with: "Set up
AD and group policies for 40 users", "CV model to count cars from the camera", "DSP with FFT
filters". Those things are no skills of the taxonomy (a group policy, a camera), so they are
listed here, for the technical sense of each acronym, in words no ad, résumé or ad-tech
platform uses. An acronym the taxonomy makes ambiguous later and that is not listed keeps the
extractor's two other signs.
"""

from __future__ import annotations

import re

#: Skill -> what its work is done with (the words of its technical sense).
CONTEXT: dict[str, re.Pattern[str]] = {
    "Active Directory": re.compile(  # acronyms in capitals only: "ou" is French, "dc" a city
        r"\b(?:GPOs?|LDAPS?|OUs?|SSO|DNS|DHCP|(?i:group\s+polic(?:y|ies)|domain\s+"
        r"(?:controllers?|join(?:ed|ing)?|admins?|users?|accounts?)|kerberos|organi[sz]ational"
        r"\s+units?|user\s+accounts?|users\s+and\s+groups|security\s+groups?|windows\s+"
        r"server|single\s+sign[- ]on|entra|forests?\s+and\s+domains?))\b"
    ),
    "Computer Vision": re.compile(
        r"\b(?:cameras?|pixels?|segmentation|bounding\s+box(?:es)?|video\s+(?:feeds?|frames?|"
        r"streams?)|image\s+(?:classification|datasets?|recognition|labell?ing)|"
        r"(?:labell?ed|annotated)\s+images|YOLO\w*|OpenCV|object\s+detection|"
        r"neural\s+networks?|CNNs?)\b",
        re.IGNORECASE,
    ),
    "Signal Processing": re.compile(
        r"\b(?:FFT|FIR|IIR|(?:digital|low-?pass|high-?pass|band-?pass)\s+filters?|"
        r"sampl(?:e|ing)\s+rates?|spectr(?:um|al|ogram)|frequency\s+(?:response|domain)|"
        r"ADCs?|DACs?|audio\s+signals?|signals?\s+chain|MATLAB|FPGA|firmware)\b",
        re.IGNORECASE,
    ),
}


def technical_context(name: str, text: str) -> bool:
    """Whether ``text`` names a thing the technical skill ``name``'s work is done with."""
    pattern = CONTEXT.get(name)
    return pattern is not None and pattern.search(text) is not None
