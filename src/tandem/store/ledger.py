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

This module is pure: it computes; :mod:`tandem.store.decisions` reads and writes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from typing import Any, Literal

#: The ``prev_hash`` of the first entry.
GENESIS = "0" * 64
#: How an erased id is stored: this prefix, then its pseudonym.
TOMBSTONE = "erased:"

Namespace = Literal["freelancer", "job", "actor"]
#: Per kind: the namespace of the ranked ids, of the subject, and whose key seals the reasons
#: ("item": each ranked person's own; "subject": the person the ranking was made for).
LAYOUT: dict[str, tuple[Namespace, Namespace | None, Literal["item", "subject"] | None]] = {
    "match": ("freelancer", "job", "item"),
    "search_talent": ("freelancer", None, "item"),
    "recommend": ("job", "freelancer", "subject"),
    "search_jobs": ("job", None, None),
}
#: Request fields that hold ids, and their namespaces.
REQUEST_IDS: dict[str, Namespace] = {"job_id": "job", "freelancer_id": "freelancer"}


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


def is_tombstone(value: str) -> bool:
    """Whether a stored id has been erased."""
    return value.startswith(TOMBSTONE)


def pseudonym(key: bytes, value: str) -> str:
    """The HMAC-SHA256 of ``value`` under its key, 128 bits in hex."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def seal(key: bytes, reasons: Any) -> str:
    """A commitment to the reasons shown about a person, under that person's key."""
    return "sealed:" + hmac.new(key, canonical(reasons), hashlib.sha256).hexdigest()


def _ids(entry: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """Every ``(namespace, id)`` of an entry that names someone."""
    item_ns, subject_ns, _ = LAYOUT[entry["kind"]]
    yield "actor", entry["actor"]
    if subject_ns is not None:
        yield subject_ns, entry["subject"]
    for field, namespace in REQUEST_IDS.items():
        value = entry["request"].get(field)
        if isinstance(value, str):
            yield namespace, value
    for value in entry["candidates"]:
        yield item_ns, value
    for item in entry["results"]:
        yield item_ns, item["id"]


def keys_needed(entry: dict[str, Any]) -> set[str]:
    """Names of the keys an entry's hashed form needs (erased ids need none)."""
    return {key_name(ns, v) for ns, v in _ids(entry) if not is_tombstone(v)}


def mentions(entry: dict[str, Any], names: set[str]) -> bool:
    """Whether any of the key ``names`` belongs to an id in ``entry``."""
    return any(key_name(ns, v) in names for ns, v in _ids(entry))


def hashed_form(entry: dict[str, Any], keys: dict[str, bytes]) -> dict[str, Any]:
    """The entry as the chain hashes it: ids as pseudonyms, reasons about people committed."""
    item_ns, subject_ns, sealed_by = LAYOUT[entry["kind"]]

    def p(namespace: str | None, value: str) -> str:
        if namespace is None:
            return value
        if is_tombstone(value):
            return "p:" + value.removeprefix(TOMBSTONE)
        key = keys.get(key_name(namespace, value))
        if key is None:
            raise MissingKeyError(f"no key for {key_name(namespace, value)}")
        return "p:" + pseudonym(key, value)

    def reasons_of(item: dict[str, Any]) -> str:
        if item.get("sealed"):
            return str(item["sealed"])
        owner = (
            (item_ns, item["id"])
            if sealed_by == "item"
            else (subject_ns, entry["subject"])
            if sealed_by == "subject" and subject_ns is not None
            else None
        )
        if owner is None:
            return "plain:" + hashlib.sha256(canonical(item["reasons"])).hexdigest()
        key = keys.get(key_name(*owner))
        if key is None:
            raise MissingKeyError(f"no key for {key_name(*owner)}")
        return seal(key, item["reasons"])

    request = {
        k: p(REQUEST_IDS[k], v) if k in REQUEST_IDS and isinstance(v, str) else v
        for k, v in entry["request"].items()
    }
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

    ``keys`` must still hold the erased keys (they are destroyed after this). The hashed
    form of the result equals the original's, which the caller checks before storing.
    """
    item_ns, subject_ns, sealed_by = LAYOUT[entry["kind"]]

    def gone(namespace: str | None, value: str) -> bool:
        return namespace is not None and key_name(namespace, value) in names

    def stone(namespace: str | None, value: str) -> str:
        if namespace is None or not gone(namespace, value):
            return value
        return TOMBSTONE + pseudonym(keys[key_name(namespace, value)], value)

    subject_gone = gone(subject_ns, entry["subject"])
    results = []
    for item in entry["results"]:
        owner_gone = (sealed_by == "item" and gone(item_ns, item["id"])) or (
            sealed_by == "subject" and subject_gone
        )
        new = dict(item, id=stone(item_ns, item["id"]))
        if owner_gone and not item.get("sealed"):
            owner = key_name(item_ns, item["id"]) if sealed_by == "item" else None
            key = keys[owner] if owner else keys[key_name(subject_ns or "", entry["subject"])]
            new["sealed"] = seal(key, item["reasons"])
            new["reasons"] = []
        results.append(new)
    request = {
        k: stone(REQUEST_IDS[k], v) if k in REQUEST_IDS and isinstance(v, str) else v
        for k, v in entry["request"].items()
    }
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
