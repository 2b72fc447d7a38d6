"""Bias in the sample market, and what an unbiased client would have decided instead.

``tandem generate --bias X`` (X in [0, 1]) makes clients penalise one group of one attribute
(by default ``gender = woman``) the way field studies found on real marketplaces (Hannák et
al., CSCW 2017: fewer reviews and lower ratings for women and Black workers):

- **decisions**: a client's utility for a member of the group drops by ``DECISION_PENALTY * X``
  at every stage (shortlist, interview, hire);
- **track record**: the group's past record is depressed: ``TRACK_JOBS_CUT * X`` fewer past
  jobs (and hours), ``TRACK_SUCCESS_CUT * X`` points off job success, ``TRACK_RATING_CUT * X``
  stars off rating, and reviews after a hire ``REVIEW_CUT * X`` stars lower. Clients read that
  record, so the penalty also reaches them through the record: the proxy a learned ranker
  picks up with no protected attribute among its features.

True skill (the hidden quality) is drawn before and independently of the group. Only people
who disclose the attribute are penalised: the generator draws the group only for them.

At ``X = 0`` nothing changes: these rules draw no random numbers, so the same seed gives the
same bytes as a generator without them. The counterfactual (:func:`unbiased_grades`) replays a
job's decisions with the unbiased utility and the *same* noise the biased clients drew
(common random numbers), drawing fresh noise from a separate stream only for people the
biased process never looked at in that stage. So at ``X = 0`` the unbiased outcomes are exactly
the outcomes in ``events.jsonl``, and the difference at ``X > 0`` is the bias alone.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

DECISION_PENALTY: Final = 1.2
TRACK_JOBS_CUT: Final = 0.5
TRACK_SUCCESS_CUT: Final = 8.0
TRACK_RATING_CUT: Final = 0.3
REVIEW_CUT: Final = 0.4
#: Grades as :mod:`tandem.learn.labels` gives them (an accepted invite counts as 1).
GRADES: Final = {"hire": 3, "interview": 2, "shortlist": 1, "invited": 1, "none": 0}


@dataclass(frozen=True)
class Bias:
    """How strongly clients penalise which group (``strength`` 0: not at all)."""

    strength: float = 0.0
    attribute: str = "gender"
    group: str = "woman"

    def __post_init__(self) -> None:
        if not 0.0 <= self.strength <= 1.0:
            raise ValueError(f"bias must be between 0 and 1, got {self.strength}")

    def hits(self, record: Mapping[str, Any]) -> bool:
        """Whether clients penalise this freelancer record."""
        attributes = record.get("attributes") or {}
        return self.strength > 0 and attributes.get(self.attribute) == self.group

    def depress(self, record: dict[str, Any]) -> None:
        """Lower a penalised person's past record in place (no random draws)."""
        x = self.strength
        jobs = int(record["total_jobs"])
        if jobs:
            kept = max(1, round(jobs * (1 - TRACK_JOBS_CUT * x)))
            record["total_hours"] = round(int(record["total_hours"]) * kept / jobs)
            record["total_jobs"] = kept
        if "job_success" in record:
            record["job_success"] = max(40, round(record["job_success"] - TRACK_SUCCESS_CUT * x))
        if "rating" in record:
            record["rating"] = round(max(1.0, record["rating"] - TRACK_RATING_CUT * x), 2)

    @property
    def penalty(self) -> float:
        """Utility a client takes off a member of the group at each stage."""
        return DECISION_PENALTY * self.strength

    @property
    def review_cut(self) -> float:
        """Stars a client takes off a member of the group's review after a hire."""
        return REVIEW_CUT * self.strength

    def as_dict(self) -> dict[str, Any]:
        """The parameters, written beside the truth file."""
        return {
            "bias": self.strength,
            "attribute": self.attribute,
            "group": self.group,
            "decision_penalty": DECISION_PENALTY * self.strength,
            "track_jobs_cut": TRACK_JOBS_CUT * self.strength,
            "track_success_cut": TRACK_SUCCESS_CUT * self.strength,
            "track_rating_cut": TRACK_RATING_CUT * self.strength,
            "review_cut": REVIEW_CUT * self.strength,
        }


@dataclass
class Trace:
    """What the biased clients drew for one job, so an unbiased client can reuse it."""

    noise: dict[str, dict[str, float]] = field(default_factory=dict)  # stage -> fid -> noise
    interviews: int = 0  # how many the client interviewed (0: never got that far)
    hired: bool = False


def gumbel(rng: random.Random, scale: float) -> float:
    """Gumbel noise, as the generator's clients draw it."""
    return -scale * math.log(-math.log(max(rng.random(), 1e-12)))


def _stage(
    pool: Sequence[str],
    utility: Mapping[str, float],
    drawn: Mapping[str, float],
    fresh: Callable[[], float],
) -> list[str]:
    noise = {fid: drawn[fid] if fid in drawn else fresh() for fid in pool}
    return sorted(pool, key=lambda fid: (-(utility[fid] + noise[fid]), fid))


def unbiased_grades(
    utility: Mapping[str, float],
    trace: Trace,
    *,
    shortlist_size: int,
    closed: bool,
    invited: set[str],
    rng: random.Random,
) -> dict[str, str]:
    """Each applicant's strongest outcome had the client used the unbiased ``utility``."""
    pool = sorted(utility)
    out = dict.fromkeys(pool, "none")
    noises = (("shortlist", 0.9), ("interview", 0.5), ("hire", 0.3))
    drawn = {stage: trace.noise.get(stage, {}) for stage, _ in noises}

    def fresh(scale: float) -> Callable[[], float]:
        return lambda: gumbel(rng, scale)

    shortlist = _stage(pool, utility, drawn["shortlist"], fresh(0.9))[:shortlist_size]
    out.update(dict.fromkeys(shortlist, "shortlist"))
    if closed and shortlist and trace.interviews:
        seen = _stage(shortlist, utility, drawn["interview"], fresh(0.5))[: trace.interviews]
        out.update(dict.fromkeys(seen, "interview"))
        if trace.hired:
            out[_stage(seen, utility, drawn["hire"], fresh(0.3))[0]] = "hire"
    for fid in invited & set(pool):
        if out[fid] == "none":
            out[fid] = "invited"
    return out
