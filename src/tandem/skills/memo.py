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
from typing import get_args

from tandem.skills import forms, keys, normalise
from tandem.skills.normalise import How, SkillMatch
from tandem.skills.taxonomy import Taxonomy

_HOWS = frozenset(get_args(How))


def fingerprint(taxonomy: Taxonomy) -> str:
    """A digest of everything a normalised form depends on: spellings and the rules' code."""
    digest = hashlib.blake2b(digest_size=16)
    for module in (normalise, forms, keys):
        digest.update(Path(module.__file__ or "").read_bytes())
    for skill in taxonomy:
        digest.update(json.dumps([skill.name, skill.aliases], ensure_ascii=False).encode())
    return digest.hexdigest()


def read_forms(path: Path, expected: str) -> dict[str, SkillMatch]:
    """The forms stored at ``path`` for the fingerprint ``expected`` (none if stale or bad)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
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


def is_current(path: Path, expected: str) -> bool:
    """Whether ``path`` holds forms worked out under the fingerprint ``expected``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("fingerprint") == expected


def write_forms(path: Path, stamp: str, known: Mapping[str, SkillMatch]) -> None:
    """Store ``known`` at ``path`` atomically, readable by the owner only (typed words)."""
    payload = {"fingerprint": stamp, "forms": {t: [m.name, m.how] for t, m in known.items()}}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, ensure_ascii=False, separators=(",", ":"))
    tmp.replace(path)
