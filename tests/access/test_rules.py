"""Refusals name the rule in plain words."""

from __future__ import annotations

import pytest

from tandem.access import Identity
from tandem.access.rules import DOING, Action, allowed, decide, who_may
from tandem.errors import PermissionDeniedError


def test_a_refusal_reads_as_english() -> None:
    with pytest.raises(PermissionDeniedError, match="^an auditor may not do import$"):
        decide(Identity("u1", "auditor"), Action.IMPORT)
    with pytest.raises(PermissionDeniedError, match="^a client may not do import$"):
        decide(Identity("u2", "client", client_id="c1"), Action.IMPORT)


def test_every_action_has_words_and_a_refusal_says_who_can() -> None:
    assert set(DOING) == set(Action)
    assert who_may(Action.MODEL_CARD) == "operators and auditors"
    assert who_may(Action.JOB_WRITE) == "operators and clients, for their own jobs"
    with pytest.raises(PermissionDeniedError) as refused:
        decide(Identity("u1", "auditor"), Action.JOB_WRITE)
    assert refused.value.plain == (
        "As an auditor you can't post, edit or close jobs. "
        "Who can: operators and clients, for their own jobs."
    )
    assert "job.write" in str(refused.value)  # the API and the CLI keep the action's name


def test_an_auditor_reads_no_people_only_job_posts_the_log_and_audits() -> None:
    """Issue 14: the auditor's part is the fairness report and the decision log, no people."""
    auditor = Identity("u1", "auditor")
    people = (
        Action.JOB_MATCHES,
        Action.JOB_APPLICANTS,
        Action.PROFILES_READ,
        Action.RECOMMENDATIONS,
        Action.PAIR_FIT,
        Action.SEARCH_TALENT,
    )
    for action in people:
        assert not allowed(auditor, action) and not allowed(auditor, action, owns=True), action
    readable = (Action.JOBS_READ, Action.SEARCH_JOBS, Action.DECISION_READ, Action.AUDIT_REPORT)
    assert all(allowed(auditor, action) for action in readable)
    assert who_may(Action.SEARCH_TALENT) == "operators and clients"
