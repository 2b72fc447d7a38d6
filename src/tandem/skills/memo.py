"""What typed skill names resolved to, kept between processes.

Every ``tandem match`` normalises the typed skills of a few hundred candidates, and a typo
search per unknown name made that 0.17 s of a command that must answer within 1.5 s (issue 9).
The answers only change with the taxonomy or the normaliser's rules, so the index sync writes
them to a file beside the indexes and the next process starts from it.

The file is a cache, never a source: it is read only when its fingerprint (the taxonomy's
names and spellings, and the normaliser's own code) matches, written atomically, and removed
with the person whose words it holds (an erasure starts a fresh one; see
``tandem.engine.privacy``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple, get_args

from tandem.skills import cognates, forms, keys, normalise, trades
from tandem.skills.normalise import How, SkillMatch
from tandem.skills.taxonomy import Taxonomy

_HOWS = frozenset(get_args(How))


def fingerprint(taxonomy: Taxonomy) -> str:
    """A digest of everything a normalised form depends on: spellings and the rules' code."""
    digest = hashlib.blake2b(digest_size=16)
    for module in (normalise, forms, keys, trades, cognates):
        digest.update(Path(module.__file__ or "").read_bytes())
    for skill in taxonomy:
        digest.update(json.dumps([skill.name, skill.aliases], ensure_ascii=False).encode())
    return digest.hexdigest()


class Seen(NamedTuple):
    """One forms file as a read or write met it: which file, and the fingerprint it held.

    ``key`` is the file's device, inode, size and modification time. Every write replaces the
    file by a rename, so another process's write gives another key: a matching key means the
    same bytes, without parsing them again. (Only a write of the same size into a reused
    inode within one tick of the file system's clock could match; a sync would then take a
    stale file for current until the next write.) ``fingerprint`` is ``None`` for a file
    that held none (or was not a JSON object), which no expected fingerprint equals.
    """

    key: tuple[int, int, int, int]
    fingerprint: str | None


def _key(status: os.stat_result) -> tuple[int, int, int, int]:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def _load(path: Path) -> tuple[Seen, object] | None:
    """The parsed file at ``path`` and what it was (``None``: missing, unreadable, not JSON)."""
    try:
        with path.open("rb") as handle:
            key = _key(os.fstat(handle.fileno()))
            data = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError):
        return None
    stamp = data.get("fingerprint") if isinstance(data, dict) else None
    return Seen(key, stamp if isinstance(stamp, str) else None), data


def _forms_of(data: object, expected: str) -> dict[str, SkillMatch]:
    """The valid forms of a parsed file, if it was stored under ``expected``."""
    if not isinstance(data, dict) or data.get("fingerprint") != expected:
        return {}
    stored = data.get("forms")
    if not isinstance(stored, dict):
        return {}
    out: dict[str, SkillMatch] = {}
    for text, value in stored.items():
        if (
            isinstance(value, list)
            and len(value) == 2
            and (value[0] is None or isinstance(value[0], str))
            and value[1] in _HOWS
        ):
            out[text] = SkillMatch(text, value[0], value[1])
    return out


def read_forms(path: Path, expected: str) -> dict[str, SkillMatch]:
    """The forms stored at ``path`` for the fingerprint ``expected`` (none if stale or bad)."""
    loaded = _load(path)
    return {} if loaded is None else _forms_of(loaded[1], expected)


def is_current(path: Path, expected: str) -> bool:
    """Whether ``path`` holds forms worked out under the fingerprint ``expected``."""
    loaded = _load(path)
    return loaded is not None and loaded[0].fingerprint == expected


def write_forms(path: Path, stamp: str, known: Mapping[str, SkillMatch]) -> Seen:
    """Store ``known`` at ``path`` atomically, readable by the owner only (typed words)."""
    payload = {"fingerprint": stamp, "forms": {t: [m.name, m.how] for t, m in known.items()}}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, ensure_ascii=False, separators=(",", ":"))
        handle.flush()
        written = Seen(_key(os.fstat(handle.fileno())), stamp)  # a rename keeps all four
    tmp.replace(path)
    return written


class FormsMemo:
    """The forms file at one path, for one process: parsed at most once per version of it.

    A sync reads the forms when it first normalises a name, and then asks whether they are
    current (:meth:`Engine._refresh_forms`); both parsed the whole file, which grows with the
    distinct names typed (7,747 at 10k freelancers). This remembers the file it last read
    or wrote, so the question costs one ``stat`` while the file is that one; a file another
    process wrote since (or removed) is parsed again, so the answers are :func:`read_forms`'s
    and :func:`is_current`'s.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: Seen | None = None

    def read(self, expected: str) -> dict[str, SkillMatch]:
        """The forms stored for ``expected`` (none if stale or bad), as :func:`read_forms`."""
        loaded = _load(self.path)
        if loaded is None:
            return {}
        self._seen = loaded[0]
        return _forms_of(loaded[1], expected)

    def is_current(self, expected: str) -> bool:
        """Whether the file holds forms stored under ``expected``, as :func:`is_current`."""
        try:
            key = _key(self.path.stat())
        except OSError:
            return False
        if self._seen is None or self._seen.key != key:
            loaded = _load(self.path)
            if loaded is None:
                return False
            self._seen = loaded[0]
        return self._seen.fingerprint == expected

    def write(self, stamp: str, known: Mapping[str, SkillMatch]) -> None:
        """Store ``known`` under ``stamp``, as :func:`write_forms`."""
        self._seen = write_forms(self.path, stamp, known)
