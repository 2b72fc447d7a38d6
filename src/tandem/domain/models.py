"""Domain records of a marketplace, as the bundle format (DATA_FORMAT.md v1) defines them.

Records keep unknown fields (``extra="allow"``) so that import then export
round-trips whatever a marketplace adds. Validation is strict where a wrong
value would silently change a ranking (rates, scores, codes, times); every
number is finite (``NaN`` and ``Infinity`` are not JSON, and SQLite's JSON
functions fail on them), and text and lists are capped (``fields.py``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from tandem.domain.fields import (
    Attributes,
    Id,
    IdRef,
    LanguageCode,
    ListOf,
    LongText,
    NonEmpty,
    ShortText,
    ZoneName,
    is_stored,
    quoted,
)

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
        raise ValueError(f"currency must be an ISO 4217 code, got {quoted(value)}")
    return code


#: An ISO 3166-1 alpha-2 code as people type it (any case). The one statement of the rule:
#: :func:`country_code` checks it, and the API's schema documents a ``country`` parameter
#: with it (``tandem.api.routers.search``), so the two cannot drift apart.
COUNTRY_PATTERN = "^[A-Za-z]{2}$"


def country_code(value: str) -> str:
    """``value`` as an ISO 3166-1 alpha-2 code (upper case); ``ValueError`` if it is not one.

    Records' ``country`` and search filters (:class:`tandem.engine.TalentQuery`) share it.
    Blanks around the code are forgiven; the code itself must match :data:`COUNTRY_PATTERN`
    before it is upper-cased (so "ß", which upper-cases to "SS", is not a country).
    """
    code = value.strip()
    if re.fullmatch(COUNTRY_PATTERN, code) is None:
        raise ValueError(
            f"country must be an ISO 3166-1 alpha-2 code (two letters), got {quoted(value)}"
        )
    return code.upper()


UtcTime = Annotated[datetime, AfterValidator(_utc)]
Currency = Annotated[str, AfterValidator(_currency)]


def _country(value: str, info: ValidationInfo) -> str:
    # A stored country passed the rule of its day ("РФ" was two letters then): reading it back
    # must not make the row unreadable (``tandem.domain.fields``, ``context=STORED``).
    return value if is_stored(info) else country_code(value)


Country = Annotated[str, AfterValidator(_country)]


def _non_finite(value: object, where: str) -> str | None:
    """Where in an unknown field's value a number is not finite (``None``: nowhere).

    Iterative: JSON may nest as deep as the parser allowed, and this must not overflow.
    """
    stack: list[tuple[object, str]] = [(value, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return path
        if isinstance(item, dict):
            stack.extend((v, f"{path}.{k}") for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, f"{path}.{i}") for i, v in enumerate(item))
    return None


class Open(BaseModel):
    """A model that keeps unknown fields, and refuses non-finite numbers in them too."""

    model_config = ConfigDict(extra="allow", allow_inf_nan=False)

    @model_validator(mode="after")
    def _finite_extras(self) -> Open:
        for key, value in (self.model_extra or {}).items():
            where = _non_finite(value, key)
            if where:
                raise PydanticCustomError(
                    "finite_number", "{where}: Input should be a finite number", {"where": where}
                )
        return self


class Record(Open):
    """Base of every bundle record: a string id, unknown fields kept."""

    model_config = ConfigDict(str_strip_whitespace=True)

    id: Id

    def to_json_dict(self) -> dict[str, object]:
        """The record as the bundle writes it: the fields given (normalised), ISO times."""
        return self.model_dump(mode="json", exclude_none=True, exclude_unset=True)

    def with_edits(self, changes: Mapping[str, object]) -> Self:
        """The record as the store holds it, with its owner's ``changes`` to some fields.

        Each changed field is checked as new input (every rule of today), and each field
        left alone stays as it was stored: it passed the rules of its day (``context=STORED``,
        :mod:`tandem.domain.fields`), and a rule added since (no control character in an id)
        must not lock its owner out of editing the rest. Raises ``pydantic.ValidationError``
        located at the changed field, as validating the whole record would.
        """
        edited = self.model_copy(deep=True)
        for name, value in changes.items():
            type(self).__pydantic_validator__.validate_assignment(edited, name, value)
        return edited


class Language(Open):
    """A language a freelancer speaks."""

    code: LanguageCode
    level: LanguageLevel = "conversational"


class PortfolioItem(Open):
    """One piece of past work shown on a profile."""

    title: ShortText
    description: LongText = ""
    skills: ListOf[ShortText] = Field(default_factory=list)


class Consent(Open):
    """What a person agreed their data may be used for."""

    model_training: bool = True


class Freelancer(Record):
    """A person offering their skills."""

    name: NonEmpty
    email: ShortText | None = None
    phone: ShortText | None = None
    title: ShortText = ""
    overview: LongText = ""
    skills: ListOf[ShortText] = Field(default_factory=list)
    hourly_rate: Annotated[float, Field(ge=0)]
    currency: Currency = "USD"
    country: Country
    timezone: ZoneName | None = None
    languages: ListOf[Language] = Field(default_factory=list)
    experience_years: Annotated[float, Field(ge=0, le=80)] | None = None
    availability_hours_per_week: Annotated[int, Field(ge=0, le=168)] | None = None
    job_success: Annotated[float, Field(ge=0, le=100)] | None = None
    total_jobs: Annotated[int, Field(ge=0)] | None = None
    total_hours: Annotated[int, Field(ge=0)] | None = None
    rating: Annotated[float, Field(ge=1, le=5)] | None = None
    joined_at: UtcTime
    portfolio: ListOf[PortfolioItem] = Field(default_factory=list)
    consent: Consent | None = None
    attributes: Attributes | None = None

    @property
    def available(self) -> bool:
        """Unknown availability counts as available; 0 hours means not."""
        return self.availability_hours_per_week is None or self.availability_hours_per_week > 0


class Client(Record):
    """A person or company hiring."""

    name: NonEmpty
    country: Country
    timezone: ZoneName | None = None
    industry: ShortText | None = None
    company_size: ShortText | None = None
    payment_verified: bool | None = None
    total_spent: Annotated[float, Field(ge=0)] | None = None
    hires: Annotated[int, Field(ge=0)] | None = None
    rating: Annotated[float, Field(ge=1, le=5)] | None = None
    joined_at: UtcTime | None = None


class Budget(Open):
    """What a client will pay: per hour (hourly) or for the whole contract (fixed)."""

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

    client_id: IdRef | None = None
    title: NonEmpty
    description: LongText = ""
    skills: ListOf[ShortText] = Field(default_factory=list)
    category: ShortText | None = None
    budget: Budget | None = None
    duration_weeks: Annotated[float, Field(ge=0)] | None = None
    hours_per_week: Annotated[float, Field(ge=0, le=168)] | None = None
    experience_level: ExperienceLevel | None = None
    languages: ListOf[LanguageCode] = Field(default_factory=list)
    created_at: UtcTime
    status: JobStatus = "open"
    #: Skills the client removed from the post's list: never read back from its description.
    excluded_skills: ListOf[ShortText] = Field(default_factory=list)


class JobPosting(Job):
    """A job as posted (``POST /api/jobs``): what only the marketplace knows may be left out.

    A client cannot know a new job's id, the time it is posted, or (beyond its sign-in) the
    client id it acts for; the engine fills them in (:meth:`UserView.post_job`). Everything
    else, and the shape of the job it answers, is :class:`Job`'s.
    """

    id: Id | None = None  # type: ignore[assignment]  # optional here only
    created_at: UtcTime | None = None  # type: ignore[assignment]


class Bid(Open):
    """What a freelancer asks for in a proposal."""

    amount: Annotated[float, Field(ge=0)]
    type: BudgetType
    currency: Currency = "USD"


class Proposal(Record):
    """A freelancer applying to a job."""

    job_id: Id
    freelancer_id: Id
    created_at: UtcTime
    cover_letter: LongText | None = None
    bid: Bid | None = None
    source: Literal["organic", "invited"] | None = None


class Event(Record):
    """Something that happened between people and the product."""

    ts: UtcTime
    type: EventType
    job_id: IdRef | None = None
    freelancer_id: IdRef | None = None
    actor: Literal["client", "freelancer", "system"] | None = None
    surface: Literal["search", "match", "proposals", "companion"] | None = None
    position: Annotated[int, Field(ge=1)] | None = None
    request_id: ShortText | None = None
    rating: Annotated[float, Field(ge=1, le=5)] | None = None
    comment: LongText | None = None
