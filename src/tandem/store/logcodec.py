"""The decision log's compact payload (format 2): what replay needs, a few KB a ranking.

A served top-10 match logged as plain JSON took ~22 KB on the demo market (issue 15): the
reasons' field names and phrases repeated for every result, and a few hundred candidate ids
spelt out. Format 2 keeps every value of the entry, losslessly, and drops the repetition:

- candidates are stored as the set they are (sorted on append, see ``DecisionLog.record``);
  ids that share a prefix and a digit width (``f000123``) become deltas of their numbers,
  any other id (a tombstone, a free-form id) is kept whole at its position;
- results and reasons become rows without field names (``RESULT_FIELDS``, ``REASON_FIELDS``);
- the whole is compressed (zlib, level 9) and stored as base64 in the entry's JSON column:
  ``{"v": 2, "z": "..."}``.

Reading is versioned: a payload without ``"v"`` is format 1 (plain JSON) and is read as it
is, so logs written before this change still read, verify and replay. Nothing about the
chain changes: the hashed form is computed from the decoded entry, whatever its format, so
an entry's hash is the same in either format and an erasure may rewrite an old entry in
the new format. Reasons are stored as served (not re-rendered from features), so ``tandem
why`` shows exactly what the person was shown, whatever the renderer does today.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections import Counter
from typing import Any

VERSION = 2
RESULT_FIELDS = ("id", "rank", "score", "sealed", "reasons")
REASON_FIELDS = ("code", "text", "kind", "contribution", "evidence")
_NUMBERED = re.compile(r"^(.*?)(\d{1,18})$")


def pack(payload: dict[str, Any]) -> dict[str, Any]:
    """A payload (``request``, ``candidates``, ``results``) in format 2."""
    rows = {
        "r": payload.get("request", {}),
        "c": _pack_ids(list(payload.get("candidates", []))),
        "i": [_pack_result(r) for r in payload.get("results", [])],
    }
    raw = json.dumps(rows, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    blob = zlib.compress(raw.encode("utf-8"), 9)
    return {"v": VERSION, "z": base64.b64encode(blob).decode("ascii")}


def unpack(stored: dict[str, Any]) -> dict[str, Any]:
    """The payload a stored value holds, in either format (format 1 is returned as it is)."""
    version = stored.get("v")
    if version is None:
        return stored
    if version != VERSION:
        raise ValueError(f"decision log payload format {version!r} is newer than this Tandem")
    rows = json.loads(zlib.decompress(base64.b64decode(stored["z"])).decode("utf-8"))
    return {
        "request": rows["r"],
        "candidates": _unpack_ids(rows["c"]),
        "results": [_unpack_result(r) for r in rows["i"]],
    }


def _pack_result(item: dict[str, Any]) -> Any:
    if set(item) - set(RESULT_FIELDS) or not {"id", "rank", "score"} <= set(item):
        return item  # a shape this format does not know: kept whole, never dropped
    reasons = [
        [r[f] for f in REASON_FIELDS] if set(r) == set(REASON_FIELDS) else r
        for r in item.get("reasons", [])
    ]
    return [item["id"], item["rank"], item["score"], item.get("sealed"), reasons]


def _unpack_result(row: Any) -> dict[str, Any]:
    if isinstance(row, dict):
        return row
    reasons = [
        r if isinstance(r, dict) else dict(zip(REASON_FIELDS, r, strict=True)) for r in row[4]
    ]
    return {"id": row[0], "rank": row[1], "score": row[2], "reasons": reasons, "sealed": row[3]}


def _pack_ids(ids: list[str]) -> dict[str, Any]:
    """Ids as the commonest ``prefix + digits of one width`` (number deltas) and the rest."""
    shapes: Counter[tuple[str, int]] = Counter()
    for i in ids:
        m = _NUMBERED.match(i)
        if m:
            shapes[(m[1], len(m[2]))] += 1
    prefix, width = shapes.most_common(1)[0][0] if shapes else ("", 0)
    deltas: list[int] = []
    others: list[list[Any]] = []
    last = 0
    for at, i in enumerate(ids):
        m = _NUMBERED.match(i)
        if m and m[1] == prefix and len(m[2]) == width:
            deltas.append(int(m[2]) - last)
            last = int(m[2])
        else:
            others.append([at, i])
    return {"p": prefix, "w": width, "d": deltas, "x": others}


def _unpack_ids(packed: dict[str, Any]) -> list[str]:
    prefix, width = str(packed["p"]), int(packed["w"])
    others = {int(at): str(i) for at, i in packed["x"]}
    deltas = iter(packed["d"])
    out: list[str] = []
    last = 0
    for at in range(len(packed["d"]) + len(others)):
        if at in others:
            out.append(others[at])
        else:
            last += int(next(deltas))
            out.append(prefix + str(last).zfill(width))
    return out
