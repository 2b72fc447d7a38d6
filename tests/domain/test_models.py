from datetime import UTC

import pydantic
import pytest

from tandem.domain import Budget, Freelancer, Job

FREELANCER = {
    "id": "f1",
    "name": "Ana",
    "hourly_rate": 40,
    "country": "pt",
    "joined_at": "2024-01-02T03:04:05Z",
}


def test_unknown_fields_are_kept_for_round_trip() -> None:
    f = Freelancer.model_validate({**FREELANCER, "badge": "top rated"})
    assert f.to_json_dict()["badge"] == "top rated"


def test_codes_are_normalised_and_times_are_utc() -> None:
    f = Freelancer.model_validate({**FREELANCER, "currency": "eur"})
    assert (f.country, f.currency) == ("PT", "EUR")
    assert f.joined_at.tzinfo == UTC


@pytest.mark.parametrize(
    "patch",
    [
        {"hourly_rate": -1},
        {"country": "Portugal"},
        {"currency": "EURO"},
        {"job_success": 101},
        {"rating": 0},
        {"joined_at": "yesterday"},
        {"name": ""},
    ],
)
def test_invalid_values_are_rejected(patch: dict[str, object]) -> None:
    with pytest.raises(pydantic.ValidationError):
        Freelancer.model_validate({**FREELANCER, **patch})


def test_budget_min_above_max_is_rejected() -> None:
    with pytest.raises(pydantic.ValidationError, match="above max"):
        Budget(type="hourly", min=50, max=20)


def test_job_defaults_to_open_and_lowercases_languages() -> None:
    job = Job.model_validate(
        {"id": "j1", "title": "Logo", "created_at": "2026-01-01T00:00:00Z", "languages": ["EN"]}
    )
    assert job.status == "open" and job.languages == ["en"]


def test_availability_zero_means_unavailable() -> None:
    assert not Freelancer.model_validate({**FREELANCER, "availability_hours_per_week": 0}).available
    assert Freelancer.model_validate(FREELANCER).available
