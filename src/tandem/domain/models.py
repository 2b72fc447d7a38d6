"""Domain records of a marketplace, as the bundle format (DATA_FORMAT.md v1) defines them.

Records keep unknown fields (``extra="allow"``) so that import then export
round-trips whatever a marketplace adds. Validation is strict where a wrong
value would silently change a ranking (rates, scores, codes, times).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

LanguageLevel = Literal["basic", "conversational", "fluent", "native"]
BudgetType = Literal["fixed", "hourly"]
ExperienceLevel = Literal["entry", "intermediate", "expert"]
JobStatus = Literal["open", "closed"]
EventType = Literal[
    "impression",
    "click",
    "invite",
    "shortlist",
    "message",
    "interview",
    "hire",
    "decline",
    "review",
    "end_contract",
]


def _utc(value: datetime) -> datetime:
    """Times are UTC; a naive time is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _currency(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValueError(f"currency must be an ISO 4217 code, got {value!r}")
    return code


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError(f"country must be an ISO 3166-1 alpha-2 code, got {value!r}")
    return code


UtcTime = Annotated[datetime, AfterValidator(_utc)]
Currency = Annotated[str, AfterValidator(_currency)]
Country = Annotated[str, AfterValidator(_country)]
NonEmpty = Annotated[str, Field(min_length=1)]


class Record(BaseModel):
    """Base of every bundle record: a string id, unknown fields kept."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    id: NonEmpty

    def to_json_dict(self) -> dict[str, object]:
        """The record as the bundle writes it: the fields given (normalised), ISO times."""
        return self.model_dump(mode="json", exclude_none=True, exclude_unset=True)


class Language(BaseModel):
    """A language a freelancer speaks."""

    model_config = ConfigDict(extra="allow")

    code: Annotated[str, Field(min_length=2, max_length=3)]
    level: LanguageLevel = "conversational"

    @field_validator("code")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class PortfolioItem(BaseModel):
    """One piece of past work shown on a profile."""

    model_config = ConfigDict(extra="allow")

    title: str
    description: str = ""
    skills: list[str] = Field(default_factory=list)


class Consent(BaseModel):
    """What a person agreed their data may be used for."""

    model_config = ConfigDict(extra="allow")

    model_training: bool = True


class Freelancer(Record):
    """A person offering their skills."""

    name: NonEmpty
    email: str | None = None
    phone: str | None = None
    title: str = ""
    overview: str = ""
    skills: list[str] = Field(default_factory=list)
    hourly_rate: Annotated[float, Field(ge=0)]
    currency: Currency = "USD"
    country: Country
    timezone: str | None = None
    languages: list[Language] = Field(default_factory=list)
    experience_years: Annotated[float, Field(ge=0, le=80)] | None = None
    availability_hours_per_week: Annotated[int, Field(ge=0, le=168)] | None = None
    job_success: Annotated[float, Field(ge=0, le=100)] | None = None
    total_jobs: Annotated[int, Field(ge=0)] | None = None
    total_hours: Annotated[int, Field(ge=0)] | None = None
    rating: Annotated[float, Field(ge=1, le=5)] | None = None
    joined_at: UtcTime
    portfolio: list[PortfolioItem] = Field(default_factory=list)
    consent: Consent | None = None
    attributes: dict[str, str] | None = None

    @property
    def available(self) -> bool:
        """Unknown availability counts as available; 0 hours means not."""
        return self.availability_hours_per_week is None or self.availability_hours_per_week > 0


class Client(Record):
    """A person or company hiring."""

    name: NonEmpty
    country: Country
    timezone: str | None = None
    industry: str | None = None
    company_size: str | None = None
    payment_verified: bool | None = None
    total_spent: Annotated[float, Field(ge=0)] | None = None
    hires: Annotated[int, Field(ge=0)] | None = None
    rating: Annotated[float, Field(ge=1, le=5)] | None = None
    joined_at: UtcTime | None = None


class Budget(BaseModel):
    """What a client will pay: per hour (hourly) or for the whole contract (fixed)."""

    model_config = ConfigDict(extra="allow")

    type: BudgetType
    min: Annotated[float, Field(ge=0)] | None = None
    max: Annotated[float, Field(ge=0)] | None = None
    currency: Currency = "USD"

    @model_validator(mode="after")
    def _ordered(self) -> Budget:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"budget min {self.min} is above max {self.max}")
        return self


class Job(Record):
    """Work a client describes."""

    client_id: str | None = None
    title: NonEmpty
    description: str = ""
    skills: list[str] = Field(default_factory=list)
    category: str | None = None
    budget: Budget | None = None
    duration_weeks: Annotated[float, Field(ge=0)] | None = None
    hours_per_week: Annotated[float, Field(ge=0, le=168)] | None = None
    experience_level: ExperienceLevel | None = None
    languages: list[str] = Field(default_factory=list)
    created_at: UtcTime
    status: JobStatus = "open"

    @field_validator("languages")
    @classmethod
    def _lower_codes(cls, value: list[str]) -> list[str]:
        return [code.strip().lower() for code in value]


class Bid(BaseModel):
    """What a freelancer asks for in a proposal."""

    model_config = ConfigDict(extra="allow")

    amount: Annotated[float, Field(ge=0)]
    type: BudgetType
    currency: Currency = "USD"


class Proposal(Record):
    """A freelancer applying to a job."""

    job_id: NonEmpty
    freelancer_id: NonEmpty
    created_at: UtcTime
    cover_letter: str | None = None
    bid: Bid | None = None
    source: Literal["organic", "invited"] | None = None


class Event(Record):
    """Something that happened between people and the product."""

    ts: UtcTime
    type: EventType
    job_id: str | None = None
    freelancer_id: str | None = None
    actor: Literal["client", "freelancer", "system"] | None = None
    surface: Literal["search", "match", "proposals", "companion"] | None = None
    position: Annotated[int, Field(ge=1)] | None = None
    request_id: str | None = None
    rating: Annotated[float, Field(ge=1, le=5)] | None = None
    comment: str | None = None
