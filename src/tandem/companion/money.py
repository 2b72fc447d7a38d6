"""Reading money the way clients write it: "$60-80/hr", "5k", "₹2,00,000", "EUR 3.000", "50 quid".

Returns amounts, an ISO 4217 currency (by symbol, code or word) and whether the
budget is hourly or fixed, each only when the text says so: an unknown stays
unknown (None), never a guess. A crypto-currency is kept as the ticker the text states
("4,500 USDC" is USDC, not USD: a stablecoin is not the dollar it tracks).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Literal

from tandem.domain.money import TICKER_NAMES, TICKERS, money_unit

BudgetKind = Literal["fixed", "hourly"]

#: Symbols, longest first so "R$" wins over "$" and "CA$" over "$".
SYMBOLS: dict[str, str] = {
    "CA$": "CAD", "C$": "CAD", "AU$": "AUD", "A$": "AUD", "NZ$": "NZD", "HK$": "HKD",
    "S$": "SGD", "R$": "BRL", "US$": "USD", "MX$": "MXN", "zł": "PLN", "kr": "SEK",
    "$": "USD", "€": "EUR", "£": "GBP", "₹": "INR", "¥": "JPY", "₩": "KRW", "₽": "RUB",
    "₺": "TRY", "₱": "PHP", "₦": "NGN", "₫": "VND", "₪": "ILS", "฿": "THB", "₴": "UAH",
}  # fmt: skip
CODES = frozenset(
    {
        "USD", "EUR", "GBP", "INR", "JPY", "CNY", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK",
        "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "TRY", "RUB", "UAH", "BRL", "MXN", "ARS",
        "CLP", "COP", "PEN", "ZAR", "NGN", "KES", "EGP", "MAD", "AED", "SAR", "ILS", "PKR",
        "BDT", "LKR", "PHP", "IDR", "MYR", "THB", "VND", "KRW", "SGD", "HKD", "TWD",
        *TICKERS,  # crypto tickers: not ISO 4217, kept as written (tandem.domain.money)
    }
)  # fmt: skip
WORDS: dict[str, str] = {
    "dollar": "USD", "dollars": "USD", "bucks": "USD", "usd": "USD", "euro": "EUR",
    "euros": "EUR", "pound": "GBP", "pounds": "GBP", "quid": "GBP", "sterling": "GBP",
    "rupee": "INR", "rupees": "INR", "rs": "INR", "yen": "JPY", "yuan": "CNY", "rmb": "CNY",
    "franc": "CHF", "francs": "CHF", "real": "BRL", "reais": "BRL", "peso": "MXN",
    "pesos": "MXN", "rand": "ZAR", "naira": "NGN", "dirham": "AED", "dirhams": "AED",
    "zloty": "PLN", "zlotys": "PLN", "lira": "TRY", "won": "KRW", "ringgit": "MYR",
    "baht": "THB", "shekel": "ILS", "shekels": "ILS", "hryvnia": "UAH", "dólares": "USD",
    "dolares": "USD", "dólar": "USD", "dollari": "USD", "livres": "GBP", "rubles": "RUB",
    "roubles": "RUB", "rublos": "RUB", "soles": "PEN", "lei": "RON", "forint": "HUF",
    "forints": "HUF", "rupiah": "IDR", "kronor": "SEK", "złotych": "PLN", "zł": "PLN",
    **TICKER_NAMES,  # "0.5 bitcoin" (tandem.domain.money)
}  # fmt: skip
MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6,
               "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "crore": 1e7}  # fmt: skip

#: A per-hour cue, in the languages clients write in: "/hr", "an hour", "USD/hora", "€/Std.",
#: "de l'heure", "all'ora", "per uur", "za godzinę".
HOURLY = re.compile(
    r"(/\s?(?:hr|h|hour|hora|heure|std|stunde|ora|uur|godz)\b|per\s+(?:hour|hr)\b|an\s+hour|"
    r"a\s+hour|by\s+the\s+hour|hourly|p/?h\b|por\s+hora|la\s+hora|al\s+hora|"
    r"pro\s+(?:stunde|std)\b|die\s+stunde|stündlich|stundensatz|stundenlohn|"
    r"par\s+heure|(?:de\s+|à\s+)?l['’]heure|taux\s+horaire|"
    r"all['’]ora|l['’]ora|per\s+ora|tariffa\s+oraria|per\s+uur|uurtarief|za\s+godzin)",
    re.IGNORECASE,
)
#: A total cue. "Budget" alone is not one: it says how much, not how it is paid ("budget
#: $30/hr" is hourly), so a budget without a cue falls to :data:`FIXED_ABOVE`.
FIXED = re.compile(
    r"(fixed|flat|total|in\s+total|for\s+the\s+(?:whole\s+)?(?:project|job|work|thing)|lump\s+sum|"
    r"one[-\s]off|precio\s+fijo|festpreis|forfait|pauschal|prezzo\s+fisso|pre[çc]o\s+fixo|"
    r"le\s+tout|en\s+tout|tout\s+compris|insgesamt|gesamt|in\s+tutto|todo\s+incluido|"
    r"(?:por|para|pelo|pour|für|per)\s+(?:el\s+|o\s+|le\s+|das\s+|il\s+)?"
    r"(?:proyecto|projeto|projet|projekt|progetto)\b)",
    re.IGNORECASE,
)

_SYMBOL_RE = "|".join(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True))
_NUMBER = r"(?<![\w.])(?:\d{1,3}(?:[,\s.'’]\d{2,3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
_MULT = r"(?:\s?(?:k|m|mn|thousand|million|lakhs?|lac|crore)\b)?"
AMOUNT = re.compile(
    rf"(?P<pre>{_SYMBOL_RE}|\b(?:{'|'.join(sorted(CODES))})\b)?\s?"
    rf"(?P<num>{_NUMBER})(?P<mult>{_MULT})"
    rf"\s?(?P<post>{_SYMBOL_RE}|\b(?:{'|'.join(sorted(CODES))})\b|\b(?:{'|'.join(WORDS)})\b)?",
    re.IGNORECASE,
)
#: Words that join the two ends of a range, in the languages clients write in ("500 bis 800 €",
#: "de 500 a 800 €", "entre 500 y 800", "da 500 a 800", "van 500 tot 800").
_RANGE_WORDS = r"-|–|—|to|and|~|bis|und|hasta|a|y|à|et|até|e|tot|en|fino\s+a|al"
BARE_LOW = re.compile(
    rf"(?P<num>{_NUMBER})(?P<mult>{_MULT})\s*(?:{_RANGE_WORDS})\s*$", re.IGNORECASE
)
#: Where a number may start (as :data:`_NUMBER` does) and the thousands groups that follow it.
_NUMBER_START = re.compile(r"(?<![\w.])\d")
_GROUPS = re.compile(r"\d{1,3}(?:[,\s.'’]\d{2,3}(?!\d))+")
#: A cap before one amount ("up to $500", "Bis 2.000 €", "massimo 800 €", "tot €500").
UP_TO = re.compile(
    r"\b(up\s+to|max(?:imum|imal|imaal)?|no\s+more\s+than|under|below|less\s+than|at\s+most|"
    r"hasta|bis(?:\s+zu)?|höchstens|jusqu|até|no\s+m[áa]ximo|fino\s+a|massimo|tot|hooguit)\W*$"
)
#: A floor before one amount ("at least $500", "ab 500 €", "a partir de 300 €", "vanaf €200").
AT_LEAST = re.compile(
    r"\b(at\s+least|min(?:imum|imal)?|m[íi]nimo|from|starting\s+(?:at|from)|more\s+than|ab|"
    r"mindestens|desde|a\s+partir\s+de|à\s+partir\s+de|au\s+moins|almeno|vanaf)\W*$"
)
#: A price per unit or per period ("per video", "/month", "por semana", "$50 each", "$900
#: monthly"): neither hourly nor a total. Any "per <thing>" counts, except the whole job.
PER_UNIT = re.compile(
    r"\s*(?:(?:(?:a|an|al|a\s+la|la|le|el|il|lo|o|à|à\s+la)\s+|l['’]\s*)(?:month|week|day|year|episode|"
    r"video|article|post|page|word|item|song|minute|image|photo|character|lesson|session|piece|"
    r"mes|semana|d[íi]a|p[áa]gina|palabra|pieza|mois|semaine|jour|mot|pi[èe]ce|parola|"
    r"pagina|articolo|pezzo|immagine|foto|canzone|mese|settimana|giorno|palavra|artigo|"
    r"pe[çc]a|imagem|m[êe]s)s?\b|"
    r"(?:per|/|each|every|por|pro|par)\s*(?:\d[\d,.]*\s*k?\s+)?"
    r"(?!(?:the\s+|el\s+|le\s+|das\s+|o\s+)?(?:whole\s+)?"
    r"(?:project|job|gig|contract|work|thing|total|proyecto|projeto|projet|projekt|progetto)\b)"
    r"[^\W\d_]{2,}|each\b|apiece\b|a\s+piece\b|cada\s+uno\b|"
    r"(?:monthly|weekly|daily|yearly|annually|mensual(?:es)?|mensuel(?:le)?s?|mensal|mensais|"
    r"semanal(?:es)?|hebdomadaire|monatlich|wöchentlich|mensile|settimanale)\b)",
    re.IGNORECASE,
)
#: A pay word with a period ("pago mensual de", "monthly retainer of", "weekly rate:") before
#: the amount: a price per period too.
PERIOD_PAY = re.compile(
    r"(?:\b(?:monthly|weekly|mensual|mensuel(?:le)?|mensal|semanal|monatlich(?:e[rsn]?)?|"
    r"wöchentlich(?:e[rsn]?)?|mensile|settimanale)\s+(?:\w+\s+)?"
    r"(?:budget|pay|payment|rate|fee|retainer|salary|pago|paga|sueldo|salario|tarifa|"
    r"presupuesto|pagamento|sal[áa]rio|r[ée]mun[ée]ration|salaire|gehalt|verg[üu]tung|"
    r"honorar|compenso|stipendio)"
    r"|\b(?:budget|pay|payment|rate|fee|retainer|salary|pago|paga|sueldo|salario|tarifa|"
    r"presupuesto|pagamento|sal[áa]rio|r[ée]mun[ée]ration|salaire|gehalt|verg[üu]tung|"
    r"honorar|compenso|stipendio)\s+(?:mensual|mensuel(?:le)?|mensal|semanal|monatlich|"
    r"wöchentlich|mensile|settimanale|monthly|weekly|per\s+month|per\s+week))\b[^.;!?]{0,25}$",
    re.IGNORECASE,
)
#: With no hourly or fixed cue, amounts at least this large are read as a total.
FIXED_ABOVE = 250.0
#: A bare number right after an amount and a dash: the high end of a range ("$350-500").
BARE_HIGH = re.compile(rf"\s*(?:-|–|—|to)\s*(?P<num>{_NUMBER})(?P<mult>{_MULT})", re.IGNORECASE)
#: What follows a number that counts things rather than money (see :func:`_counts`).
COUNT_AFTER = re.compile(
    r"\s*(?:(?:-|–|to|or)\s*\d+\s*)?\+?\s*(?:"
    r"(?:weeks?|months?|days?|years?|hours?|h/week|hrs?/week|people|staff|stück|ore|personen|"
    r"seiten|rechnungen|produkte|wörter|worte|stunden|zeilen|bilder|mitarbeiter|pagine|"
    r"fatture|prodotti|parole|righe|immagini|persone)\b|"
    r"(?!(?:was|has|does|tops|cents|pence|thanks|this|thus|yes|less|plus|minus|bonus)\b)"
    r"[^\W\d_]{2,}(?<!ss)(?<!us)(?<!is)s\b)",
    re.IGNORECASE,
)
RANGE_SEP = re.compile(rf"^\s*(?:{_RANGE_WORDS}|or)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Money:
    """One amount found in text, with the currency it was written in (if any)."""

    amount: float
    currency: str | None
    start: int
    end: int
    multiplier: float = 1.0


@dataclass(frozen=True)
class BudgetGuess:
    """A budget read from text; every field None when the text does not say."""

    kind: BudgetKind | None
    minimum: float | None
    maximum: float | None
    currency: str | None
    #: What one amount is the price of, as written ("por palabra", "each", "/month"), when it
    #: is a price per unit or per period: then the amounts are no budget and no hourly rate.
    per: str | None = None
    #: How many things a fixed price is the price of each of ("3 at $1,000 fixed": 3).
    count: int | None = None


def parse_number(text: str) -> float | None:
    """``"2,00,000"`` -> 200000; ``"3.000"`` -> 3000; ``"1.5"`` -> 1.5; ``"1,250.50"`` -> 1250.5."""
    s = re.sub(r"[\s'’]", "", text)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):  # European grouping 3.000,50
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d{1,2}", s):  # decimal comma 12,5
        s = s.replace(",", ".")
    else:
        s = s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


def _currency(token: str | None) -> str | None:
    if not token:
        return None
    if token in SYMBOLS:
        return SYMBOLS[token]
    upper = token.upper()
    if upper in CODES:
        return upper
    return WORDS.get(token.lower())


def find_amounts(text: str) -> list[Money]:
    """Every money-like amount: a number with a currency, a multiplier, or money context."""
    out: list[Money] = []
    for m in AMOUNT.finditer(text):
        value = parse_number(m.group("num"))
        if value is None:
            continue
        mult = (m.group("mult") or "").strip().lower()
        value *= MULTIPLIERS.get(mult, 1.0)
        if _is_version(m.group("pre"), m.group("post"), value) or _coins_work(m):
            continue
        currency = _currency(m.group("pre")) or _currency(m.group("post"))
        if currency is None and PER_UNIT.match(text[m.end() : m.end() + 25]):
            currency = _code_beside(text, m.start(), m.end())  # "150 per card, USD"
        if currency is None and (
            _not_money(text, m.start("num"), m.end("num"), value)
            or (not mult and not _money_context(text, m.start(), m.end()))
        ):
            continue
        out.append(Money(value, currency, m.start(), m.end(), MULTIPLIERS.get(mult, 1.0)))
    return out


def _coins_work(m: re.Match[str]) -> bool:
    """Whether a ticker after a number names the coin's work, not the unit: "2 ETH developers".

    The skill reader reads it the same way (:func:`tandem.domain.money.money_unit`): a count of
    people who do that work is no budget in that coin.
    """
    post = m.group("post")
    if post is None or (post.upper() not in TICKERS and post.lower() not in TICKER_NAMES):
        return False
    return not money_unit(m.string, m.start("post"), m.end("post"))


#: Currency codes that are also names of software, written before a version: "PHP 8".
VERSIONED_CODES = frozenset({"PHP"})


def _is_version(pre: str | None, post: str | None, value: float) -> bool:
    """Whether "PHP 8.2" is a version (a small number after a software name, no currency after)."""
    return pre is not None and pre.upper() in VERSIONED_CODES and not post and value < 100


#: A clock time ("9:00", "10a.m", "7 pm") or a list item ("1. Generate", "2- Integrate",
#: "7) some"): a bare number there is no amount, whatever money words are near.
NOT_MONEY_AFTER = re.compile(r"(?::\d\d|\s?[ap]\.?m\b\.?|[.)]\s+[A-Za-z]|\s?-\s*[A-Z])")
#: "Hour" is money only as the unit of a rate ("30 an hour", "per hour", "hourly"): the noun
#: alone names the time the work takes, and "change the hours to 30" set a $30/h budget
#: (trial 18: "hours per week 20" turned $25-35/h into $20/h).
MONEY_WORDS = re.compile(
    r"\b(?:budget|pay|rate|price|cost|offer|spend|fixed|salary|presupuesto|orçamento|"
    r"preis|prix|precio|pago|tarif|honorar|hourly|(?:an|a|per|each|every|by\s+the)\s+hour\b)"
    r"|/h",
    re.IGNORECASE,
)

#: A price word right before a number ("budget: 50"): money, even before a full stop.
PRICE_BEFORE = re.compile(
    r"\b(?:budget|pay|rate|price|cost|fee|salary|presupuesto|precio|pago|tarif\w*)\s*[:=]?\s*$",
    re.IGNORECASE,
)


def _not_money(text: str, start: int, end: int, value: float) -> bool:
    """A small number without a currency that is a clock time, a UTC offset or a list item.

    Not when a money word is right before it ("budget: 50. We need it fast").
    """
    if value >= 100 or PRICE_BEFORE.search(text[max(0, start - 20) : start]):
        return False
    return text[max(0, start - 1) : start] in (":", "+") or bool(NOT_MONEY_AFTER.match(text, end))


#: A currency code written on its own near a bare price ("150 per card, USD", "in EUR: 40 a
#: page"), in capitals; not a code that is also software ("PHP 8"), nor one a word follows:
#: a code before a noun is that noun's acronym ("CAD drafting", "CAD experience", "SAR data").
CODE_ALONE = re.compile(
    rf"(?<![\w$€£])({'|'.join(sorted(CODES - VERSIONED_CODES))})(?![\w$€£])(?![^\S\n]+[^\W\d_])"
)


def _code_beside(text: str, start: int, end: int) -> str | None:
    """The currency a code written near a bare price names (one code, in the same sentence)."""
    before = re.split(r"[.!?;\n]\s", text[max(0, start - 25) : start])[-1]
    after = re.split(r"[.!?;\n]", text[end : end + 25])[0]
    found = {m.group(1) for m in CODE_ALONE.finditer(before + " " + after)}
    return found.pop() if len(found) == 1 else None


def _money_context(text: str, start: int, end: int) -> bool:
    """Money words near a bare number (at a word's start: "rate", not "generate")."""
    return bool(MONEY_WORDS.search(text[max(0, start - 25) : end + 20]))


#: Money a request mentions that is not what the work pays: the client's ad spend, revenue or
#: turnover ("monthly spend is around €12k. Audit fee €500": the budget is the fee).
NOT_THE_BUDGET = re.compile(
    r"(?:\b(?:ad|ads|advertising|media|marketing|monthly|daily|weekly|annual|yearly|current)\s+"
    r"spend(?:ing)?|\b(?:revenue|turnover|ARR|MRR|GMV|valuation|facturaci[óo]n|"
    r"chiffre\s+d['’]affaires|umsatz|fatturato|faturamento|omzet)|"
    r"\bgasto\s+(?:mensual\s+)?en\s+(?:anuncios|publicidad)|inversi[óo]n\s+publicitaria|"
    r"d[ée]penses?\s+publicitaires?|werbeausgaben|spesa\s+pubblicitaria|"
    r"investimento\s+em\s+an[úu]ncios)\b"
    r"(?:\s*(?:is|was|are|of|at|around|about|roughly|approx\.?|approximately|currently|"
    r"per\s+month|a\s+month|monthly|ca\.?|ist|liegt|bei|von|es|de|est|environ|d['’]environ|"
    r"é|è|di|van|por\s+mes|par\s+mois|al\s+mese|pro\s+monat|[:=~(]))*\s*$",
    re.IGNORECASE,
)


#: The same said after the amount: "$2M in annual revenue", "$5k a month in ad spend".
NOT_THE_BUDGET_AFTER = re.compile(
    r"\s*(?:/\s*month|a\s+month|per\s+month|monthly)?\s*(?:in|of)\s+"
    r"(?:annual\s+|monthly\s+|yearly\s+)?(?:revenue|sales|turnover|ads?\s+spend|spend|ARR|MRR|GMV)\b",
    re.IGNORECASE,
)


def _not_the_budget(text: str, money: Money) -> bool:
    """Whether the words right before or after ``money`` call it spend, revenue or turnover."""
    return bool(
        NOT_THE_BUDGET.search(text[max(0, money.start - 60) : money.start])
        or NOT_THE_BUDGET_AFTER.match(text, money.end)
    )


def read_budget(text: str) -> BudgetGuess:
    """The budget of a request: an amount or a range, its currency and whether it is hourly."""
    amounts = [
        a
        for a in find_amounts(text)
        if not _is_duration_or_count(text, a) and not _not_the_budget(text, a)
    ]
    if not amounts:
        return BudgetGuess(None, None, None, None)
    with_currency = [i for i, a in enumerate(amounts) if a.currency is not None]
    if with_currency:  # "10 hours of audio, $1 per minute": the amount with a currency is the money
        amounts = amounts[with_currency[0] :]
    first = amounts[0]
    low, high = first.amount, first.amount
    counted = _priced_count(text, first)  # "2 a $300 cada uno": two, at $300 each
    before = None if counted else _bare_low(text[: first.start])
    if before is not None:  # "between 500 and 800 euros": the low end has no currency of its own
        bare = parse_number(before.group("num"))
        if bare is not None:
            own = MULTIPLIERS.get((before.group("mult") or "").strip().lower(), 1.0)
            bare = _low_end(bare, own, first)
            low = min(bare, first.amount)
            high = max(bare, first.amount)
    currency = first.currency
    tail_end = first.end
    tail = BARE_HIGH.match(text, first.end)
    if len(amounts) > 1 and RANGE_SEP.match(text[first.end : amounts[1].start]):
        second = amounts[1]
        low, high = sorted((_low_end(first.amount, first.multiplier, second), second.amount))
        currency = first.currency or second.currency
        tail_end = second.end
    elif tail is not None and not _counts(text[tail.end() :]):  # "$350-500": the high end bare
        bare = parse_number(tail.group("num"))
        if bare is not None:
            bare *= MULTIPLIERS.get((tail.group("mult") or "").strip().lower(), 1.0)
            if bare > first.amount:
                high, tail_end = bare, tail.end()
    near = text[max(0, first.start - 40) : tail_end + 30]
    kind: BudgetKind | None = None
    after = text[tail_end : tail_end + 25]
    if HOURLY.search(near):
        kind = "hourly"
    elif counted and FIXED.search(near):  # "3 at $1,000 fixed": each at a fixed price
        found = PRICED_COUNT.search(text[max(0, first.start - 20) : first.start])
        count = int(found.group("count")) if found is not None else None
        return replace(_limits(text, first, low, high, currency, "fixed"), count=count)
    elif (
        counted
        or PER_UNIT.match(after)
        or PERIOD_PAY.search(text[max(0, first.start - 60) : first.start])
    ):
        unit = PER_UNIT.match(after)
        per = unit.group(0).strip() if unit is not None else "each" if counted else "period"
        return replace(_limits(text, first, low, high, currency, None), per=per)
    elif FIXED.search(near):
        kind = "fixed"
    if kind is None and high >= FIXED_ABOVE:
        kind = "fixed"  # nobody pays that much per hour: a total
    return _limits(text, first, low, high, currency, kind)


#: A whole number and a word for "at" or "times" right before an amount: how many things, and
#: the price of each ("2 a $300", "3 x $50", "2 @ $300", "4 à 50 € pièce", "5 zu je 20 €").
PRICED_COUNT = re.compile(
    r"(?<![\w.,'’$€£¥₹])(?P<count>\d{1,4})\s*(?P<at>[x×*@]|at|a|à|al|je|zu\s+je)\s*$",
    re.IGNORECASE,
)
#: Of those words, the ones that also join the two ends of a range ("200 a 300 €").
RANGE_OR_AT = frozenset({"a", "à", "al"})
#: Words that open a range before its low end ("de 2 a 300 €", "between 2 and 3k").
RANGE_OPENER = re.compile(r"\b(?:de|entre|from|between|desde|du|von|da|tra|fra|van)\s*$", re.I)


def _bare_low(text: str) -> re.Match[str] | None:
    """``BARE_LOW.search(text)``: the number and range word ``text`` ends with, if any.

    Each run of thousands groups is tried once, from its first number. ``search`` tried every
    group of "1 11 11 11 ...", and each try read the groups to the end before failing at the
    ``$``: n²/2 steps, 2 s for 8,000 characters before an amount (a draft's budget). A later
    group of the run ends where the first can end, so it matches only if the first did.
    """
    at = 0
    while (start := _NUMBER_START.search(text, at)) is not None:
        found = BARE_LOW.match(text, start.start())
        if found is not None:
            return found
        groups = _GROUPS.match(text, start.start())
        at = groups.end() if groups is not None else start.end()
    return None


def _priced_count(text: str, money: Money) -> bool:
    """Whether a bare number before ``money`` counts the things it prices ("Vendo 2 a $300").

    "x", "@", "at", "je" always say so. "a"/"à" also join a range's ends, so they count only
    after no range opener ("de 200 a 300 €"), and then when a price per unit follows ("10 a
    15 € cada uno": ten at 15 € each; "10 a 15 $ por hora" is a range of hourly rates) or the
    price is at least ten times the count, a count under a hundred when the currency is
    written before the price alone ("2 a $300": it marks the price, not both ends), a handful
    (ten at most) when it follows both numbers ("2 à 300 €"): "50 a 600 dólares" and "30 a
    500 €" are budget ranges.
    """
    m = PRICED_COUNT.search(text[max(0, money.start - 20) : money.start])
    if m is None:
        return False
    if m.group("at").lower() not in RANGE_OR_AT:
        return True
    lead = text[: max(0, money.start - 20) + m.start()]
    if RANGE_OPENER.search(lead):
        return False
    count = int(m.group("count"))
    after = text[money.end : money.end + 25]
    per_unit = PER_UNIT.match(after) is not None and not HOURLY.match(after.lstrip())
    written = text[money.start : money.end].lstrip()
    prefixed = bool(written) and not written[0].isdigit()
    return per_unit or (count < (100 if prefixed else 11) and count * 10 <= money.amount)


def _low_end(low: float, multiplier: float, high: Money) -> float:
    """The low end of a range, with the high end's "k" when it has none: "3-4k" is 3000-4000."""
    if multiplier == 1.0 and high.multiplier > 1.0 and low * high.multiplier <= high.amount:
        return low * high.multiplier
    return low


def _limits(
    text: str, first: Money, low: float, high: float, currency: str | None, kind: BudgetKind | None
) -> BudgetGuess:
    """One amount is a cap ("up to"), a floor ("at least") or both ends of the budget."""
    if low == high:
        lead = text[max(0, first.start - 20) : first.start].lower()
        if UP_TO.search(lead):
            return BudgetGuess(kind, None, high, currency)
        if AT_LEAST.search(lead):
            return BudgetGuess(kind, low, None, currency)
    return BudgetGuess(kind, low, high, currency)


def _is_duration_or_count(text: str, money: Money) -> bool:
    """Whether an amount is really a count: "3 weeks", "12 sheets", "8-10 screens" (no currency)."""
    return money.currency is None and _counts(text[money.end : money.end + 24])


def _counts(after: str) -> bool:
    """Whether a number followed by ``after`` counts things: a time unit or a plural noun.

    A bare number right before a plural noun ("12 sheets", "2000 rows", "50 factures") is how
    many, never how much; currency words ("500 dollars") were read as currencies before this.
    """
    return bool(COUNT_AFTER.match(after))


#: The unit of a price per unit: the last word of "por palabra", "per word", "/word", "par mot".
UNIT_WORD = re.compile(r"([^\W\d_]{2,})\W*$")
#: Units that are periods: a price per month times a number of months is a salary, not a total
#: the client stated, and "each" or "cada uno" names no unit to count.
NOT_COUNTED = re.compile(
    r"^(?:month|week|day|year|hour|minute|m[êe]s|semana|d[íi]a|a[ñn]o|hora|minuto|mois|semaine|"
    r"mese|settimana|giorno|anno|ora|minuti|dias?|horas?|"
    r"jour|an|heure|monat|woche|tag|jahr|stunde|each|uno|una|piece|apiece|pi[èe]ce|period|"
    r"monthly|weekly|daily|yearly|annually|mensual\w*|mensuel\w*|mensal\w*|semanal\w*|"
    r"hebdomadaire|monatlich|wöchentlich|mensile|settimanale)$",
    re.IGNORECASE,
)


#: A number and the word after it, unless that word counts one of several things ("1,200
#: words each", "500 leads per month").
COUNTED = re.compile(
    rf"(?P<num>{_NUMBER})\s+(?P<word>[^\W\d_]{{2,}})\b"
    r"(?!\s+(?:each|per|a|an|por|par|pro|je|cada|chacun\w*)\b)",
    re.IGNORECASE,
)


def _folded(word: str) -> str:
    """A word in lower case without accents, so "Wörter" counts "Wort" and "páginas" "página"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def unit_count(text: str, per: str) -> float | None:
    """How many of a price's units the text counts ("10.000 palabras" for "por palabra").

    The count names the same unit (the unit word, or its plural: the first letters shared),
    and counts the whole work: "1,200 words each" counts the words of one of several things,
    so it is no count of the whole. None when the text counts no such unit, or more than one
    number of them.
    """
    unit = UNIT_WORD.search(per)
    if unit is None or NOT_COUNTED.match(unit.group(1)):
        return None
    stem = _folded(unit.group(1))
    stem = stem[: max(3, len(stem) - 2)]
    counts = {
        parse_number(m.group("num"))
        for m in COUNTED.finditer(text)
        if _folded(m.group("word")).startswith(stem)
    }
    counts.discard(None)
    if len(counts) != 1:
        return None
    count = counts.pop()
    return count if count and count > 1 else None


def priced_total(text: str, budget: BudgetGuess) -> BudgetGuess | None:
    """A price per unit times the number of units the text counts: a total, or None.

    "0,08 € por palabra, 10.000 palabras" is 800 € for the whole work: a fixed budget a job can
    hold. Without a count (or for a period: "$300 per month") the price stays a price per unit.
    """
    if budget.per is None or budget.kind is not None:
        return None
    count = unit_count(text, budget.per)
    if count is None:
        return None
    low = None if budget.minimum is None else round(budget.minimum * count, 2)
    high = None if budget.maximum is None else round(budget.maximum * count, 2)
    return BudgetGuess("fixed", low, high, budget.currency)
