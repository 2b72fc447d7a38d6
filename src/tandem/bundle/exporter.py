"""Export the store as a bundle (the same format the importer reads)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tandem.bundle.format import FILES
from tandem.store import Store


def export_bundle(store: Store, directory: Path) -> dict[str, int]:
    """Write every table to ``directory/<name>.jsonl``; returns records written per file.

    Each file is written to a temporary name and renamed, so a crash never
    leaves a half-written file under the real name.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for name, _model in FILES:
        repo = getattr(store, name)
        target = directory / f"{name}.jsonl"
        tmp = target.with_suffix(".jsonl.tmp")
        count = 0
        with tmp.open("w", encoding="utf-8") as handle:
            for record in repo.iter_all():
                handle.write(json.dumps(record.to_json_dict(), ensure_ascii=False) + "\n")
                count += 1
        os.replace(tmp, target)
        written[name] = count
    return written
