"""The bundle format v1: which files, in which order, holding which records."""

from __future__ import annotations

from typing import Final

from tandem.domain import Client, Event, Freelancer, Job, Proposal, Record

#: Files in import order: referenced records come before the records that reference them.
FILES: Final[tuple[tuple[str, type[Record]], ...]] = (
    ("clients", Client),
    ("freelancers", Freelancer),
    ("jobs", Job),
    ("proposals", Proposal),
    ("events", Event),
)
REQUIRED: Final[frozenset[str]] = frozenset({"freelancers", "jobs"})


def missing_files(present: set[str]) -> str:
    """What a bundle lacks, in the terms of whoever made it ("" when nothing required is).

    ``present`` are the file names it has (``jobs.jsonl``). Said without any path: an upload
    is unpacked into a server's temporary directory, a name that means nothing to the person
    who chose the files (and tells them about the server).
    """
    missing = [f"{n}.jsonl" for n in sorted(REQUIRED) if f"{n}.jsonl" not in present]
    if not missing:
        return ""
    needs = " and ".join(f"{n}.jsonl" for n in sorted(REQUIRED))
    known = {f"{n}.jsonl" for n, _ in FILES}
    has = sorted(present & known)
    found = f"it has {', '.join(has)}" if has else "it has no bundle file"
    lacks = " and ".join(missing)
    return f"a bundle needs {needs}; {found}: add {lacks} (the other files are optional)"
