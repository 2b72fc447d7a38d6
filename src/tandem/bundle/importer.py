"""Import a bundle into the store: validate every line, report bad ones, upsert the rest.

Each batch is one transaction, so a crash or kill leaves whole records only;
upserts by id make a re-run complete the work and a repeat a no-op.

Lines are read with a bounded reader: a line over ``MAX_LINE_BYTES`` is reported and skipped
in chunks, never parsed, so memory stays bounded per line whatever a file holds. A UTF-8
byte-order mark at the start of a file is accepted (editors on Windows write one).

``--strict`` runs every check a normal import runs, references included, before anything is
written, and aborts with the list of bad lines if there is one.

A review needs a hire of that freelancer on that job (anywhere in the bundle's events, or in
the store): a review of someone never hired is reported as a bad line, as a dangling reference
is, and skipped. Anywhere, not only earlier lines: an export writes events by id, and ids are
their poster's ("ev10" sorts before "ev9"), so a review may come before its hire.

Records of people who were erased (a freelancer, a client and its jobs, and the proposals
and events on them) are skipped and counted, not reported as bad: an old bundle must not
bring back someone who asked to be forgotten. Who was erased is the engine's to say.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Final, Literal

import pydantic

from tandem.bundle.format import FILES, missing_files
from tandem.domain import Client, Event, Freelancer, Job, Proposal, Record
from tandem.errors import ValidationError
from tandem.store import Store, WriteCounts

#: Records per write (one transaction, one executemany): lines are parsed lazily and at most
#: one batch of records is held, whatever the bundle's size.
BATCH = 1000
#: The longest line read, in bytes (its newline not counted): 1 MiB holds the longest valid
#: record many times over; a longer line is reported as bad without being parsed.
MAX_LINE_BYTES: Final = 1 << 20
_CHUNK: Final = 1 << 16
_BOM: Final = b"\xef\xbb\xbf"
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")
Progress = Callable[[str, int], None]
#: What a finished import says of itself (the API's ``status``; the CLI exits 0 or 3).
ImportStatus = Literal["complete", "completed_with_skipped_lines"]
#: Given a file's name ("freelancers") and a batch of valid records, the records to write.
Prepare = Callable[[str, list[Record]], list[Record]]
#: Given names like ``freelancer:ID`` and ``client:ID``, those of erased people.
Erased = Callable[[set[str]], set[str]]


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
    #: Records skipped because they are (or are about) an erased person.
    withheld: int = 0
    #: The import log's id for this import ("" until the engine has recorded it).
    import_id: str = ""

    @property
    def imported(self) -> int:
        """Records written or confirmed identical."""
        return sum(c.inserted + c.updated + c.unchanged for c in self.counts.values())

    @property
    def status(self) -> ImportStatus:
        """``complete``, or that the good lines landed but bad ones were skipped."""
        return "completed_with_skipped_lines" if self.errors else "complete"

    def summary(self) -> str:
        """One line a person can read."""
        parts = [
            f"{name}: {c.inserted} new, {c.updated} updated, {c.unchanged} unchanged"
            for name, c in self.counts.items()
        ]
        text = "; ".join(parts) + f"; {len(self.errors)} bad line(s) skipped"
        if self.withheld:
            of = "record of an erased person" if self.withheld == 1 else "records of erased people"
            text += f"; skipped {self.withheld} {of} (tandem import --readmit ID lets one back)"
        return text


def _reason(exc: pydantic.ValidationError) -> str:
    """Every reason a line was refused, ``field: why`` joined by ``; ``.

    All of them: whoever fixes the line should not find the second problem only on the next
    import (a report that said "(+1 more)" kept that one nowhere).
    """
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "record"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def read_lines(handle: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes, int]]:
    """Numbered lines of at most ``limit`` bytes, as ``(number, line, length)``.

    A longer line comes back empty with its full ``length``, having been read past in
    chunks: memory stays bounded whatever the line holds.
    """
    number = 0
    while raw := handle.readline(limit + 1):
        number += 1
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield number, raw, len(raw)
            continue
        length = len(raw)
        while not raw.endswith(b"\n") and (raw := handle.readline(_CHUNK)):
            length += len(raw)
        yield number, b"", length


def _decode(raw: bytes, number: int) -> str:
    """A line as text; the first may start with a UTF-8 byte-order mark."""
    if number == 1 and raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    return raw.decode("utf-8")


def _json_object(raw: str) -> dict[str, object] | str:
    """The line's JSON object, or why it is not one."""
    try:
        obj = json.loads(raw)
    except RecursionError:
        return "invalid JSON: nested too deeply"
    except ValueError as exc:  # JSONDecodeError, or an integer of too many digits
        return f"invalid JSON: {getattr(exc, 'msg', str(exc))}"
    return obj if isinstance(obj, dict) else "a line must be a JSON object"


