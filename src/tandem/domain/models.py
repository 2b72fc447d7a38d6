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
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Self, TypeVar

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
    SkillName,
    ZoneName,
    is_stored,
    quoted,
    text_fault,
)
from tandem.domain.money import TICKERS, USD_PER_UNIT, accepted_currency, to_usd

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


def _currency(value: str, info: ValidationInfo) -> str:
    """An ISO 4217 code Tandem can convert (:data:`tandem.domain.money.USD_PER_UNIT`).

    Every comparison of money (filters, rate-vs-budget reasons) converts to USD, so a code
    missing from the reference-rate table would make the record's money incomparable: new
    input is refused naming the accepted codes; a stored row keeps reading (``STORED``).
    """
    code = value.strip().upper()
    if code in TICKERS:  # kept as written, never converted (tandem.domain.money.TICKERS)
        return code
    if len(code) != 3 or not code.isalpha():
        raise ValueError(f"currency must be an ISO 4217 code, got {quoted(value)}")
    if not accepted_currency(code) and not is_stored(info):
        raise ValueError(
            f"currency {quoted(value)} cannot be converted to USD: accepted codes are those of "
            f"the reference-rate table (tandem.domain.money.USD_PER_UNIT): "
            f"{', '.join(sorted(USD_PER_UNIT))}; and the tickers {', '.join(sorted(TICKERS))}, "
            "kept as written and never compared"
        )
    return code


#: An ISO 3166-1 alpha-2 code as people type it (any case). The one statement of the rule:
#: :func:`country_code` checks it, and the API's schema documents a ``country`` parameter
#: with it (``tandem.api.routers.search``), so the two cannot drift apart.
COUNTRY_PATTERN = "^[A-Za-z]{2}$"
#: ISO 3166-1 leaves these codes to users ("user-assigned": AA, QM-QZ, XA-XZ, ZZ); they name
#: no country, and ZZ is the conventional "unknown". XK is kept: it is the code Kosovo is
#: written with (EU, ISO-using registries) though ISO has not assigned it.
USER_ASSIGNED = frozenset(
    ["AA", "ZZ"]
    + [f"Q{c}" for c in "MNOPQRSTUVWXYZ"]
    + [f"X{c}" for c in "ABCDEFGHIJLMNOPQRSTUVWXYZ"]  # no XK
)


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
    if code.upper() in USER_ASSIGNED:
        raise ValueError(
            f"country {quoted(value)} is a user-assigned ISO 3166-1 code, not a country: "
            "give the two-letter code of the country (e.g. 'DE')"
        )
    return code.upper()


UtcTime = Annotated[datetime, AfterValidator(_utc)]
Currency = Annotated[str, AfterValidator(_currency)]


def _country(value: str, info: ValidationInfo) -> str:
    # A stored country passed the rule of its day ("РФ" was two letters then): reading it back
    # must not make the row unreadable (``tandem.domain.fields``, ``context=STORED``).
    return value if is_stored(info) else country_code(value)


Country = Annotated[str, AfterValidator(_country)]


#: The shape of an email address at the door: one "@", something before it, a dotted domain
#: after it, no blanks. Not a deliverability check (no ``email-validator`` dependency); it
#: refuses what is plainly not an address ("not-an-email").
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def _email(value: str | None, info: ValidationInfo) -> str | None:
    if value is None or is_stored(info) or _EMAIL.fullmatch(value):
        return value
    raise ValueError(f"email {quoted(value)} is not an email address (name@example.com)")


Email = Annotated[ShortText | None, AfterValidator(_email)]

