"""Protected attributes never become ranking features and are never shown to the ranked."""

from __future__ import annotations

import numpy as np

from tandem.access.projections import PRIVATE_FIELDS
from tandem.domain import MatchResult
from tandem.domain.results import JobResult, Reason, ServedItem
from tandem.engine import Engine
from tandem.explain.policy import moved_by_fairness
from tandem.rank.vector import COLUMNS, to_matrix


def _job_with_applicants(engine: Engine) -> str:
    for job in engine.store.jobs.iter_all():
        if len(engine.store.proposals.where(job_id=job.id)) >= 3:
            return job.id
    raise AssertionError("no job with applicants")


def test_no_feature_column_reads_an_attribute() -> None:
    names = " ".join(c.name for c in COLUMNS)
    for word in ("attribute", "gender", "ethnic", "race", "age", "religion", "disab"):
        assert word not in names.split("_") and word not in names.split()


def test_features_and_scores_ignore_attributes(loaded_engine: Engine) -> None:
    """Same person with other (or no) attributes: the same feature row, the same score."""
    job_id = _job_with_applicants(loaded_engine)
    matcher = loaded_engine.matcher
    view = matcher.view(loaded_engine.store.jobs.get(job_id))
    proposals = {p.freelancer_id: p for p in loaded_engine.store.proposals.where(job_id=job_id)}
    person = loaded_engine.store.freelancers.get(next(iter(proposals)))
    variants = [
        person.model_copy(update={"attributes": a})
        for a in (None, {"gender": "woman"}, {"gender": "man"}, {"ethnicity": "x", "age": "61"})
    ]
    rows = to_matrix(matcher.feature_rows(view, variants, proposals))
    assert all(np.array_equal(rows[0], r, equal_nan=True) for r in rows[1:])
    ranker = loaded_engine.ranker_for("applicants")
    scores = [c.scored.score for c in matcher.score(view, variants, ranker, proposals)]
    assert len(set(scores)) == 1


def test_served_shapes_have_no_attributes() -> None:
    for model in (MatchResult, JobResult, ServedItem, Reason):
        assert "attributes" not in model.model_fields
    assert "attributes" in PRIVATE_FIELDS


def test_the_fairness_reason_never_names_a_group() -> None:
    reason = moved_by_fairness(7, 2, "proportional")
    text = reason.model_dump_json().lower()
    assert "position 2, 7 by score" in reason.text and reason.contribution == 0.0
    for word in ("woman", "man ", "gender", "group woman", "non-binary"):
        assert word not in text
