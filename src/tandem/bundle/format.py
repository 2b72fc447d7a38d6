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
