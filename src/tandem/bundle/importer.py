"""Import a bundle into the store: validate every line, report bad ones, upsert the rest.

Each batch is one transaction, so a crash or kill leaves whole records only;
upserts by id make a re-run complete the work and a repeat a no-op.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pydantic

from tandem.bundle.format import FILES, REQUIRED
from tandem.domain import Event, Proposal, Record
from tandem.errors import ValidationError
from tandem.store import Store, WriteCounts

BATCH = 1000
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class LineError:
    """A line that could not be imported, as ``file:line: reason``."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did, per file, and every line it skipped."""

    counts: dict[str, WriteCounts] = field(default_factory=dict)
    errors: list[LineError] = field(default_factory=list)

    @property
    def imported(self) -> int:
        """Records written or confirmed identical."""
        return sum(c.inserted + c.updated + c.unchanged for c in self.counts.values())

    def summary(self) -> str:
        """One line a person can read."""
        parts = [
            f"{name}: {c.inserted} new, {c.updated} updated, {c.unchanged} unchanged"
            for name, c in self.counts.items()
        ]
        return "; ".join(parts) + f"; {len(self.errors)} bad line(s) skipped"


def _reason(exc: pydantic.ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "record"
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


def parse_file(
    path: Path, model: type[Record], errors: list[LineError]
) -> Iterator[tuple[int, Record]]:
    """Valid records of one JSONL file with their line numbers; bad lines go to ``errors``."""
    seen: set[str] = set()
    with path.open("rb") as handle:
        for lineno, raw_bytes in enumerate(handle, start=1):
            try:
                raw = raw_bytes.decode("utf-8")
            except UnicodeDecodeError as exc:
                errors.append(LineError(path.name, lineno, f"not UTF-8: {exc.reason}"))
                continue
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                errors.append(LineError(path.name, lineno, f"invalid JSON: {exc.msg}"))
                continue
            if not isinstance(obj, dict):
                errors.append(LineError(path.name, lineno, "a line must be a JSON object"))
                continue
            try:
                record = model.model_validate(obj)
            except pydantic.ValidationError as exc:
                errors.append(LineError(path.name, lineno, _reason(exc)))
                continue
            if record.id in seen:
                errors.append(LineError(path.name, lineno, f"duplicate id {record.id!r}"))
                continue
            seen.add(record.id)
            yield lineno, record


class BundleImporter:
    """Imports bundle directories into one store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _repo(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._store, name)

    def _dangling(self, name: str, batch: list[tuple[int, Record]]) -> dict[int, str]:
        """Lines whose references point at nothing in the store (checked per batch)."""
        refs: list[tuple[int, str, str]] = []
        for lineno, rec in batch:
            if isinstance(rec, Proposal | Event):
                if rec.job_id:
                    refs.append((lineno, "jobs", rec.job_id))
                if rec.freelancer_id:
                    refs.append((lineno, "freelancers", rec.freelancer_id))
        bad: dict[int, str] = {}
        for kind in ("jobs", "freelancers"):
            wanted = [r for r in refs if r[1] == kind]
            known = self._repo(kind).exists(r[2] for r in wanted)
            for lineno, _, ref in wanted:
                if ref not in known and lineno not in bad:
                    bad[lineno] = f"{kind[:-1]}_id {ref!r} is not in the store"
        return bad

    def import_dir(
        self, directory: Path, *, strict: bool = False, progress: Progress | None = None
    ) -> ImportReport:
        """Import every bundle file in ``directory``; see the module docstring."""
        if not directory.is_dir():
            raise ValidationError(f"{directory} is not a directory")
        missing = [n for n in sorted(REQUIRED) if not (directory / f"{n}.jsonl").exists()]
        if missing:
            raise ValidationError(f"{directory} has no {', '.join(m + '.jsonl' for m in missing)}")
        if strict:
            self._check_strict(directory)
        report = ImportReport()
        for name, model in FILES:
            path = directory / f"{name}.jsonl"
            if path.exists():
                report.counts[name] = self._import_file(path, name, model, report, progress)
        return report

    def _check_strict(self, directory: Path) -> None:
        errors: list[LineError] = []
        for name, model in FILES:
            path = directory / f"{name}.jsonl"
            if path.exists():
                for _ in parse_file(path, model, errors):
                    pass
        if errors:
            listing = "\n".join(str(e) for e in errors[:50])
            raise ValidationError(
                f"--strict: {len(errors)} bad line(s), nothing imported:\n{listing}"
            )

    def _import_file(
        self,
        path: Path,
        name: str,
        model: type[Record],
        report: ImportReport,
        progress: Progress | None,
    ) -> WriteCounts:
        counts = WriteCounts()
        batch: list[tuple[int, Record]] = []
        for item in parse_file(path, model, report.errors):
            batch.append(item)
            if len(batch) >= BATCH:
                counts += self._write(path.name, name, batch, report, progress)
                batch = []
        if batch:
            counts += self._write(path.name, name, batch, report, progress)
        return counts

    def _write(
        self,
        filename: str,
        name: str,
        batch: list[tuple[int, Record]],
        report: ImportReport,
        progress: Progress | None,
    ) -> WriteCounts:
        bad = self._dangling(name, batch)
        report.errors.extend(LineError(filename, ln, why) for ln, why in sorted(bad.items()))
        good = [rec for ln, rec in batch if ln not in bad]
        with self._store.transaction() as tx:
            counts: WriteCounts = self._repo(name).upsert(tx, good)
        if progress:
            progress(name, len(batch))
        return counts
