"""Feature families flattened into the named numeric vector a learned ranker trains on.

Each column belongs to one family, so a model's per-column contributions add
up into the same families (and so the same human reasons) the heuristic uses.
Unknown values are NaN, which LightGBM treats as missing rather than as zero.

Two tasks read different columns. **Applicants** (a client triaging the people
who applied) may use what an application says: the bid, the cover letter, being
invited. **Discovery** (who should this client invite?) may not: nobody in the
talent pool is worse for not having applied, so its model never sees those
columns, and its features are computed as if nobody had applied.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

from tandem.domain.results import TASKS as TASKS  # re-exported: the tasks' home is the domain
from tandem.domain.results import Task as Task
from tandem.rank.base import MatchFeatures

NAN = math.nan
LEVELS = {"entry": 0.0, "intermediate": 1.0, "expert": 2.0}


def _share(f: MatchFeatures, how: str) -> float:
    total = len(f.skills.hits) + len(f.skills.missing)
    return NAN if total == 0 else sum(1 for h in f.skills.hits if h.how == how) / total


def _opt(value: float | None) -> float:
    return NAN if value is None else float(value)


def _price_ratio(f: MatchFeatures) -> float:
    top = f.rate.budget_max_usd or f.rate.budget_min_usd
    if f.rate.price_usd is None or not top:
        return NAN
    return f.rate.price_usd / top


class Column(NamedTuple):
    """One feature column: its name, its family, and how to read it."""

    name: str
    family: str
    read: Callable[[MatchFeatures], float]


COLUMNS: Final[tuple[Column, ...]] = (
    Column("skill_coverage", "skills", lambda f: f.skills.score),
    Column(
        "job_skill_count", "skills", lambda f: float(len(f.skills.hits) + len(f.skills.missing))
    ),
    Column("skills_listed_share", "skills", lambda f: _share(f, "listed")),
    Column("skills_mentioned_share", "skills", lambda f: _share(f, "mentioned")),
    Column("skills_related_share", "skills", lambda f: _share(f, "related")),
    Column(
        "skills_missing_share",
        "skills",
        lambda f: (
            NAN
            if not (f.skills.hits or f.skills.missing)
            else len(f.skills.missing) / (len(f.skills.hits) + len(f.skills.missing))
        ),
    ),
    Column("skills_inferred", "skills", lambda f: float(f.skills.inferred)),
    Column("required_coverage", "skills", lambda f: _opt(f.requirements.required)),
    Column("nice_coverage", "skills", lambda f: _opt(f.requirements.nice)),
    Column("requirements_marked", "skills", lambda f: float(f.requirements.marked)),
    Column("semantic_cosine", "semantic", lambda f: f.semantic_cosine),
    Column("rate_fit", "rate", lambda f: f.rate.score),
    Column("price_vs_budget", "rate", _price_ratio),
    Column("over_budget", "rate", lambda f: float(f.rate.status == "over")),
    Column("no_budget", "rate", lambda f: float(f.rate.status == "no_budget")),
    Column("price_is_bid", "rate", lambda f: float(f.rate.source == "bid")),
    Column("experience_fit", "experience", lambda f: f.experience.score),
    Column("experience_years", "experience", lambda f: _opt(f.experience.years)),
    Column("job_level", "experience", lambda f: LEVELS.get(f.experience.level or "", NAN)),
    Column("availability_fit", "availability", lambda f: f.availability.score),
    Column("hours_offered", "availability", lambda f: _opt(f.availability.offered)),
    Column("success_shrunk", "record", lambda f: f.record.shrunk_success),
    Column("rating_shrunk", "record", lambda f: f.record.shrunk_rating),
    Column("jobs_log", "record", lambda f: math.log1p(f.record.jobs)),
    Column("newcomer", "record", lambda f: float(f.record.newcomer)),
    Column("past_hires_log", "record", lambda f: math.log1p(f.past.hires)),
    Column("past_review_mean", "record", lambda f: _opt(f.past.mean_review)),
    Column("language_fit", "language", lambda f: f.language.score),
    Column("timezone_fit", "timezone", lambda f: f.timezone.score),
    Column("hours_apart", "timezone", lambda f: _opt(f.timezone.hours_apart)),
    Column("applied", "proposal", lambda f: float(f.proposal.applied)),
    Column("invited", "proposal", lambda f: float(f.proposal.invited)),
    Column("letter_words_log", "proposal", lambda f: math.log1p(f.proposal.letter_words)),
    Column("letter_skill_share", "proposal", lambda f: f.proposal.letter_skill_share),
    Column("letter_echo", "proposal", lambda f: _opt(f.proposal.letter_echo)),
    Column("letter_title_share", "proposal", lambda f: _opt(f.proposal.letter_title_share)),
    Column(
        "hours_to_apply_log",
        "proposal",
        lambda f: (
            math.log1p(f.proposal.hours_to_apply) if f.proposal.hours_to_apply is not None else NAN
        ),
    ),
    Column("bid_vs_rate", "proposal", lambda f: _opt(f.proposal.bid_vs_rate)),
)
FEATURE_NAMES: Final[tuple[str, ...]] = tuple(c.name for c in COLUMNS)
FAMILY_OF: Final[dict[str, str]] = {c.name: c.family for c in COLUMNS}

#: Columns that only exist because someone applied (the ``proposal`` family and the bid).
APPLICATION_COLUMNS: Final[frozenset[str]] = frozenset(
    {c.name for c in COLUMNS if c.family == "proposal"} | {"price_is_bid"}
)
TASK_COLUMNS: Final[dict[Task, tuple[Column, ...]]] = {
    "applicants": COLUMNS,
    "discovery": tuple(c for c in COLUMNS if c.name not in APPLICATION_COLUMNS),
}
#: Directions a learned model must respect (+1: never worse for more of it; -1: for less).
#: More skill coverage, a closer profile, a rate inside the budget, enough experience and
#: hours, a shared language or an overlapping clock never lower a score: a tree ensemble
#: left free learns such inversions from sparse corners of the data and then states them
#: as reasons. The track record is left free (shrunk already, and a proxy of history).
MONOTONE: Final[dict[str, int]] = {
    "skill_coverage": 1,
    "required_coverage": 1,
    "nice_coverage": 1,
    "skills_missing_share": -1,
    "semantic_cosine": 1,
    "rate_fit": 1,
    "over_budget": -1,
    "experience_fit": 1,
    "availability_fit": 1,
    "language_fit": 1,
    "timezone_fit": 1,
}


def task_of_columns(names: Sequence[str]) -> Task | None:
    """The task whose column list is exactly ``names`` (None: neither)."""
    for task, columns in TASK_COLUMNS.items():
        if list(names) == [c.name for c in columns]:
            return task
    return None


def to_matrix(
    features: Sequence[MatchFeatures], columns: Sequence[Column] = COLUMNS
) -> npt.NDArray[np.float64]:
    """One row per pair, one column per entry of ``columns`` (all of :data:`COLUMNS`)."""
    out = np.empty((len(features), len(columns)), dtype=np.float64)
    for i, f in enumerate(features):
        out[i] = [c.read(f) for c in columns]
    return out