#: Upper bounds on money, in USD at the reference rates (:mod:`tandem.domain.money`), so one
#: bound holds in every currency (100,000 VND an hour is about $4). An hourly rate or hourly
#: budget above $100,000 an hour is a typing error (the best-paid consultants bill a few
#: thousand), and so is one contract above $1e9; with these bounds every product the
#: reasons compute (rate x hours x weeks) stays far from float overflow.
MAX_HOURLY_USD = 100_000.0
MAX_CONTRACT_USD = 1e9
#: A client's lifetime spend: above $1e11 is more than every freelance marketplace's yearly
#: volume together. ``total_spent`` has no currency field: it is USD (DATA_FORMAT.md).
MAX_SPENT_USD = 1e11
#: A contract's length: over 520 weeks (ten years) is a typing error.
MAX_WEEKS = 520.0
#: Counts of jobs, hires and hours, and a position in a list: a million is over a century of
#: one every hour (876,000 hours), so more is a typing error; and it keeps them int64-safe.
MAX_COUNT = 1_000_000


N = TypeVar("N", int, float)


def _at_most(cap: N) -> Callable[[N, ValidationInfo], N]:
    """``Field(le=cap)`` at the door only: a stored row over a bound added since still reads."""

    def check(value: N, info: ValidationInfo) -> N:
        if value > cap and not is_stored(info):
            raise PydanticCustomError(
                "less_than_equal", "Input should be less than or equal to {le}", {"le": cap}
            )
        return value

    return check


def _schema_max(cap: float) -> Any:
    return Field(json_schema_extra={"maximum": cap})


Count = Annotated[int, Field(ge=0), AfterValidator(_at_most(MAX_COUNT)), _schema_max(MAX_COUNT)]
Position = Annotated[int, Field(ge=1), AfterValidator(_at_most(MAX_COUNT)), _schema_max(MAX_COUNT)]
Weeks = Annotated[float, Field(ge=0), AfterValidator(_at_most(MAX_WEEKS)), _schema_max(MAX_WEEKS)]
Spent = Annotated[
    float, Field(ge=0), AfterValidator(_at_most(MAX_SPENT_USD)), _schema_max(MAX_SPENT_USD)
]


def _big(amount: float) -> str:
    """An amount as people write it ("2,000,000"), or short past a quadrillion ("1e+308").

    A 309-digit number in a sentence helps no one who typed it by mistake.
    """
    return f"{amount:,.0f}" if amount < 1e15 else f"{amount:.3g}"


def _within(amount: float | None, currency: str, cap: float, what: str) -> None:
    """Refuse ``amount`` above ``cap`` USD; a currency with no reference rate, at face value.

    A ticker kept as written (:data:`tandem.domain.money.TICKERS`) has no rate to convert
    with, and a verify run set a rate of 1e308 BTC an hour through it: its amount is held to
    the same number as if it were dollars (lenient for BTC, and still no 1e308). An unknown
    currency of a stored row is read as it is (the check runs on new input only).
    """
    if amount is None:
        return
    usd = to_usd(amount, currency)
    if usd is None and currency.upper() not in TICKERS:
        return
    seen = amount if usd is None else usd
    if seen > cap:
        about = "" if usd is None or currency.upper() == "USD" else f" (about {_big(usd)} USD)"
        limit = f"{cap:,.0f} USD" if usd is not None else f"{cap:,.0f} (a {currency} amount)"
        raise ValueError(
            f"{what} {_big(amount)} {currency}{about} is over the limit of {limit}: a typing error?"
        )


