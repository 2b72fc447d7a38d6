"""Editing a drafted cover letter in conversation: shorter, another rate, one more thing to say.

A proposal draft holds one thing the freelancer sends: its cover letter (the price is a
sentence of it, as :func:`tandem.companion.coaching.draft_proposal` writes it: "My rate is 45
USD per hour." for an hourly job, "My price for the whole job is 5,400 USD." for a fixed-price
one; this module writes and reads both forms). An edit changes only that text and says what
it changed; a message that asks for no edit it knows changes nothing, so the caller keeps the
draft waiting for its Confirm.

What it adds is the freelancer's own words ("mention my Django experience" -> "I would also
like to mention my Django experience."): it never claims anything they did not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from tandem.companion.money import Money, find_amounts
from tandem.domain.money import amount_text

SHORTER = re.compile(
    r"\b(?:shorter|shorten|more concise|concise|briefer|brief|trim|cut (?:it )?down|too long|"
    r"m[áa]s cort[oa]|acorta|plus court|raccourcis|kürzer|kuerzer|mais curt[oa]|encurta)\w*",
    re.IGNORECASE,
)
RATE = re.compile(
    r"\b(?:rate|charge|price|bid|hourly|per hour|an hour|/\s*h(?:r|our)?\b|tarifa|tarif|"
    r"Stundensatz|preço|precio|prix)",
    re.IGNORECASE,
)
MENTION = re.compile(
    r"^\s*(?:please\s+|can you\s+|could you\s+)?(?:also\s+)?"
    r"(?:mention|add|include|say|talk about|highlight|emphasi[sz]e|menciona|mencionar|"
    r"mentionne|mentionner|ajoute|erwähne|erwaehne|mencione)\s+(?:that\s+|que\s+|dass\s+)?"
    r"(?P<what>.+?)\s*[.!]*\s*$",
    re.IGNORECASE,
)
#: Words that make an amount a price for the whole job ("$1,700 for the whole job", "in total").
WHOLE_JOB = re.compile(
    r"\b(?:total|in all|whole (?:job|project|thing)|entire (?:job|project)|for the (?:job|project)|"
    r"fixed|flat|lump sum|overall|all in|en total|au total|pauschal|insgesamt|gesamt)\b",
    re.IGNORECASE,
)
#: Words that make an amount a price of an hour ("$30/h", "change the rate to $30").
PER_HOUR = re.compile(
    r"\b(?:rate|charge|hourly|per hour|an hour|a hour|/\s*h(?:r|our)?\b|tarifa|tarif|"
    r"Stundensatz|por hora|de l'heure|par heure|pro Stunde)",
    re.IGNORECASE,
)
#: "by" before an amount: the amount a rate changes by ("lower it by $5", "um 5 € senken").
BY = re.compile(r"\b(?:by|um)\s*$", re.IGNORECASE)
#: "to" before an amount: the new rate of "from $50 to $45" ("auf 45 €", "a 45 $", "à 45 €").
TO = re.compile(r"\b(?:to|auf|a|à|para|zu)\s*$", re.IGNORECASE)
#: The longest word of :data:`BY` and :data:`TO` ("para").
_LONGEST_WORD = 4
#: The rate sentence the draft writes (:func:`rate_sentence`).
RATE_SENTENCE = re.compile(r"My rate is [\d.,]+ (?P<cur>[A-Z]{3}) per hour\.")
#: The whole-job price sentence of a fixed-price job's letter (:func:`job_price_sentence`):
#: an amount, or "to be agreed" when nothing the job states prices it.
JOB_PRICE_SENTENCE = re.compile(
    r"My price for the whole job is (?P<amount>[\d.,]+|to be agreed in) (?P<cur>[A-Z]{3})\."
)
#: What :data:`JOB_PRICE_SENTENCE` says in place of an amount the letter cannot state.
_TO_BE_AGREED = "to be agreed in"
#: A piece of a sentence: a character that is no stop, or stops inside a word or number
#: ("16.8", "Node.js", ".NET"): only stops followed by a blank or the end end a sentence.
#: "with 16.8 years" read as two sentences made "make it shorter" drop the first and keep
#: "8 years of experience.", a claim the profile never made.
_PIECE = r"(?:[^.!?]|[.!?]+(?=[^\s.!?]))"
#: A sentence (group 1) and the blanks after it; where none starts, the second branch steps
#: over the rest of the run of words and its stops. Without that branch, a text with no
#: sentence end ("xxxx...", a letter that never stops) was tried from every position and each
#: try read to the end: n²/2 steps, 2.2 s for 20,000 characters; now one pass.
_SENTENCE = re.compile(rf"({_PIECE}+[.!?]+)(?:\s+|$)|{_PIECE}*[.!?]*")
#: A sentence a shorter letter keeps: the rate, and what the freelancer works with.
_ESSENTIAL = re.compile(r"\b(?:rate|price|skills?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class LetterEdit:
    """The letter after an edit, and what changed (empty: the message asked for no edit).

    ``rate``: the amount and currency the letter now states, when the edit changed it: the
    proposal sent must bid it, or the client and the ranking would read the profile's rate
    beside a letter that says another. ``per``: what ``rate`` is the price of, an hour or the
    whole job (a fixed-price job's bid). ``hourly_on_fixed``: the message asked for an hourly
    rate on a fixed-price job, which no bid of that job can be, so the rate was left as it was.
    """

    letter: str
    changes: list[str]
    rate: tuple[float, str] | None = None
    per: Literal["hour", "job"] = "hour"
    hourly_on_fixed: bool = False


def edit_letter(letter: str, text: str, *, fixed_price: bool = False) -> LetterEdit:
    """``letter`` as ``text`` asks: a new rate, a mention added, made shorter (in that order).

    ``fixed_price``: the job pays one price for the whole job, so a proposal's bid is that
    price: an amount the message says is a total ("$1,700 for the whole job", "bid $1,700")
    becomes it; one it says per hour ("change the rate to $30") changes nothing, and the
    edit says so (:attr:`LetterEdit.hourly_on_fixed`) for the caller to ask for a total.
    """
    changes: list[str] = []
    rate: tuple[float, str] | None = None
    per: Literal["hour", "job"] = "hour"
    hourly_on_fixed = False
    priced = RATE.search(text) or (fixed_price and WHOLE_JOB.search(text))
    amounts = _new_rates(text) if priced else []
    if amounts:
        # "from $50 to $45": the new rate is the one said after "to", else the first
        new = next((a for a in amounts if _said_before(TO, text, a.start)), amounts[0])
        if not fixed_price:
            letter, said, rate = _with_rate(letter, new.amount, new.currency)
            changes.append(said)
        elif WHOLE_JOB.search(text) or not PER_HOUR.search(text):
            letter, said, rate = _with_job_price(letter, new.amount, new.currency)
            changes.append(said)
            per = "job"
        else:
            hourly_on_fixed = True
    m = MENTION.match(text)
    if m and not amounts:
        letter = _with_sentence(letter, _first_person(m.group("what")))
        changes.append(f"added “{m.group('what')}”")
    if SHORTER.search(text):
        shorter = shorten(letter)
        if shorter != letter:
            letter = shorter
            changes.append("made it shorter")
    return LetterEdit(letter, changes, rate, per, hourly_on_fixed)


def _new_rates(text: str) -> list[Money]:
    """The amounts of ``text`` that state a rate, not a change of one ("lower it by $5").

    A rate changed by an amount is not that amount: "drop my rate by $5" must not write "My
    rate is 5 USD per hour." into the letter, so such an amount is no new rate (the edit then
    asks what to change).
    """
    return [a for a in find_amounts(text) if not _said_before(BY, text, a.start)]


def _said_before(pattern: re.Pattern[str], text: str, at: int) -> bool:
    r"""Whether ``text`` before ``at`` ends as ``pattern`` says (one of its words, then blanks).

    Searched from the blanks before ``at`` and room for the longest word, not from the start:
    searching all of ``text[: a.start]`` for every amount of a message ("$1 $1 $1 ...") cost
    n²/2 steps, 0.4 s for 4,000 characters and 8 s for 20,000. The pattern still sees what
    comes before where it is searched from (``\b`` is not fooled by the start position).
    """
    start = at
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return pattern.search(text, max(0, start - _LONGEST_WORD), at) is not None


def _with_rate(
    letter: str, amount: float, currency: str | None
) -> tuple[str, str, tuple[float, str]]:
    """The letter with its rate sentence saying ``amount`` (added when it has none)."""
    m = RATE_SENTENCE.search(letter)
    cur = currency or (m.group("cur") if m else "USD")
    sentence = rate_sentence(amount, cur)
    if m:
        letter = letter[: m.start()] + sentence + letter[m.end() :]
    else:
        letter = _with_sentence(letter, sentence)
    return letter, f"rate {_written(amount)} {cur} per hour", (amount, cur)


def _with_job_price(
    letter: str, amount: float, currency: str | None
) -> tuple[str, str, tuple[float, str]]:
    """The letter saying its price for the whole job, in place of an hourly rate sentence.

    A fixed-price job's proposal bids one price: a letter that still said "My rate is 45 USD
    per hour." beside it would tell the client two prices.
    """
    m = JOB_PRICE_SENTENCE.search(letter) or RATE_SENTENCE.search(letter)
    cur = currency or (m.group("cur") if m else "USD")
    sentence = job_price_sentence(amount, cur)
    if m:
        letter = letter[: m.start()] + sentence + letter[m.end() :]
    else:
        letter = _with_sentence(letter, sentence)
    return letter, f"price {_written(amount)} {cur} for the whole job", (amount, cur)


def _written(amount: float) -> str:
    """An amount as a letter writes it: "45", "1,700", "27,600", "45.50" (never "1e+06").

    As every face writes money for people (:func:`~tandem.domain.money.amount_text`), so a
    letter's "11,400 USD" reads like the job's budget beside it; :data:`JOB_PRICE_SENTENCE`
    and :func:`stated_job_price` read the separators back.
    """
    return amount_text(amount)


def rate_sentence(amount: float, currency: str) -> str:
    """The sentence that states an hourly rate, as :data:`RATE_SENTENCE` reads it."""
    return f"My rate is {_written(amount)} {currency} per hour."


def job_price_sentence(amount: float | None, currency: str) -> str:
    """The sentence that states one price for the whole job, as :data:`JOB_PRICE_SENTENCE` reads it.

    ``amount`` None: the price is to be agreed (a fixed-price job whose hours are not stated
    gives an hourly rate nothing to price), in words an edit that names a price replaces.
    """
    said = _TO_BE_AGREED if amount is None else _written(amount)
    return f"My price for the whole job is {said} {currency}."


def stated_job_price(letter: str) -> tuple[float, str] | None:
    """The price for the whole job ``letter`` states, with its currency (None: it states none).

    What a fixed-price proposal bids, read from the letter the person sees, so the two agree.
    """
    m = JOB_PRICE_SENTENCE.search(letter)
    if m is None or m.group("amount") == _TO_BE_AGREED:
        return None
    try:
        return float(m.group("amount").replace(",", "")), m.group("cur")
    except ValueError:  # "1.2.3": no amount this module wrote
        return None


def _first_person(what: str) -> str:
    """A sentence of the freelancer's words: "that I led 3 teams" -> "I led 3 teams."."""
    what = what.strip().rstrip(".!")
    if re.match(r"(?:I|I'm|I am|I have|I've)\b", what):
        return what[0].upper() + what[1:] + "."
    return f"I would also like to mention {what}."


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` that end in a stop followed by a blank or the end, stripped."""
    return [s.strip() for s in _SENTENCE.findall(text) if s]


def _with_sentence(letter: str, sentence: str) -> str:
    """``sentence`` before the letter's closing sentence (or at its end)."""
    parts = sentences(letter)
    if len(parts) < 2 or not _covers(parts, letter):
        return f"{letter.rstrip()} {sentence}"
    return " ".join([*parts[:-1], sentence, parts[-1]])


def _covers(parts: list[str], letter: str) -> bool:
    """Whether ``parts`` are the whole letter (no words after its last stop, say), blanks aside."""
    return "".join(parts).replace(" ", "") == letter.replace(" ", "")


def shorten(letter: str) -> str:
    """The letter without the sentences a reader can spare (unchanged when none can go).

    Its greeting, its closing, the rate and the skills stay; the other middle sentences go,
    longest first, until it is at most two thirds as long. A letter its sentences do not cover
    (words after the last stop) is left as it is rather than lose those words.
    """
    parts = sentences(letter)
    if len(parts) < 3 or not _covers(parts, letter):
        return letter
    target = 2 * len(letter) / 3
    spare = sorted(
        (i for i in range(1, len(parts) - 1) if not _ESSENTIAL.search(parts[i])),
        key=lambda i: -len(parts[i]),
    )
    dropped: set[int] = set()
    for i in spare:
        if sum(len(p) + 1 for j, p in enumerate(parts) if j not in dropped) <= target:
            break
        dropped.add(i)
    return " ".join(p for j, p in enumerate(parts) if j not in dropped)
