"""The decision log's hash chain: tamper evidence that survives a lawful erasure.

Each entry's hash covers the hash of the entry before it and a *hashed form* of its content,
so an edit, a removal or a reordering anywhere breaks every later link, and ``tandem log
head`` gives the operator one value to anchor elsewhere (a removal at the very end is only
visible against that anchor: see ``docs/decision-log.md`` for the threat model).

People never enter the hashed form in clear. Every id that names someone (the freelancer
ranked, the job and through it its client, the person recommended to, the actor) is replaced
by an HMAC under a random key that belongs to that id alone (``log_keys``), and the reasons
shown about a person are committed through the same key. Erasing someone replaces their id
in the stored entry by ``erased:`` and that same pseudonym, seals their reasons (keeping only
the commitment), then destroys their key: the hashed form, and so the chain, is unchanged,
while nothing left can be turned back into the person (the key was random, not derived).

The words of a search (its text and skills, already stripped of contact details) are free
text that can name anyone ("Jane Doe"), so they are treated the same way under a key of
their own, one per entry (``query:REQUEST_ID``): the hashed form holds their pseudonyms, and
the reasons of a search's results, which quote its words, are committed under that key too.
Erasing a person whose name, id, email or phone a query holds tombstones that entry's words,
seals its reasons and destroys the entry's query key, exactly as for an id.

This module is pure: it computes; :mod:`tandem.store.decisions` reads and writes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, Literal

#: The ``prev_hash`` of the first entry.
GENESIS = "0" * 64
#: How an erased id is stored: this prefix, then its pseudonym.
TOMBSTONE = "erased:"

Namespace = Literal["freelancer", "job", "actor", "query"]
#: Per kind: the namespace of the ranked ids, of the subject, and whose key seals the reasons
#: ("item": each ranked person's own; "subject": the person the ranking was made for). A
#: search's subject is its text, in the ``query`` namespace, whose key also seals every
#: result's reasons (they quote the text).
LAYOUT: dict[str, tuple[Namespace, Namespace | None, Literal["item", "subject"] | None]] = {
    "match": ("freelancer", "job", "item"),
    "search_talent": ("freelancer", "query", "item"),
    "recommend": ("job", "freelancer", "subject"),
    "search_jobs": ("job", "query", None),
}
#: Request fields that hold ids, and their namespaces.
REQUEST_IDS: dict[str, Namespace] = {"job_id": "job", "freelancer_id": "freelancer"}
#: Request fields of a search that hold words someone typed (a string or a list of strings).
QUERY_FIELDS = ("text", "skills")
#: Runs of letters (a name's parts), and words (what a part must equal, whole).
_LETTERS = re.compile(r"[^\W\d_]+")
_WORDS = re.compile(r"\w+")


class MissingKeyError(LookupError):
    """An id in an entry has neither a key nor a tombstone: a key was deleted or altered."""


def canonical(value: Any) -> bytes:
    """One byte string per JSON value (sorted keys, no spaces), what every hash is taken of."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def key_name(namespace: str, value: str) -> str:
    """The name of an id's key, e.g. ``freelancer:f000123``."""
    return f"{namespace}:{value}"


def query_key(request_id: str) -> str:
    """The name of the key of one search's words (named by the entry, never by the words)."""
    return key_name("query", request_id)


def _is_search(entry: dict[str, Any]) -> bool:
    return LAYOUT[entry["kind"]][1] == "query"


def query_words(entry: dict[str, Any]) -> list[str]:
    """The words someone typed into a search entry (subject, text, skills); [] otherwise."""
    if not _is_search(entry):
        return []
    words = [entry["subject"]]
    for field in QUERY_FIELDS:
        value = entry["request"].get(field)
        if isinstance(value, str):
            words.append(value)
        elif isinstance(value, list):
            words.extend(v for v in value if isinstance(v, str))
    return words


def _folded(text: str) -> str:
    """Casefolded, single-spaced and without accents ("Peña" and "PENA" are one)."""
    decomposed = unicodedata.normalize("NFKD", " ".join(text.casefold().split()))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_parts(name: str) -> set[str]:
    """The parts of a name a search may hold alone: each given or family name of 2+ letters.

    Folded as :func:`quotes` compares (case and accents aside); "Hannah O'Brien" gives
    ``hannah``, ``brien`` and ``obrien`` (the family name typed without its apostrophe).
    """
    parts: set[str] = set()
    for word in _folded(name).split():
        runs = _LETTERS.findall(word)
        parts.update(r for r in runs if len(r) >= 2)
        joined = "".join(runs)
        if len(joined) >= 2:
            parts.add(joined)
    return parts


