"""Files under ``TANDEM_HOME`` at an erasure: exactly the erased person's records go.

A bundle kept under the home (an export, a copy of an import: docs/DATA_FORMAT.md) loses the
person's lines, found by the format's id fields, as the store finds their rows: a freelancer's
own line in ``freelancers.jsonl`` and every line whose ``freelancer_id`` is theirs; a client's
own line, its jobs (``client_id``) and every line whose ``job_id`` is one of them. Other
people's lines stay whole, even where they mention the person (the store keeps other people's
records the same way): a substring match took ``f000080`` with ``f000008`` and "Ana Lima" with
"Ana Li". Any other file is the person's data when it quotes them as a whole: their id as a
token, their full name as whole words (any case), their email or phone. A ``.jsonl`` file
that is no bundle file loses such lines; any other such file is deleted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from tandem.bundle.format import FILES
from tandem.store.privacy import Subject

#: Bundle files by name: their lines are matched by id fields, not by text.
_BUNDLE = frozenset(f"{name}.jsonl" for name, _ in FILES)
_READ = 1 << 20


@dataclass(frozen=True)
class Erased:
    """Whose records to find: the person, a client's job ids, and how text quotes them."""

    subject: Subject
    #: A client's jobs: the store's, and those its kept bundles list under its id.
    job_ids: frozenset[str]
    #: The id as a token, the full name as whole words, the email or phone.
    quoted: re.Pattern[str]

    def owns(self, filename: str, record: dict[str, object]) -> bool:
        """Whether a bundle line is this person's record (by the format's id fields)."""
        who = self.subject
        if who.kind == "freelancer":
            if filename == "freelancers.jsonl":
                return record.get("id") == who.id
            return record.get("freelancer_id") == who.id
        if filename == "clients.jsonl":
            return record.get("id") == who.id
        if filename == "jobs.jsonl":
            return record.get("client_id") == who.id or record.get("id") in self.job_ids
        return record.get("job_id") in self.job_ids


def erased(subject: Subject, paths: list[Path]) -> Erased:
    """The person as files find them; ``paths``: the files to clean (a client's jobs read)."""
    jobs = set(subject.job_ids)
    if subject.kind == "client":
        for path in paths:
            if path.name == "jobs.jsonl":
                jobs.update(
                    str(r["id"])
                    for r in _records(path)
                    if r.get("client_id") == subject.id and "id" in r
                )
    parts = [rf"(?<![\w-]){re.escape(subject.id)}(?![\w-])"]
    name = subject.name
    if len(name.strip()) >= 3:
        words = r"\s+".join(re.escape(w) for w in name.split())
        parts.append(rf"(?<!\w){words}(?!\w)")
    contact = [n for n in subject.needles if n not in (subject.id, name)]
    parts.extend(re.escape(n) for n in contact)
    return Erased(subject, frozenset(jobs), re.compile("|".join(parts), re.IGNORECASE))


def _records(path: Path) -> list[dict[str, object]]:
    out = []
    with path.open("rb") as handle:
        for raw in handle:
            record = _record(raw)
            if record is not None:
                out.append(record)
    return out


def _record(raw: bytes) -> dict[str, object] | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def clean(path: Path, who: Erased) -> bool:
    """Remove the person's data from one file; whether anything was removed."""
    if path.suffix != ".jsonl":
        text = path.read_bytes().decode("utf-8", errors="replace")
        if not who.quoted.search(text):
            return False
        path.unlink()
        return True
    kept: list[bytes] = []
    dropped = 0
    with path.open("rb") as handle:
        for raw in handle:
            record = _record(raw) if path.name in _BUNDLE else None
            if record is not None:
                theirs = who.owns(path.name, record)
            else:  # not a bundle line: theirs when it quotes them as a whole
                theirs = bool(who.quoted.search(raw.decode("utf-8", errors="replace")))
            if theirs:
                dropped += 1
            else:
                kept.append(raw)
    if not dropped:
        return False
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(b"".join(kept))
    tmp.replace(path)
    return True


def mentions(path: Path, needles: list[bytes]) -> bool:
    """Whether the file holds any of ``needles``, ASCII case aside (a cheap first look).

    Read in overlapping blocks; :func:`clean` then decides what is the person's.
    """
    needles = [n.lower() for n in needles]
    overlap = max((len(n) for n in needles), default=1)
    tail = b""
    with path.open("rb") as handle:
        while block := handle.read(_READ):
            window = tail + block.lower()
            if any(n in window for n in needles):
                return True
            tail = window[-overlap:]
    return False
