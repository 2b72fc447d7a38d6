"""A collection's journal: single-record writes appended since its last full save.

A full save rewrites every vector, label and column (O(N)); an API write changes one
record. So a write appends one line here instead (the record's filterable fields and its
vector) and the lexical index commits it as a small segment; the manifest and columns are
rewritten only when the journal has grown to a share of the collection (amortised O(1)).

Loading replays the journal over the saved columns. A line is the commit point of its write:
it is appended after the lexical index committed the record, so a line on disk always has
its text indexed, and a write killed before its line is redone by the next sync (the
manifest's content hash is still the old one). Lines carry the label they were written
under; replay refuses a journal that does not fit its manifest rather than serve a mix.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from tandem.search.documents import Document

JOURNAL = "journal.jsonl"
#: A full save is due when the journal holds more lines than this share of the live records...
COMPACT_SHARE = 1 / 16
#: ... or than this many, whichever is larger (a small collection compacts rarely too).
COMPACT_MIN = 256


class Entry(NamedTuple):
    """One journalled write: the label it took, the record's fields and its vector."""

    label: int
    doc: Document
    vector: npt.NDArray[np.float32]


def encode(label: int, doc: Document, vector: npt.NDArray[np.float32]) -> str:
    """One line (without its newline): what replay needs, not the text (tantivy holds it)."""
    raw = np.ascontiguousarray(vector, dtype="<f4").tobytes()
    numbers = {k: (None if v != v else float(v)) for k, v in doc.numbers.items()}  # NaN -> null
    return json.dumps(
        {
            "label": label,
            "id": doc.id,
            "hash": doc.content_hash,
            "skills": doc.skills,
            "mentions": doc.mentions,
            "numbers": numbers,
            "tags": doc.tags,
            "vector": base64.b64encode(raw).decode("ascii"),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(line: str) -> Entry:
    """The entry a line of :func:`encode` holds."""
    data: dict[str, Any] = json.loads(line)
    vector = np.frombuffer(base64.b64decode(data["vector"]), dtype="<f4").astype(np.float32)
    numbers = {k: (float("nan") if v is None else float(v)) for k, v in data["numbers"].items()}
    doc = Document(
        id=data["id"],
        content_hash=data["hash"],
        text="",
        embed_text="",
        skills=list(data["skills"]),
        numbers=numbers,
        tags=dict(data["tags"]),
        mentions=dict(data["mentions"]),
    )
    return Entry(int(data["label"]), doc, vector)


def append(path: Path, lines: list[str]) -> int:
    """Append whole lines durably (fsync: a line is a commit); returns the new size in bytes."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))
        handle.flush()
        os.fsync(handle.fileno())
        return handle.tell()


def read_from(path: Path, offset: int) -> tuple[list[Entry], int]:
    """Entries of the whole lines after byte ``offset``, and the offset after the last one.

    A line still being written (no newline yet) is left for the next read.
    """
    if not path.exists():
        return [], offset
    with path.open("rb") as handle:
        handle.seek(offset)
        tail = handle.read()
    end = tail.rfind(b"\n") + 1
    lines = tail[:end].decode("utf-8").splitlines()
    return [decode(line) for line in lines if line], offset + end


def size(path: Path) -> int:
    """The journal's length in bytes (0 when there is none)."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def clear(path: Path) -> None:
    """Empty the journal (after a full save made its lines part of the manifest)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(b"")
    tmp.replace(path)


def due(lines: int, live: int) -> bool:
    """Whether a journal of ``lines`` lines over ``live`` records should be compacted."""
    return lines > max(COMPACT_MIN, int(live * COMPACT_SHARE))
