"""Field types checked at the door: bounded text and lists, IANA time zones, ISO 639-1 codes.

Every free-text field has a documented cap (the constants below, listed in the README), so
that one record cannot cost minutes and gigabytes to read, index and rank; a long text's runs
of whitespace are cut to eight characters (:mod:`tandem.text.spaces`) for the same reason.
Numbers must be finite: the records' ``allow_inf_nan=False`` (``models.py``) refuses ``NaN``
and ``Infinity``.

A record read back from the store was checked when it came in; a check added since must not
make old rows unreadable, so validating with ``context=STORED`` skips the checks of this module
(the store passes it when it reads). Input from outside (bundles, the API, forms) never does.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sized
from typing import Annotated, Any, Final, TypeVar

from pydantic import AfterValidator, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from tandem.domain.languages import ISO_639_1
from tandem.domain.zones import have_zone_database, iana_name
from tandem.text.spaces import bounded_spaces

#: Names, titles, ids, emails, phone numbers, skill names, categories: one line of text.
MAX_SHORT_TEXT: Final = 300
#: Overviews, job descriptions, cover letters, portfolio descriptions, review comments.
MAX_LONG_TEXT: Final = 20_000
#: Items in one list field (skills, languages, portfolio items, attributes).
MAX_ITEMS: Final = 200
#: Pass as ``model_validate(data, context=STORED)`` for rows the store already holds.
STORED: Final[dict[str, bool]] = {"stored": True}

S = TypeVar("S", bound=Sized)
T = TypeVar("T")


def is_stored(info: ValidationInfo) -> bool:
    """Whether the value is being read back from the store (see the module docstring)."""
    context: Any = info.context
    return isinstance(context, dict) and context.get("stored") is True


def quoted(value: str, width: int = 40) -> str:
    """``value`` quoted for a message, shortened: an error must not echo megabytes."""
    return repr(value if len(value) <= width else value[:width] + "…")


def _capped(limit: int, unit: str) -> Callable[[S, ValidationInfo], S]:
    def check(value: S, info: ValidationInfo) -> S:
        if len(value) > limit and not is_stored(info):
            raise PydanticCustomError(
                "too_long",
                "{length} {unit}, over the limit of {limit}",
                {"length": f"{len(value):,}", "unit": unit, "limit": f"{limit:,}"},
            )
        return value

    return check


def _bounded_spaces(value: str, info: ValidationInfo) -> str:
    # runs of blanks cost the readers' patterns quadratic time (tandem.text.spaces)
    return value if is_stored(info) else bounded_spaces(value)


#: Unicode categories an id never has: controls (NUL, newlines, escapes), invisible format
#: characters (zero-width, bidirectional overrides) and line or paragraph separators.
_UNSEEN: Final = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _visible(value: str, info: ValidationInfo) -> str:
    """An id is one line of visible text: it is shown, typed, put in URLs, logs and files.

    A control character (a NUL in "j<NUL>x") would list an id nobody can type or read back.
    """
    if is_stored(info):
        return value
    at = next((i for i, ch in enumerate(value) if unicodedata.category(ch) in _UNSEEN), None)
    if at is None:
        return value
    raise PydanticCustomError(
        "control_character",
        "{value} has a control or invisible character ({code}) at position {at}: an id is "
        "one line of visible text",
        {"value": quoted(value), "code": f"U+{ord(value[at]):04X}", "at": at + 1},
    )


#: Characters an id cannot hold and still be one URL path segment (``/jobs/{id}``): a slash
#: splits the segment (the server decodes ``%2F`` before routing, so ``a/b`` is unreachable
#: however it is quoted) and a backslash is read as a slash by browsers' URL parsers.
_NOT_IN_SEGMENT: Final = "/\\"
#: Whole ids that are dot-segments: URL clients remove them ("/jobs/.." is "/").
_DOT_SEGMENTS: Final = frozenset({".", ".."})


def _segment(value: str, info: ValidationInfo) -> str:
    """An id is one URL path segment: the API and the web address records as ``/jobs/{id}``.

    Every other visible character round-trips once percent-encoded (``?``, ``#``, ``%``,
    spaces); these do not. Stored ids keep reading (``context=STORED``), as for controls.
    """
    if is_stored(info):
        return value
    bad = next((ch for ch in value if ch in _NOT_IN_SEGMENT), None)
    if bad is None and value not in _DOT_SEGMENTS:
        return value
    raise PydanticCustomError(
        "id_segment",
        "{value} cannot be an id: an id is one URL path segment, without '/' or '\\' and "
        "not '.' or '..'",
        {"value": quoted(value)},
    )


#: C0 controls no stored or searched text holds: NUL (PostgreSQL's text type refuses it, so
#: a NUL answered 500 there) and the others (escape, bell, backspace, ...) that rewrite a
#: terminal's screen, hide in a page and have no meaning in a name or a description; and
#: DEL, the same kind. Tab, newline and carriage return are how people lay text out: kept.
_TEXT_CONTROLS: Final = frozenset(
    [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f"]
)
#: Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a
#: one-line text (a name, a title, a skill) shown beside other text they reorder what
#: follows them, so "U+202E gpj.exe" reads as "exe.jpg": a spoof, never needed in a line.
_BIDI_CONTROLS: Final = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
)


def text_fault(value: str, *, one_line: bool = False) -> str | None:
    """Why ``value`` cannot be stored or searched as text (``None``: it can).

    The one statement of the free-text rule: the records' text fields check it here, and so
    do search words and companion messages (which are searched and stored), so every face
    refuses the same characters. ``one_line`` also refuses bidirectional controls.
    """
    refused = _TEXT_CONTROLS | _BIDI_CONTROLS if one_line else _TEXT_CONTROLS
    at = next((i for i, ch in enumerate(value) if ch in refused), None)
    if at is None:
        return None
    code = f"U+{ord(value[at]):04X}"
    if value[at] in _BIDI_CONTROLS:
        return (
            f"{quoted(value)} has a bidirectional control character ({code}) at position "
            f"{at + 1}: it would reorder the text shown after it"
        )
    return (
        f"{quoted(value)} has a control character ({code}) at position {at + 1}: text may "
        "hold tabs and line breaks but no other control character"
    )


def without_controls(value: str, *, one_line: bool = False) -> str:
    """``value`` without the characters :func:`text_fault` refuses, for showing it back.

    A form that refused some words still shows them in its box to fix; the refused
    characters are left out, never echoed into a page (a NUL in an input's ``value``).
    """
    refused = _TEXT_CONTROLS | _BIDI_CONTROLS if one_line else _TEXT_CONTROLS
    return "".join(ch for ch in value if ch not in refused)


def _plain(one_line: bool) -> Callable[[str, ValidationInfo], str]:
    def check(value: str, info: ValidationInfo) -> str:
        fault = None if is_stored(info) else text_fault(value, one_line=one_line)
        if fault is None:
            return value
        raise PydanticCustomError("control_character", "{fault}", {"fault": fault})

    return check


def _filled(value: str, info: ValidationInfo) -> str:
    # Field(min_length=1) would make a stored empty name unreadable; this check is the door's.
    if value or is_stored(info):
        return value
    raise PydanticCustomError("string_too_short", "String should have at least 1 character")


def _zone(value: str, info: ValidationInfo) -> str:
    # A stored zone was checked and spelled as the database does when it was written; reading
    # it back must not list the zone database (0.05 s of every command that loads records).
    if is_stored(info):
        return value
    name = iana_name(value)
    if name is not None:
        return name
    if not have_zone_database():
        raise PydanticCustomError(
            "no_zone_database",
            "cannot check time zone {zone}: no IANA time zone database is installed "
            "(install the tzdata package)",
            {"zone": quoted(value)},
        )
    raise PydanticCustomError(
        "time_zone",
        "time zone {zone} is not an IANA time zone (e.g. 'Europe/Berlin')",
        {"zone": quoted(value)},
    )


def _language(value: str, info: ValidationInfo) -> str:
    code = value.strip().lower()
    if code in ISO_639_1 or is_stored(info):
        return code
    raise PydanticCustomError(
        "language_code",
        "language {code} is not an ISO 639-1 code (two letters, e.g. 'en')",
        {"code": quoted(value)},
    )


# One line of text, capped; the text types below add what each may hold.
_Line = Annotated[
    str,
    AfterValidator(_capped(MAX_SHORT_TEXT, "characters")),
    Field(json_schema_extra={"maxLength": MAX_SHORT_TEXT}),
]
_FilledLine = Annotated[
    str,
    Field(min_length=1),  # before the cap: a constraint after a validator loses its wording
    AfterValidator(_capped(MAX_SHORT_TEXT, "characters")),
    Field(json_schema_extra={"maxLength": MAX_SHORT_TEXT}),
]
ShortText = Annotated[_Line, AfterValidator(_plain(one_line=True))]
LongText = Annotated[
    str,
    AfterValidator(_capped(MAX_LONG_TEXT, "characters")),
    AfterValidator(_bounded_spaces),
    AfterValidator(_plain(one_line=False)),
    Field(json_schema_extra={"maxLength": MAX_LONG_TEXT}),
]
NonEmpty = Annotated[_FilledLine, AfterValidator(_plain(one_line=True))]
#: A skill's name: one line of text, not empty ("" names no skill; a stored one still reads).
SkillName = Annotated[ShortText, AfterValidator(_filled)]
#: A record's id, or a reference to one: non-empty, capped, no control or invisible
#: character (a stricter rule than text's), one URL path segment.
Id = Annotated[_FilledLine, AfterValidator(_visible), AfterValidator(_segment)]
#: An optional reference to a record (``client_id`` of a job, ``job_id`` of an event).
IdRef = Annotated[_Line, AfterValidator(_visible), AfterValidator(_segment)]
ListOf = Annotated[
    list[T],
    AfterValidator(_capped(MAX_ITEMS, "items")),
    Field(json_schema_extra={"maxItems": MAX_ITEMS}),
]
Attributes = Annotated[
    dict[ShortText, ShortText],
    AfterValidator(_capped(MAX_ITEMS, "attributes")),
    Field(json_schema_extra={"maxProperties": MAX_ITEMS}),
]
ZoneName = Annotated[ShortText, AfterValidator(_zone)]
LanguageCode = Annotated[ShortText, AfterValidator(_language)]
