"""Refusals name the rule in plain words."""

from __future__ import annotations

import pytest

from tandem.access import Identity
from tandem.access.rules import DOING, RULES, Action, allowed, decide, who_may
from tandem.errors import PermissionDeniedError


def test_a_refusal_reads_as_english() -> None:
    with pytest.raises(PermissionDeniedError) as refused:
        decide(Identity("u1", "auditor"), Action.IMPORT)
    assert str(refused.value) == "As an auditor you can't import data. Who can: operators."
    assert refused.value.action == "import"  # the rule's name, for code and logs only
    with pytest.raises(PermissionDeniedError, match="^As a client you can't import data"):
        decide(Identity("u2", "client", client_id="c1"), Action.IMPORT)


def test_a_refusal_of_someone_elses_object_says_only_ones_own() -> None:
    """A freelancer may see recommendations, only their own: the refusal says so, plainly."""
    me = Identity("u3", "freelancer", freelancer_id="f1")
    with pytest.raises(PermissionDeniedError) as refused:
        decide(me, Action.RECOMMENDATIONS, owns=False, what="profile 'f2'")
    assert str(refused.value) == (
        "As a freelancer you can see the jobs recommended to a freelancer only for yourself, "
        "not for profile 'f2'. Who can: operators and freelancers, for themselves."
    )
    client = Identity("u4", "client", client_id="c1")
    with pytest.raises(PermissionDeniedError, match="export .* only for your own client's"):
        decide(client, Action.PERSON_EXPORT, owns=False, what="client 'c2'")


def test_no_refusal_names_an_internal_action() -> None:
    """Whatever the role and action, a person reads words, never ``profile.recommendations``."""
    roles = ("operator", "auditor", "client", "freelancer")
    for role in roles:
        who = Identity("u", role, client_id="c1", freelancer_id="f1")  # type: ignore[arg-type]
        for action in Action:
            if allowed(who, action) or RULES[action].private:
                continue
            with pytest.raises(PermissionDeniedError) as refused:
                decide(who, action, what="that")
            said = str(refused.value)
            named = "." in action.value and action.value in said  # "import" is a word too
            assert not named and "Who can: " in said, (role, action, said)


def test_every_action_has_words_and_a_refusal_says_who_can() -> None:
    assert set(DOING) == set(Action)
    assert who_may(Action.MODEL_CARD) == "operators and auditors"
    assert who_may(Action.JOB_WRITE) == "operators and clients, for their own jobs"
    with pytest.raises(PermissionDeniedError) as refused:
        decide(Identity("u1", "auditor"), Action.JOB_WRITE)
    assert str(refused.value) == (
        "As an auditor you can't post, edit or close jobs. "
        "Who can: operators and clients, for their own jobs."
    )


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


def test_a_private_action_hides_only_others_objects_from_those_who_may_see_their_own() -> None:
    """README: an auditor's matches *or applicants* are 403; another client's applicants 404."""
    from tandem.errors import NotFoundError

    auditor = Identity("u1", "auditor")
    for action in (Action.JOB_MATCHES, Action.JOB_APPLICANTS):
        with pytest.raises(PermissionDeniedError, match="^As an auditor you can't see a job's"):
            decide(auditor, action, what="job 'j1'")
    with pytest.raises(PermissionDeniedError, match="^As a freelancer you can't see a job's"):
        decide(Identity("u2", "freelancer", freelancer_id="f1"), Action.JOB_APPLICANTS)
    with pytest.raises(NotFoundError, match="^no applicants of job 'j1' to show you") as hidden:
        decide(Identity("u3", "client", client_id="c1"), Action.JOB_APPLICANTS, what="job 'j1'")
    assert "no job" not in str(hidden.value)  # the job is public: never said to be missing
    with pytest.raises(NotFoundError, match="^no decision 'r1' here$"):
        decide(Identity("u3", "client", client_id="c1"), Action.DECISION_READ, what="decision 'r1'")