def _cap_for(kind: str) -> float:
    return MAX_HOURLY_USD if kind == "hourly" else MAX_CONTRACT_USD


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

    @model_validator(mode="after")
    def _plain_extras(self, info: ValidationInfo) -> Open:
        """Unknown fields are stored too: their text follows the text rule (no NUL, ...).

        Not on an edit of a known field (``with_edits`` assigns one: ``info.field_name``):
        the unknown fields it leaves are as stored, and must not lock the edit out.
        """
        if is_stored(info) or info.field_name is not None or not self.model_extra:
            return self
        stack: list[tuple[object, str]] = [(v, k) for k, v in self.model_extra.items()]
        while stack:
            item, path = stack.pop()
            texts = [item] if isinstance(item, str) else []
            if isinstance(item, dict):
                texts = [str(k) for k in item]
                stack.extend((v, f"{path}.{k}") for k, v in item.items())
            elif isinstance(item, list):
                stack.extend((v, f"{path}.{i}") for i, v in enumerate(item))
            fault = next((f for t in texts if (f := text_fault(t)) is not None), None)
            if fault is not None:
                raise PydanticCustomError(
                    "control_character", "{where}: {fault}", {"where": path, "fault": fault}
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
    skills: ListOf[SkillName] = Field(default_factory=list)


class Consent(Open):
    """What a person agreed their data may be used for."""

    model_training: bool = True


class Freelancer(Record):
    """A person offering their skills."""

    name: NonEmpty
    email: Email = None
    phone: ShortText | None = None
    title: ShortText = ""
    overview: LongText = ""
    skills: ListOf[SkillName] = Field(default_factory=list)
    hourly_rate: Annotated[float, Field(ge=0)]
    currency: Currency = "USD"
    country: Country
    timezone: ZoneName | None = None
    languages: ListOf[Language] = Field(default_factory=list)
    experience_years: Annotated[float, Field(ge=0, le=80)] | None = None
    availability_hours_per_week: Annotated[int, Field(ge=0, le=168)] | None = None
    job_success: Annotated[float, Field(ge=0, le=100)] | None = None
    total_jobs: Count | None = None
    total_hours: Count | None = None
    rating: Annotated[float, Field(ge=1, le=5)] | None = None
    joined_at: UtcTime
    portfolio: ListOf[PortfolioItem] = Field(default_factory=list)
    consent: Consent | None = None
    attributes: Attributes | None = None

    @model_validator(mode="after")
    def _sane_rate(self, info: ValidationInfo) -> Freelancer:
        # an edit of another field (``with_edits``) leaves a stored rate as it was stored
        edited = info.field_name in (None, "hourly_rate", "currency")
        if edited and not is_stored(info):
            _within(self.hourly_rate, self.currency, MAX_HOURLY_USD, "hourly rate")
        return self

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
    total_spent: Spent | None = None
    hires: Count | None = None
    rating: Annotated[float, Field(ge=1, le=5)] | None = None
    joined_at: UtcTime | None = None


class Budget(Open):
    """What a client will pay: per hour (hourly) or for the whole contract (fixed)."""

    type: BudgetType
    min: Annotated[float, Field(ge=0)] | None = None
    max: Annotated[float, Field(ge=0)] | None = None
    currency: Currency = "USD"

    @model_validator(mode="after")
    def _ordered(self, info: ValidationInfo) -> Budget:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"budget min {self.min} is above max {self.max}")
        if not is_stored(info):
            for amount in (self.min, self.max):
                _within(amount, self.currency, _cap_for(self.type), f"{self.type} budget")
        return self


class Job(Record):
    """Work a client describes."""

    client_id: IdRef | None = None
    title: NonEmpty
    description: LongText = ""
    skills: ListOf[SkillName] = Field(default_factory=list)
    category: ShortText | None = None
    budget: Budget | None = None
    duration_weeks: Weeks | None = None
    hours_per_week: Annotated[float, Field(ge=0, le=168)] | None = None
    experience_level: ExperienceLevel | None = None
    languages: ListOf[LanguageCode] = Field(default_factory=list)
    created_at: UtcTime
    status: JobStatus = "open"
    #: Skills the client removed from the post's list: never read back from its description.
    excluded_skills: ListOf[SkillName] = Field(default_factory=list)


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

    @model_validator(mode="after")
    def _sane(self, info: ValidationInfo) -> Bid:
        if not is_stored(info):
            _within(self.amount, self.currency, _cap_for(self.type), f"{self.type} bid")
        return self


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
    position: Position | None = None
    request_id: ShortText | None = None
    rating: Annotated[float, Field(ge=1, le=5)] | None = None
    comment: LongText | None = None


class EventPosting(Event):
    """An event as posted (``POST /api/events``): ``ts`` may be left out.

    A non-operator's event happened when it is posted (the server's time replaces any
    ``ts``: :func:`tandem.engine.owned.posted_now`), so it need not be given; an operator
    recording history gives it, and one left out is the time of the post.
    """

    ts: UtcTime | None = None  # type: ignore[assignment]  # optional here only
