"""Rate words for rows the bounds of trial 18 came too late for: never "inf", never a
sentence that says amounts were compared in USD when a currency had no reference rate."""

from __future__ import annotations

from typing import Any

from tandem.domain import Freelancer, Job
from tandem.domain.fields import STORED
from tandem.explain import rate_text
from tandem.explain.rates import COMPARED, NO_REFERENCE_RATE, rate_evidence
from tandem.rank.features import rate_fit


def _stored_freelancer(**kw: Any) -> Freelancer:
    base = {"id": "f", "name": "N", "hourly_rate": 10, "country": "DE"}
    data = {**base, "joined_at": "2024-01-01T00:00:00Z", **kw}
    return Freelancer.model_validate(data, context=STORED)


def _stored_job(**kw: Any) -> Job:
    data = {"id": "j", "title": "T", "created_at": "2026-06-01T12:00:00Z", **kw}
    return Job.model_validate(data, context=STORED)


def test_a_stored_absurd_job_never_reads_inf() -> None:
    job = _stored_job(
        budget={"type": "fixed", "max": 1e308}, duration_weeks=1e308, hours_per_week=40
    )
    text = rate_text(rate_fit(job, _stored_freelancer()))
    assert "inf" not in text and "nan" not in text, text
    assert text.startswith("Est. more than 1,000,000,000,000 h at $10/h"), text


def test_a_stored_absurd_rate_is_said_as_more_than_and_its_ratio_too() -> None:
    job = _stored_job(budget={"type": "hourly", "max": 10})
    text = rate_text(rate_fit(job, _stored_freelancer(hourly_rate=1e308)))
    assert text == "Rate more than $1,000,000,000,000/h is more than 1,000x the $10/h budget"


def test_large_allowed_numbers_read_as_plain_amounts() -> None:
    job = _stored_job(budget={"type": "fixed", "max": 1e9}, duration_weeks=520, hours_per_week=168)
    text = rate_text(rate_fit(job, _stored_freelancer(hourly_rate=100_000)))
    assert (
        text == "Est. 87360 h at $100,000/h = $8,736,000,000, 8.7x the $1,000,000,000 fixed budget"
    )


def test_an_unknown_stored_currency_is_named_as_the_reason_nothing_was_compared() -> None:
    job = _stored_job(budget={"type": "hourly", "max": 50})
    fit = rate_fit(job, _stored_freelancer(currency="XYZ"))
    assert rate_text(fit) == (
        "Rate not compared with the budget: the rate's currency has no reference rate"
    )
    assert rate_evidence(fit) == [NO_REFERENCE_RATE]
    budget_side = rate_fit(
        _stored_job(budget={"type": "hourly", "max": 50, "currency": "XYZ"}), _stored_freelancer()
    )
    assert rate_text(budget_side) == (
        "Rate not compared with the budget: the budget's currency has no reference rate"
    )
    assert "?" not in rate_text(budget_side)
    assert rate_evidence(budget_side) == [NO_REFERENCE_RATE]
    known = rate_fit(job, _stored_freelancer())
    assert rate_evidence(known) == [COMPARED]
