"""Market styles: what varies from one real marketplace to another, as named, seeded knobs.

A ranker that learns one market must not depend on how one generator words things. A
:class:`MarketStyle` says, for one market, how job posts mark required against
nice-to-have skills (:data:`WORDINGS`), how heavily clients of each segment weigh each part
of the hidden hiring model (:class:`Segment`, keyed by the client's company size), how
steeply a price over budget hurts, how many people apply, and how cover letters are written
(:data:`LETTER_STYLES`). :data:`STYLES` names a few such markets.

The ``default`` style is the market the generator has always made: it draws nothing from
the style's own random stream, so the same seed still gives the same bytes. Every other
style draws its extra choices from a separate stream (``Generator.style_rng``), so the
market's people stay the same across styles (jobs drift apart once applicant counts differ).
A post that marks nothing (``classic``) has no nice-to-haves: its client requires every skill.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, TypeVar

from tandem.bundle import generator_params as P

Wording = Literal["classic", "must_have", "bullets", "required_colon", "prose", "field_only"]
#: How a post may mark required against nice-to-have skills.
WORDINGS: Final[tuple[Wording, ...]] = (
    "classic",  # one line names every skill; nothing is marked
    "must_have",  # "Must have: A, B. Nice to have: C."
    "bullets",  # a "Requirements:" header with bullets, then "Bonus:" bullets
    "required_colon",  # "Required: A and B. Preferred: C."
    "prose",  # "You need solid A and B; experience with C is a plus."
    "field_only",  # only the skills field holds the required skills; prose names the rest
)
LetterStyle = Literal["classic", "tailored", "generic"]
LETTER_STYLES: Final[tuple[LetterStyle, ...]] = ("classic", "tailored", "generic")

#: Weights of the hidden hiring model (the terms of ``Generator.utility``).
DEFAULT_WEIGHTS: Final[dict[str, float]] = {
    "coverage": 2.6,  # share of the required skills the person has
    "nice": 0.0,  # share of the nice-to-have skills
    "quality": 0.9,  # the hidden quality
    "rate": 1.1,  # price inside the budget
    "experience": 0.6,
    "language": 0.8,
    "track": 0.6,  # job success
    "letter": 0.0,  # a cover letter that addresses the job
}
#: Client segments by company size.
SEGMENT_OF_SIZE: Final[dict[str, str]] = {
    "1": "small",
    "2-9": "small",
    "10-99": "mid",
    "100-999": "large",
    "1000+": "large",
}


@dataclass(frozen=True)
class Segment:
    """Hidden hiring weights of one client segment (missing terms: the defaults)."""

    weights: dict[str, float] = field(default_factory=dict)

    def weight(self, term: str) -> float:
        """The weight of one term of the hiring model."""
        return self.weights.get(term, DEFAULT_WEIGHTS[term])


@dataclass(frozen=True)
class MarketStyle:
    """One market's knobs (see the module docstring); ``default`` is the classic market."""

    name: str = "default"
    #: Wordings a post may use, with their shares.
    wordings: tuple[tuple[Wording, float], ...] = (("classic", 1.0),)
    #: Chance that each skill after the first is nice-to-have rather than required.
    nice_share: float = 0.0
    #: Weights per segment (``small``, ``mid``, ``large``); a missing segment: the defaults.
    segments: dict[str, Segment] = field(default_factory=dict)
    #: Slope of the rate-fit loss over budget (1: a price twice the budget scores 0).
    price_sensitivity: float = 1.0
    #: Applicants per job: lognormal (log median, sigma).
    applicants: tuple[float, float] = P.APPLICANTS
    #: Cover-letter styles with their shares; ``tailored`` grows with hidden quality.
    letters: tuple[tuple[LetterStyle, float], ...] = (("classic", 1.0),)

    def __post_init__(self) -> None:
        if not 0.0 <= self.nice_share < 1.0:
            raise ValueError(f"nice_share must be in [0, 1), got {self.nice_share}")
        unknown = {w for w, _ in self.wordings} - set(WORDINGS)
        if unknown:
            raise ValueError(f"unknown wordings: {sorted(unknown)}")
        bad = {t for s in self.segments.values() for t in s.weights} - set(DEFAULT_WEIGHTS)
        if bad:
            raise ValueError(f"unknown hiring-model terms: {sorted(bad)}")

    @property
    def is_default(self) -> bool:
        """Whether this style draws nothing extra (the classic market, byte for byte)."""
        return (
            self.wordings == (("classic", 1.0),)
            and self.nice_share == 0.0
            and self.letters == (("classic", 1.0),)
        )

    def segment(self, company_size: str | None) -> Segment:
        """The hiring weights of a client of this company size."""
        return self.segments.get(SEGMENT_OF_SIZE.get(company_size or "", "mid"), Segment())

    def wording(self, rng: random.Random) -> Wording:
        """One post's wording."""
        return _pick(rng, self.wordings)

    def letter_style(self, rng: random.Random, quality: float) -> LetterStyle:
        """One letter's style: better freelancers tailor their letters more often."""
        shares = [(s, w * (2.0**quality if s == "tailored" else 1.0)) for s, w in self.letters]
        return _pick(rng, shares)

    def split(self, rng: random.Random, skills: Sequence[str]) -> tuple[list[str], list[str]]:
        """A job's skills as (required, nice-to-have); the first skill is always required."""
        if self.nice_share == 0.0:
            return list(skills), []
        required: list[str] = list(skills[:1])
        nice: list[str] = []
        for s in skills[1:]:
            (nice if rng.random() < self.nice_share else required).append(s)
        return required, nice


