"""The import log's writer: every import the engine runs is recorded, whoever asked.

:meth:`tandem.engine.core.EngineCore.import_bundle` calls :func:`recorded` around the
importer, so ``tandem import``, ``tandem demo``, ``POST /api/imports`` and the web page all
leave the same record: when, who, what bundle, the counts per file and the lines skipped
with their reasons. An import refused before writing (a missing file, ``--strict``) is
recorded as ``failed`` with its message, then the error goes on to the caller.
"""

from __future__ import annotations

import getpass
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tandem.engine.types import Requester
from tandem.errors import ValidationError
from tandem.store.imports import MAX_KEPT_ERRORS, ImportEntry, ImportLog

if TYPE_CHECKING:
    from tandem.bundle.importer import ImportReport


def local_requester() -> Requester:
    """Who runs an import from this machine's shell (the CLI's local operator)."""
    return Requester(actor=f"local:{getpass.getuser()}", surface="cli")


@dataclass
class Outcome:
    """Filled in by the import inside :func:`recorded`."""

    report: ImportReport | None = None


@contextmanager
def recorded(log: ImportLog, who: Requester | None, source: str) -> Iterator[Outcome]:
    """Record the import run inside the block (its report, or the validation error)."""
    asker = who or local_requester()
    started = datetime.now(UTC)
    outcome = Outcome()

    def entry(**fields: Any) -> ImportEntry:
        return ImportEntry(
            id=f"imp_{started:%Y%m%d%H%M%S}_{secrets.token_hex(4)}",
            started_at=started,
            finished_at=datetime.now(UTC),
            actor=asker.actor,
            surface=asker.surface,
            source=source,
            **fields,
        )

    try:
        yield outcome
    except ValidationError as exc:
        log.add(entry(status="failed", imported=0, error_count=0, message=str(exc)))
        raise
    report = outcome.report
    if report is None:
        return
    report.import_id = log.add(
        entry(
            status=report.status,
            imported=report.imported,
            error_count=len(report.errors),
            withheld=report.withheld,
            counts={k: vars(v) for k, v in report.counts.items()},
            errors=[str(e) for e in report.errors[:MAX_KEPT_ERRORS]],
        )
    ).id