def quotes(entry: dict[str, Any], needles: Iterable[str], parts: Iterable[str] = ()) -> bool:
    """Whether a search entry's words hold any of ``needles``, or a name part as a word.

    Case, spacing and accents ignored. A needle (id, full name, email, phone) counts
    anywhere in the words; a name part (:func:`name_parts`) only as a whole word, so "Ana"
    finds "ana django" but not "banana" or "analytics".
    """
    folded = [_folded(n) for n in needles]
    wanted = {_folded(p) for p in parts}
    for word in query_words(entry):
        if is_tombstone(word):
            continue
        plain = _folded(word)
        if any(n and n in plain for n in folded):
            return True
        if wanted and wanted & set(_WORDS.findall(plain)):
            return True
    return False


def is_tombstone(value: str) -> bool:
    """Whether a stored id has been erased."""
    return value.startswith(TOMBSTONE)


def pseudonym(key: bytes, value: str) -> str:
    """The HMAC-SHA256 of ``value`` under its key, 128 bits in hex."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def seal(key: bytes | list[bytes], reasons: Any) -> str:
    """A commitment to the reasons shown about a person, under that person's key.

    Reasons that concern two parties (a search result: the person found, the words that
    found them) are committed under both keys in turn, so destroying either seals them.
    """
    digest = canonical(reasons)
    for k in key if isinstance(key, list) else [key]:
        digest = hmac.new(k, digest, hashlib.sha256).digest()
    return "sealed:" + digest.hex()


def _named(entry: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """Every ``(key name, stored value)`` of an entry that names someone or holds their words."""
    item_ns, subject_ns, _ = LAYOUT[entry["kind"]]
    yield key_name("actor", entry["actor"]), entry["actor"]
    if subject_ns == "query":
        name = query_key(entry["request_id"])
        for word in query_words(entry):
            yield name, word
    elif subject_ns is not None:
        yield key_name(subject_ns, entry["subject"]), entry["subject"]
    for field, namespace in REQUEST_IDS.items():
        value = entry["request"].get(field)
        if isinstance(value, str):
            yield key_name(namespace, value), value
    for value in entry["candidates"]:
        yield key_name(item_ns, value), value
    for item in entry["results"]:
        yield key_name(item_ns, item["id"]), item["id"]


def keys_needed(entry: dict[str, Any]) -> set[str]:
    """Names of the keys an entry's hashed form needs (erased ids need none)."""
    return {name for name, v in _named(entry) if not is_tombstone(v)}


def mentions(entry: dict[str, Any], names: set[str]) -> bool:
    """Whether any of the key ``names`` belongs to an id (or the query) in ``entry``."""
    return any(name in names for name, _ in _named(entry))


def _sealers(entry: dict[str, Any], item: dict[str, Any]) -> list[str]:
    """Names of the keys that commit one result's reasons, in order ([]: a plain hash)."""
    item_ns, subject_ns, sealed_by = LAYOUT[entry["kind"]]
    names = []
    if sealed_by == "item":
        names.append(key_name(item_ns, item["id"]))
    elif sealed_by == "subject" and subject_ns is not None:
        names.append(key_name(subject_ns, entry["subject"]))
    if subject_ns == "query":
        names.append(query_key(entry["request_id"]))
    return names


def hashed_form(entry: dict[str, Any], keys: dict[str, bytes]) -> dict[str, Any]:
    """The entry as the chain hashes it: ids and search words as pseudonyms, reasons committed."""
    item_ns, subject_ns, _ = LAYOUT[entry["kind"]]
    query = query_key(entry["request_id"])

    def key(name: str) -> bytes:
        found = keys.get(name)
        if found is None:
            raise MissingKeyError(f"no key for {name}")
        return found

    def p(namespace: str | None, value: str) -> str:
        if namespace is None:
            return value
        if is_tombstone(value):
            return "p:" + value.removeprefix(TOMBSTONE)
        name = query if namespace == "query" else key_name(namespace, value)
        return "p:" + pseudonym(key(name), value)

    def reasons_of(item: dict[str, Any]) -> str:
        if item.get("sealed"):
            return str(item["sealed"])
        sealers = _sealers(entry, item)
        if not sealers:
            return "plain:" + hashlib.sha256(canonical(item["reasons"])).hexdigest()
        return seal([key(n) for n in sealers], item["reasons"])

    request = _map_request(entry["request"], subject_ns, p)
    return {
        "request_id": entry["request_id"],
        "ts": entry["ts"],
        "actor": p("actor", entry["actor"]),
        "surface": entry["surface"],
        "kind": entry["kind"],
        "subject": p(subject_ns, entry["subject"]),
        "model_version": entry["model_version"],
        "request": request,
        "candidates": [p(item_ns, c) for c in entry["candidates"]],
        "results": [
            {
                "id": p(item_ns, r["id"]),
                "rank": r["rank"],
                "score": r["score"],
                "reasons": reasons_of(r),
            }
            for r in entry["results"]
        ],  # fmt: skip
    }