_T = TypeVar("_T")


def _pick(rng: random.Random, pairs: Sequence[tuple[_T, float]]) -> _T:
    if len(pairs) == 1:
        return pairs[0][0]
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs], k=1)[0]


_ALL_WORDINGS: Final = tuple((w, 1.0) for w in WORDINGS)

#: Named markets. ``default`` is the classic market; the others vary every knob.
STYLES: Final[dict[str, MarketStyle]] = {
    "default": MarketStyle(),
    # agencies: posts with headers and bullets, big clients who care about track records
    "agency": MarketStyle(
        name="agency",
        wordings=(("bullets", 0.5), ("required_colon", 0.3), ("must_have", 0.2)),
        nice_share=0.35,
        segments={
            "small": Segment({"rate": 1.6, "quality": 0.7}),
            "large": Segment({"track": 1.6, "experience": 1.2, "rate": 0.5, "nice": 0.5}),
        },
        price_sensitivity=1.5,
        applicants=(3.0, 0.8),
        letters=(("classic", 0.4), ("tailored", 0.3), ("generic", 0.3)),
    ),
    # a gig market: prose posts and the skills field, price-driven small clients, few applicants
    "gig": MarketStyle(
        name="gig",
        wordings=(("prose", 0.45), ("field_only", 0.35), ("classic", 0.2)),
        nice_share=0.3,
        segments={
            "small": Segment({"rate": 2.2, "coverage": 2.0}),
            "mid": Segment({"rate": 1.6}),
            "large": Segment({"letter": 0.6}),
        },
        price_sensitivity=2.5,
        applicants=(2.0, 0.9),
        letters=(("generic", 0.6), ("classic", 0.25), ("tailored", 0.15)),
    ),
    # a specialist market: every wording, nice-to-haves that matter, letters that matter
    "specialist": MarketStyle(
        name="specialist",
        wordings=_ALL_WORDINGS,
        nice_share=0.4,
        segments={
            "small": Segment({"letter": 0.8, "nice": 0.6}),
            "mid": Segment({"coverage": 3.2, "nice": 0.9}),
            "large": Segment({"experience": 1.4, "quality": 1.2}),
        },
        price_sensitivity=0.6,
        applicants=(2.6, 1.2),
        letters=(("tailored", 0.35), ("classic", 0.35), ("generic", 0.3)),
    ),
    # a crowded market: many applicants, must-have posts, letters and price both count
    "crowded": MarketStyle(
        name="crowded",
        wordings=(("must_have", 0.4), ("field_only", 0.3), ("bullets", 0.3)),
        nice_share=0.25,
        segments={
            "small": Segment({"letter": 0.5, "rate": 1.5}),
            "large": Segment({"track": 1.2, "letter": 0.4}),
        },
        price_sensitivity=1.2,
        applicants=(3.3, 0.7),
        letters=(("generic", 0.5), ("tailored", 0.25), ("classic", 0.25)),
    ),
}