def _parse_line(raw: bytes, number: int, length: int, model: type[Record]) -> Record | str | None:
    """A line's record, why it is bad, or ``None`` for a blank line."""
    if not raw:
        return f"line of {length:,} bytes is over the limit of {MAX_LINE_BYTES:,}; not read"
    try:
        text = _decode(raw, number)
    except UnicodeDecodeError as exc:
        return f"not UTF-8: {exc.reason}"
    if not text.strip():
        return None
    obj = _json_object(text)
    if isinstance(obj, str):
        return obj
    try:
        return model.model_validate(obj)
    except pydantic.ValidationError as exc:
        return _reason(exc)


def parse_file(
    path: Path, model: type[Record], errors: list[LineError]
) -> Iterator[tuple[int, Record]]:
    """Valid records of one JSONL file with their line numbers; bad lines go to ``errors``."""
    seen: set[str] = set()
    with path.open("rb") as handle:
        if handle.peek(2)[:2] in _UTF16_BOMS:
            why = "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"
            errors.append(LineError(path.name, 1, why))
            return
        for number, raw, length in read_lines(handle):
            parsed = _parse_line(raw, number, length, model)
            if parsed is None:
                continue
            if isinstance(parsed, str):
                errors.append(LineError(path.name, number, parsed))
                continue
            if parsed.id in seen:
                errors.append(LineError(path.name, number, f"duplicate id {parsed.id!r}"))
                continue
            seen.add(parsed.id)
            yield number, parsed


def bundle_hires(path: Path) -> set[tuple[str, str]]:
    """``(job_id, freelancer_id)`` of every valid hire line of events file ``path``.

    Read before the file is imported, so a review meets the hires of the whole bundle. Only
    lines holding the word ``hire`` are parsed: hires are a small share of events.
    """
    hires: set[tuple[str, str]] = set()
    if not path.exists():
        return hires
    with path.open("rb") as handle:
        if handle.peek(2)[:2] in _UTF16_BOMS:
            return hires
        for number, raw, length in read_lines(handle):
            if b"hire" not in raw:
                continue
            parsed = _parse_line(raw, number, length, Event)
            if isinstance(parsed, Event) and parsed.type == "hire" and parsed.freelancer_id:
                hires.add((parsed.job_id or "", parsed.freelancer_id))
    return hires


def references(record: Record) -> list[tuple[str, str]]:
    """The records ``record`` points at, as ``(file name, id)``: they must exist."""
    refs: list[tuple[str, str]] = []
    if isinstance(record, Proposal | Event):
        if record.job_id:
            refs.append(("jobs", record.job_id))
        if record.freelancer_id:
            refs.append(("freelancers", record.freelancer_id))
    return refs