def entry_hash(prev_hash: str, form: dict[str, Any]) -> str:
    """The link: SHA-256 over the previous hash and the hashed form."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(form)).hexdigest()


def erase(entry: dict[str, Any], names: set[str], keys: dict[str, bytes]) -> dict[str, Any]:
    """``entry`` with every id whose key is in ``names`` tombstoned and its reasons sealed.

    A search's words go when its query key (:func:`query_key`) is in ``names``: every one of
    them is tombstoned and every result's reasons sealed. ``keys`` must still hold the erased
    keys (they are destroyed after this). The hashed form of the result equals the
    original's, which the caller checks before storing.
    """
    item_ns, subject_ns, _ = LAYOUT[entry["kind"]]
    query = query_key(entry["request_id"])

    def name_of(namespace: str, value: str) -> str:
        return query if namespace == "query" else key_name(namespace, value)

    def stone(namespace: str | None, value: str) -> str:
        if namespace is None or is_tombstone(value) or name_of(namespace, value) not in names:
            return value
        return TOMBSTONE + pseudonym(keys[name_of(namespace, value)], value)

    results = []
    for item in entry["results"]:
        sealers = _sealers(entry, item)
        new = dict(item, id=stone(item_ns, item["id"]))
        if any(n in names for n in sealers) and not item.get("sealed"):
            new["sealed"] = seal([keys[n] for n in sealers], item["reasons"])
            new["reasons"] = []
        results.append(new)
    request = _map_request(entry["request"], subject_ns, stone)
    return dict(
        entry,
        actor=stone("actor", entry["actor"]),
        subject=stone(subject_ns, entry["subject"]),
        request=request,
        candidates=[stone(item_ns, c) for c in entry["candidates"]],
        results=results,
    )


def verify_chain(
    entries: Iterable[tuple[int, str, str, dict[str, Any]]],
    keys_for: Callable[[set[str]], dict[str, bytes]],
    start_hash: str = GENESIS,
) -> tuple[int, str, str | None]:
    """Walk ``(seq, prev_hash, entry_hash, entry)`` in order.

    Returns how many entries held, the last good hash, and a description of the first bad
    entry (None when the whole chain holds).
    """
    held, head = 0, start_hash
    for seq, prev, stored, entry in entries:
        where = f"entry {seq} (request {entry['request_id']})"
        if prev != head:
            return held, head, f"{where}: its link to the entry before it is broken"
        try:
            form = hashed_form(entry, keys_for(keys_needed(entry)))
        except MissingKeyError as exc:
            return held, head, f"{where}: {exc}"
        if entry_hash(prev, form) != stored:
            return held, head, f"{where}: its content does not match its hash"
        held, head = held + 1, stored
    return held, head, None


def _map_request(
    request: dict[str, Any], subject_ns: str | None, name: Callable[[str | None, str], str]
) -> dict[str, Any]:
    """A request with its ids (and a search's words) put through ``name(namespace, value)``.

    One walk for both forms of an entry: the hashed one (pseudonyms) and the erased one
    (tombstones), so the two can never disagree on which fields name someone.
    """
    out: dict[str, Any] = {}
    for k, v in request.items():
        if k in REQUEST_IDS and isinstance(v, str):
            out[k] = name(REQUEST_IDS[k], v)
        elif subject_ns == "query" and k in QUERY_FIELDS and isinstance(v, str):
            out[k] = name("query", v)
        elif subject_ns == "query" and k in QUERY_FIELDS and isinstance(v, list):
            out[k] = [name("query", x) if isinstance(x, str) else x for x in v]
        else:
            out[k] = v
    return out
