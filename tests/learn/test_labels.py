import os
import subprocess
import sys
from datetime import UTC, datetime

from tandem.domain import Event, Proposal
from tandem.learn.labels import EXAMINED_POSITIONS, graded_labels


def _e(i: int, kind: str, f: str, day: int = 2, **kw: object) -> Event:
    return Event.model_validate(
        {
            "id": f"e{i}",
            "ts": f"2026-01-{day:02d}T00:00:00Z",
            "type": kind,
            "job_id": "j",
            "freelancer_id": f,
            **kw,
        }
    )


def _p(f: str, day: int = 1) -> Proposal:
    return Proposal.model_validate(
        {
            "id": f"p{f}",
            "job_id": "j",
            "freelancer_id": f,
            "created_at": f"2026-01-{day:02d}T00:00:00Z",
        }
    )


def test_strongest_event_wins_and_accepted_invites_count() -> None:
    events = [
        _e(1, "shortlist", "a"),
        _e(2, "interview", "a"),
        _e(3, "hire", "a"),
        _e(4, "invite", "b"),
        _e(5, "invite", "c"),
        _e(6, "message", "d"),
    ]
    labels = graded_labels(events, [_p("a"), _p("b"), _p("e")])
    grades = {f: lab.grade for (_, f), lab in labels.items()}
    assert grades == {"a": 3, "b": 1, "d": 1, "e": 0}  # c was invited but never applied
    assert labels[("j", "e")].applied and not labels[("j", "d")].applied


def test_only_examined_impressions_become_negatives() -> None:
    events = [
        _e(1, "impression", "x", position=1),
        _e(2, "impression", "y", position=EXAMINED_POSITIONS + 5),
    ]
    labels = graded_labels(events, [])
    assert ("j", "x") in labels and ("j", "y") not in labels


def test_cutoff_and_consent() -> None:
    events = [_e(1, "hire", "a", day=5), _e(2, "shortlist", "b", day=2)]
    before = graded_labels(events, [_p("a"), _p("b")], before=datetime(2026, 1, 3, tzinfo=UTC))
    assert before[("j", "a")].grade == 0 and before[("j", "b")].grade == 1
    assert ("j", "b") not in graded_labels(events, [_p("a"), _p("b")], excluded={"b"})


def test_a_decline_is_a_negative_at_any_rank_but_never_beats_a_stronger_event() -> None:
    events = [
        _e(1, "decline", "low", position=EXAMINED_POSITIONS + 20),
        _e(2, "shortlist", "both"),
        _e(3, "decline", "both", day=3),
    ]
    labels = graded_labels(events, [])
    assert labels[("j", "low")].grade == 0  # seen and refused, though shown low
    assert labels[("j", "both")].grade == 1


def test_served_impressions_count_only_on_a_ranking_the_client_decided_on() -> None:
    viewed = [
        _e(1, "impression", "x", position=1, request_id="r-viewed"),
        _e(2, "click", "x", position=1, request_id="r-viewed"),
    ]
    assert graded_labels(viewed, []) == {}  # a page view and a click write no label
    decided = [
        _e(3, "impression", "y", position=1, request_id="r-decided"),
        _e(4, "impression", "z", position=2, request_id="r-decided"),
        _e(5, "shortlist", "z", request_id="r-decided"),
    ]
    grades = {f: lab.grade for (_, f), lab in graded_labels(viewed + decided, []).items()}
    assert grades == {"y": 0, "z": 1}


def test_labels_follow_the_proposals_order_whatever_the_hash_seed() -> None:
    """The labels' order is the training rows' order: it must not vary between processes."""
    code = (
        "from tests.learn.test_labels import _p\n"
        "from tandem.learn.labels import graded_labels\n"
        "ids = [f'f{i:03d}' for i in range(60, 0, -1)]\n"
        "print(','.join(f for _, f in graded_labels([], [_p(f) for f in ids])))\n"
    )
    orders = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        orders.add(run.stdout.strip())
    assert orders == {",".join(f"f{i:03d}" for i in range(60, 0, -1))}