class BundleImporter:
    """Imports bundle directories into one store."""

    def __init__(
        self,
        store: Store,
        *,
        prepare: Prepare | None = None,
        erased: Erased | None = None,
        batch: int = BATCH,
    ) -> None:
        if batch < 1:
            raise ValueError(f"an import batch holds at least one record, not {batch}")
        self._store = store
        #: Records parsed, checked and written at a time: all an import holds of a file.
        self._batch = batch
        #: The engine's rules for a batch about to be written (consent kept unless it says so).
        self._prepare = prepare
        self._erased = erased
        #: Jobs of erased clients skipped in this import (their proposals and events go too).
        self._withheld_jobs: set[str] = set()
        #: ``(job_id, freelancer_id)`` of the hires read so far in this import's events.
        self._hires: set[tuple[str, str]] = set()

    def _repo(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._store, name)

    def _dangling(
        self,
        batch: list[tuple[int, Record]],
        in_bundle: dict[str, set[str]] | None = None,
    ) -> dict[int, str]:
        """Lines whose references point at nothing (checked per batch, against the store).

        ``in_bundle``: ids the bundle holds but the store may not yet (a strict check runs
        before anything is written).
        """
        refs = [(line, kind, ref) for line, rec in batch for kind, ref in references(rec)]
        where = "in the store" if in_bundle is None else "in the bundle or the store"
        bad: dict[int, str] = {}
        for kind in ("jobs", "freelancers"):
            ours = (in_bundle or {}).get(kind, set())
            wanted = [r for r in refs if r[1] == kind and r[2] not in ours]
            known = self._repo(kind).exists(r[2] for r in wanted) if wanted else set()
            for line, _, ref in wanted:
                if ref not in known and line not in bad:
                    bad[line] = f"{kind[:-1]}_id {ref!r} is not {where}"
        return bad

    def import_dir(
        self, directory: Path, *, strict: bool = False, progress: Progress | None = None
    ) -> ImportReport:
        """Import every bundle file in ``directory``; see the module docstring."""
        if not directory.is_dir():
            raise ValidationError(f"{directory} is not a directory")
        lacking = missing_files({p.name for p in directory.iterdir() if p.is_file()})
        if lacking:
            raise ValidationError(lacking)
        if strict:
            self._check_strict(directory)
        self._withheld_jobs = set()
        self._hires = bundle_hires(directory / "events.jsonl")
        report = ImportReport()
        for name, model in FILES:
            path = directory / f"{name}.jsonl"
            if path.exists():
                report.counts[name] = self._import_file(path, name, model, report, progress)
        return report

    def _check_strict(self, directory: Path) -> None:
        """Every check of an import, references included, before anything is written."""
        errors: list[LineError] = []
        in_bundle: dict[str, set[str]] = {"jobs": set(), "freelancers": set()}
        self._hires = bundle_hires(directory / "events.jsonl")
        for name, model in FILES:
            path = directory / f"{name}.jsonl"
            if not path.exists():
                continue
            batch: list[tuple[int, Record]] = []
            for number, record in parse_file(path, model, errors):
                if name in in_bundle:
                    in_bundle[name].add(record.id)
                batch.append((number, record))
                if len(batch) >= self._batch:
                    errors.extend(self._reference_errors(path.name, batch, in_bundle))
                    batch = []
            errors.extend(self._reference_errors(path.name, batch, in_bundle))
        if errors:
            order = {f"{name}.jsonl": i for i, (name, _) in enumerate(FILES)}
            errors.sort(key=lambda e: (order[e.file], e.line))
            listing = "\n".join(str(e) for e in errors[:50])
            raise ValidationError(
                f"--strict: {len(errors)} bad line(s), nothing imported:\n{listing}"
            )

    def _reference_errors(
        self, filename: str, batch: list[tuple[int, Record]], in_bundle: dict[str, set[str]]
    ) -> list[LineError]:
        bad = self._unhired_reviews(batch) | self._dangling(batch, in_bundle)
        return [LineError(filename, line, why) for line, why in sorted(bad.items())]

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
            if len(batch) >= self._batch:
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
        withheld = self._withhold(batch)
        report.withheld += len(withheld)
        batch = [(ln, rec) for ln, rec in batch if ln not in withheld]
        bad = self._unhired_reviews(batch) | self._dangling(batch)
        report.errors.extend(LineError(filename, ln, why) for ln, why in sorted(bad.items()))
        good = [rec for ln, rec in batch if ln not in bad]
        if self._prepare is not None:
            good = self._prepare(name, good)
        with self._store.transaction() as tx:
            counts: WriteCounts = self._repo(name).upsert(tx, good)
        if progress:
            progress(name, len(batch) + len(withheld))
        return counts

    def _unhired_reviews(self, batch: list[tuple[int, Record]]) -> dict[int, str]:
        """Reviews of ``batch`` with no hire of that person on that job.

        A hire line anywhere in the bundle's events (:func:`bundle_hires`, read before the
        file), or a hire already in the store. The same rule a client's posted review meets
        (``UserView.record_event``).
        """
        reviews = [
            (line, (rec.job_id or "", rec.freelancer_id or ""))
            for line, rec in batch
            if isinstance(rec, Event) and rec.type == "review"
        ]
        asked = {pair for _, pair in reviews if all(pair) and pair not in self._hires}
        stored = self._store.hired(asked) if asked else set()  # one query for the batch
        bad: dict[int, str] = {}
        for line, pair in reviews:
            if not all(pair):
                bad[line] = "a review names the job and the freelancer hired for it"
            elif pair not in self._hires and pair not in stored:
                bad[line] = (
                    f"review of freelancer {pair[1]!r} on job {pair[0]!r} without a hire of "
                    "them on that job (in the bundle or the store)"
                )
        return bad

    def _withhold(self, batch: list[tuple[int, Record]]) -> set[int]:
        """Lines of ``batch`` that are, or are about, an erased person."""
        if self._erased is None:
            return set()
        named = {line: _people(rec) for line, rec in batch}
        wanted = {n for names in named.values() for n in names}
        erased = self._erased(wanted) if wanted else set()
        out: set[int] = set()
        for line, rec in batch:
            about_gone_job = isinstance(rec, Proposal | Event) and rec.job_id in self._withheld_jobs
            if about_gone_job or any(n in erased for n in named[line]):
                out.add(line)
                if isinstance(rec, Job):
                    self._withheld_jobs.add(rec.id)
        return out


def _people(record: Record) -> list[str]:
    """The people a record is or belongs to, named ``freelancer:ID`` / ``client:ID``."""
    if isinstance(record, Freelancer):
        return [f"freelancer:{record.id}"]
    if isinstance(record, Client):
        return [f"client:{record.id}"]
    if isinstance(record, Job):
        return [f"client:{record.client_id}"] if record.client_id else []
    if isinstance(record, Proposal | Event) and record.freelancer_id:
        return [f"freelancer:{record.freelancer_id}"]
    return []
