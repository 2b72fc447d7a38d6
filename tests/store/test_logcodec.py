"""The decision log's compact payload: lossless, a few KB a ranking, and old payloads read."""

import json
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.store import logcodec
from tandem.store.db import json_param

_reason = st.fixed_dictionaries(
    {
        "code": st.text(max_size=12),
        "text": st.text(max_size=40),
        "kind": st.sampled_from(["positive", "negative", "neutral"]),
        "contribution": st.floats(allow_nan=False, allow_infinity=False),
        "evidence": st.lists(st.text(max_size=20), max_size=3),
    }
)
_result = st.fixed_dictionaries(
    {
        "id": st.text(max_size=12),
        "rank": st.integers(1, 100),
        "score": st.floats(allow_nan=False, allow_infinity=False),
        "reasons": st.lists(_reason, max_size=4),
        "sealed": st.none() | st.text(max_size=20),
    }
)
_ids = st.lists(
    st.text(max_size=10) | st.from_regex(r"[a-z]{0,2}[0-9]{1,20}", fullmatch=True), max_size=30
)


@settings(max_examples=200, deadline=None)
@given(candidates=_ids, results=st.lists(_result, max_size=5), top=st.integers())
def test_a_payload_reads_back_exactly(
    candidates: list[str], results: list[dict[str, Any]], top: int
) -> None:
    payload = {
        "request": {"job_id": "j1", "top": top},
        "candidates": candidates,
        "results": results,
    }
    assert logcodec.unpack(json.loads(json_param(logcodec.pack(payload)))) == payload


def _top_ten_match(rng: random.Random) -> dict[str, Any]:
    """A served top-10 match as the engine logs it: ~300 candidates, ~10 reasons a result."""
    people = sorted(f"f{rng.randrange(1, 10**6):06d}" for _ in range(300))
    results = []
    for rank, who in enumerate(rng.sample(people, 10), start=1):
        reasons = [
            {
                "code": code,
                "text": f"{code.replace('_', ' ')} {rng.randrange(100)} of the job's needs",
                "kind": rng.choice(["positive", "negative", "neutral"]),
                "contribution": round(rng.random() / 10, 6),
                "evidence": [f"{code}: seen in overview '{rng.randrange(10**5)}'"],
            }
            for code in ("skill_coverage", "missing_skills", "semantic_similarity",
                         "rate_vs_budget", "experience", "availability", "track_record",
                         "language", "timezone", "baseline")
        ]  # fmt: skip
        results.append({"id": who, "rank": rank, "score": 0.9, "reasons": reasons, "sealed": None})
    return {"request": {"job_id": "j000001", "top": 10}, "candidates": people, "results": results}


def test_a_top_ten_ranking_packs_under_five_kilobytes() -> None:
    payload = _top_ten_match(random.Random(4))
    packed = json_param(logcodec.pack(payload))
    assert len(packed.encode()) <= 5_000
    assert len(json_param(payload).encode()) > 3 * len(packed.encode())


def test_a_payload_of_the_first_format_reads_as_it_is() -> None:
    plain = {"request": {}, "candidates": ["a"], "results": []}
    assert logcodec.unpack(plain) is plain


def test_a_payload_of_a_newer_format_is_refused_not_misread() -> None:
    with pytest.raises(ValueError, match="newer"):
        logcodec.unpack({"v": 99, "z": ""})
