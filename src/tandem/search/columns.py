"""A collection's per-label columns on disk: memory-mapped when saved, in memory when new.

At a million profiles, one Python object per record (a dict of hashes, a list of skill lists,
a dict of mentions per record) costs gigabytes, and a float32 copy of every vector read whole
costs 1.5 GB more. So the saved columns are ``.npy`` files that a load maps instead of reads:
a process pays only for the rows it touches, and replicas on one host share the page cache.

Two shapes:

- :class:`Rows`: one fixed-size row per label (vectors, content hashes). The saved rows are
  mapped copy-on-write (``mmap_mode="c"``): a row set after the load goes to a private page,
  never to the file. Labels past the saved rows live in an in-memory tail, which a bulk
  write moves into an unnamed file past a few thousand rows (:meth:`Rows.spill`).
- :class:`tandem.search.runs.Ragged`: a variable-length run of values per label (skill
  codes, encoded mentions), as CSR arrays (values + offsets), mapped read-only.

A save copies the saved rows into its new file with the kernel (:class:`FileSpan`): they
never pass through the process.

A file is never written in place: a save writes a new file and renames it over the name
(:func:`write_rows`). A snapshot forked by hard links (:mod:`tandem.search.snapshots`)
shares these files with the published one; ``mmap_mode="r+"`` would write into both.

A few rows (a match's 300 candidates) are read with ``os.pread``, not through the map
(:class:`Positioned`). Reading them through the map cost the process resident memory far
beyond the rows: the kernel maps a whole page-cache folio on a fault, so at a million
profiles one match's 300 vector rows mapped ~300 MB of the vectors file and a hundred
matches 1.2 GB (measured with /proc/self/smaps on Linux 6.18; ``MADV_RANDOM`` did not
change it). A positioned read maps nothing and costs ~1 us a row. Large reads (a filtered
exact search, a save) still go through the map, where one pass beats a call a row.
"""

from __future__ import annotations

import os
import tempfile
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import numpy as np
import numpy.typing as npt

#: Rows the tail grows by at least (see :meth:`Rows.grow`).
MIN_TAIL = 1024
#: Bytes a save writes at a time from memory (an array part is written in slices of this).
_WRITE_BYTES = 1 << 20
#: Rows set in the tail that :meth:`Rows.spill` leaves in memory (it moves more to a file).
SPILL_ROWS = 2048
#: Up to this many rows a read is positioned (a call a row); more go through the map.
SMALL_READ = 4096

Array = npt.NDArray[Any]
Mapped = np.memmap[Any, Any]
#: Reads a ``.npy`` header: the shape, whether Fortran-ordered, the dtype.
_HeaderReader = Callable[[BinaryIO], tuple[tuple[int, ...], bool, np.dtype[Any]]]
#: The ``.npy`` header readers by format version (numpy writes 1.0 unless a header is huge).
_HEADERS: dict[tuple[int, int], _HeaderReader] = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}


def open_mapped(path: Path, *, writable_copy: bool) -> tuple[Mapped, Positioned]:
    """The array saved at ``path``, mapped, and positioned reads of the very file it maps.

    The map is copy-on-write when ``writable_copy``, else read-only; never r+. The file is
    opened once, and the header, the map and the positioned reads all come from that one
    descriptor. ``np.load`` opened it by name to read the header and again to map it, and
    the positioned reads opened it by name a third time: a save renaming a new file over the
    name between two of those opens paired a map of one file with reads of another (small
    reads showed the new rows, large reads and the header the old ones).
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        with open(fd, "rb", closefd=False) as handle:
            mapped = _map_npy(handle, writable_copy=writable_copy)
    except BaseException:
        os.close(fd)
        raise
    return mapped, Positioned(fd, mapped)


def _map_npy(handle: BinaryIO, *, writable_copy: bool) -> Mapped:
    """Map the ``.npy`` array of an open file (its header read from the file itself)."""
    version = np.lib.format.read_magic(handle)
    read_header = _HEADERS.get(version)
    if read_header is None:
        raise ValueError(f".npy format {version} is not one Tandem's columns are saved in")
    shape, fortran_order, dtype = read_header(handle)
    if dtype.hasobject:
        raise ValueError("a column with Python objects cannot be memory-mapped")
    mapped: Mapped = np.memmap(
        handle,
        dtype=dtype,
        mode="c" if writable_copy else "r",
        shape=shape,
        order="F" if fortran_order else "C",
        offset=handle.tell(),
    )
    return mapped


class FileSpan(NamedTuple):
    """``rows`` rows a save copies from another file: ``length`` bytes at ``offset`` of ``fd``."""

    fd: int
    offset: int
    length: int
    rows: int


#: What a save writes: rows held in memory, or rows copied from a saved file by the kernel.
Part = Array | FileSpan


def write_rows(path: Path, parts: Iterable[Part], shape: tuple[int, ...], dtype: Any) -> None:
    """Write an array of ``shape`` from consecutive ``parts`` into a new file at ``path``.

    The rows stream into a fresh file (never one another snapshot links: the temporary name
    is unlinked first), which is then synced and renamed over ``path``. Nothing is
    concatenated in memory, and nothing is mapped: written through a map, every page of the
    new file counted in the writer's resident memory until the map closed (the 1.5 GB of
    vectors at a million profiles, on top of the index being built). Rows already saved in
    another file (:class:`FileSpan`) are copied by the kernel (``os.copy_file_range``) and
    never pass through this process's memory: read into it a block at a time, a save of
    20,000 vectors took ~60 MB it held for nothing (the read, its copy, the bytes written).
    """
    dtype = np.dtype(dtype)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)  # a leftover may be a hard link into another snapshot
    header = {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False, "shape": shape}
    at = 0
    with tmp.open("wb") as out:
        np.lib.format.write_array_header_1_0(out, header)
        for part in parts:
            if isinstance(part, FileSpan):
                out.flush()  # the kernel copies at the descriptor's position: empty the buffer
                _copy_span(part, out.fileno())
                at += part.rows
                continue
            step = max(1, _WRITE_BYTES // max(1, part[:1].nbytes))
            for start in range(0, len(part), step):
                chunk = np.ascontiguousarray(part[start : start + step], dtype=dtype)
                out.write(chunk.data)  # the array's own bytes, not a copy
                at += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    if at != shape[0]:
        tmp.unlink()
        raise ValueError(f"wrote {at} rows of {shape[0]} into {path.name}")
    tmp.replace(path)


def _copy_span(span: FileSpan, out: int) -> None:
    """Append ``span``'s bytes to ``out`` (at its position) by the kernel, else by small reads."""
    offset, left = span.offset, span.length
    kernel = hasattr(os, "copy_file_range")  # Linux's; not on macOS
    while left > 0:
        done = 0
        if kernel:
            try:
                done = os.copy_file_range(span.fd, out, left, offset)
            except OSError:  # EXDEV across file systems on older kernels, ENOSYS: read instead
                kernel = False
        if not kernel:
            done = os.write(out, os.pread(span.fd, min(left, _WRITE_BYTES), offset))
        if done <= 0:
            raise OSError(f"{span.length - left} of {span.length} bytes copied: the file shrank")
        offset, left = offset + done, left - done


def _unnamed_file(directory: Path) -> int:
    """A descriptor of a new file in ``directory`` that has no name (gone when closed).

    Nameless, a snapshot forked by hard links (:mod:`tandem.search.snapshots`) never shares it.
    """
    with tempfile.TemporaryFile(dir=directory) as handle:  # unlinked at once, or made nameless
        return os.dup(handle.fileno())


def _write_at(fd: int, data: Any, offset: int) -> None:
    """Write all of ``data`` (bytes or a buffer) at ``offset`` of ``fd``."""
    view = memoryview(data).cast("B")
    while view:
        done = os.pwrite(fd, view, offset)
        view, offset = view[done:], offset + done


class Positioned:
    """Positioned reads (``os.pread``) of a mapped ``.npy`` array's file: rows without mapping.

    ``fd`` is the descriptor the map was made from (:func:`open_mapped`), owned from here on
    and closed with this object: a save renames a new file over the name, and this keeps
    reading the rows the map shows.
    """

    def __init__(self, fd: int, mapped: Mapped) -> None:
        self._fd = fd
        weakref.finalize(self, os.close, fd)
        self._start = int(mapped.offset)
        self._dtype = mapped.dtype
        self._row_shape = tuple(mapped.shape[1:])
        self._row_bytes = int(np.prod(self._row_shape, dtype=np.int64)) * mapped.dtype.itemsize

    def rows(self, labels: npt.NDArray[np.int64]) -> Array:
        """Rows ``labels`` (each below the mapped length), in order, in memory."""
        size, start = self._row_bytes, self._start
        data = b"".join(
            [os.pread(self._fd, size, start + label * size) for label in labels.tolist()]
        )
        return np.frombuffer(data, dtype=self._dtype).reshape(len(labels), *self._row_shape).copy()

    def file_span(self, begin: int, end: int) -> FileSpan:
        """Rows (or items) ``begin:end`` where they are in the file, for a save to copy."""
        size = self._row_bytes
        return FileSpan(self._fd, self._start + begin * size, (end - begin) * size, end - begin)

    def span(self, begin: int, end: int) -> Array:
        """Items ``begin:end`` of a one-dimensional array, in memory."""
        size = self._dtype.itemsize
        data = os.pread(self._fd, (end - begin) * size, self._start + begin * size)
        return np.frombuffer(data, dtype=self._dtype).copy()


class Rows:
    """Fixed-size rows by label: saved rows mapped, later ones in an in-memory tail."""

    def __init__(self, base: Array, reader: Positioned | None = None) -> None:
        """``reader``: positioned reads of the file ``base`` maps (without it, the map)."""
        self._base = base
        self._tail: Array = np.zeros((0, *base.shape[1:]), dtype=base.dtype)
        self._reader = reader
        #: Saved labels set since the load: their rows are in the map's private pages only.
        self._set_saved: set[int] = set()
        #: Rows after the saved ones moved out of memory (:meth:`spill`): labels
        #: ``saved:saved + spilled`` are in this unnamed file, the tail starts after them.
        self._spill: int | None = None
        self._spilled = 0
        #: Rows of the tail up to the last one set (the rest are zeros never set).
        self._tail_used = 0

    @classmethod
    def empty(cls, row_shape: tuple[int, ...], dtype: Any) -> Rows:
        """No rows yet."""
        return cls(np.zeros((0, *row_shape), dtype=dtype))

    @classmethod
    def open(cls, path: Path) -> Rows:
        """The rows saved at ``path``, mapped copy-on-write."""
        return cls(*open_mapped(path, writable_copy=True))

    @property
    def saved(self) -> int:
        """Rows in the mapped part."""
        return int(self._base.shape[0])

    @property
    def capacity(self) -> int:
        """Rows that can be set without growing (saved + spilled + tail)."""
        return self._tail_start + int(self._tail.shape[0])

    @property
    def _tail_start(self) -> int:
        """The label of the tail's first row."""
        return self.saved + self._spilled

    @property
    def _row_bytes(self) -> int:
        return self._tail.dtype.itemsize * int(np.prod(self._tail.shape[1:], dtype=np.int64))

    @property
    def dtype(self) -> np.dtype[Any]:
        """The rows' type (the wider of the two parts for fixed-width bytes)."""
        return self._tail.dtype

    def mapped(self) -> bool:
        """Whether the saved part is a memory map (not read into memory)."""
        return isinstance(self._base, np.memmap)

    def grow(self, size: int, *, exact: bool = False) -> None:
        """Make room for labels below ``size``: the tail grows by half again (at least 1,024).

        Growth is relative to the tail, not to the saved rows: a write to a loaded million
        rows adds a thousand rows of room, not half a million.
        """
        if size <= self.capacity:
            return
        held = int(self._tail.shape[0])
        target = size if exact else max(size, self.capacity + max(held // 2, MIN_TAIL))
        self._tail = self._fresh_tail(self._tail, target - self._tail_start)

    def _fresh_tail(self, rows_set: Array, size: int) -> Array:
        """A tail of ``size`` rows starting with ``rows_set``'s first used rows, zeros after.

        Zeros from ``np.zeros`` are pages the system maps on first touch: a tail sized for a
        whole sync costs memory only for the rows set in it (``np.concatenate`` wrote them all).
        """
        tail = np.zeros((size, *self._tail.shape[1:]), dtype=self._tail.dtype)
        tail[: self._tail_used] = rows_set[: self._tail_used]
        return tail

    def spill(self, rows: int, directory: Path, *, keep: int | None = None) -> None:
        """Move the tail's rows of labels below ``rows`` into a file once they are many.

        What a bulk write (an import's sync) calls after each batch: the vectors set since the
        last save stayed in memory until it, a kilobyte a profile at 256 dimensions and tens of
        megabytes between two checkpoints, growing with the bundle. From :data:`SPILL_ROWS` on
        they are appended to an unnamed file in ``directory`` (the page cache holds it, not the
        process), read back one row at a time, and copied by the kernel into the next save.
        ``keep``: how many set rows may stay in memory (default :data:`SPILL_ROWS`).
        """
        count = min(rows, self._tail_start + self._tail_used) - self._tail_start
        if count <= 0 or count < (SPILL_ROWS if keep is None else keep):
            return
        if self._spill is None:
            self._spill = _unnamed_file(directory)
            weakref.finalize(self, os.close, self._spill)  # a save opens new rows, drops these
        step, at = max(1, _WRITE_BYTES // self._row_bytes), self._spilled * self._row_bytes
        for start in range(0, count, step):
            block = self._tail[start : min(start + step, count)]
            _write_at(self._spill, block.data, at + start * self._row_bytes)
        self._spilled += count
        self._tail_used -= count
        self._tail = self._fresh_tail(self._tail[count:], len(self._tail) - count)

    def widen(self, dtype: Any) -> None:
        """Hold wider values (fixed-width bytes): saved and spilled rows are read into memory."""
        if self._spilled:
            spilled = self._spilled_rows(np.arange(self._spilled, dtype=np.int64))
            self._tail = np.concatenate([spilled, self._tail])
            self._tail_used += self._spilled
            self._spill, self._spilled = None, 0  # its descriptor is closed with this object
        self._base = np.asarray(self._base).astype(dtype)
        self._tail = self._tail.astype(dtype)
        self._reader, self._set_saved = None, set()

    def _spilled_rows(self, at: npt.NDArray[np.int64]) -> Array:
        """Rows ``at`` of the spill file (row numbers in it, not labels), in memory."""
        assert self._spill is not None
        fd, size = self._spill, self._row_bytes
        data = b"".join([os.pread(fd, size, int(i) * size) for i in at.tolist()])
        rows = np.frombuffer(data, dtype=self._tail.dtype)
        return rows.reshape(len(at), *self._tail.shape[1:]).copy()

    def get(self, labels: npt.NDArray[np.int64]) -> Array:
        """Rows of ``labels``, copied out (in memory)."""
        labels = np.asarray(labels, dtype=np.int64)
        out = np.empty((len(labels), *self._tail.shape[1:]), dtype=self._tail.dtype)
        saved = labels < self.saved
        out[saved] = self._saved_rows(labels[saved])
        tail = labels >= self._tail_start
        spilled = ~saved & ~tail
        if spilled.any():
            out[spilled] = self._spilled_rows(labels[spilled] - self.saved)
        out[tail] = self._tail[labels[tail] - self._tail_start]
        return out

    def _saved_rows(self, labels: npt.NDArray[np.int64]) -> Array:
        if self._reader is None or len(labels) > SMALL_READ:
            return self._base[labels]
        rows = self._reader.rows(labels)
        if self._set_saved:  # rows set since the load are in the map's private pages
            # a lookup per label read, not a pass over every label set (a sync sets many)
            set_saved = self._set_saved
            changed = np.fromiter(
                (label in set_saved for label in labels.tolist()), dtype=bool, count=len(labels)
            )
            if changed.any():
                rows[changed] = self._base[labels[changed]]
        return rows

    def one(self, label: int) -> Any:
        """Row ``label`` (a copy for a vector, a scalar for bytes)."""
        if label < self.saved:
            return self._saved_rows(np.asarray([label], dtype=np.int64))[0]
        if label < self._tail_start:
            return self._spilled_rows(np.asarray([label - self.saved], dtype=np.int64))[0]
        return self._tail[label - self._tail_start]

    def set(self, label: int, value: Any) -> None:
        """Set row ``label`` (a saved row is changed in this process's private copy only)."""
        if label < self.saved:
            self._base[label] = value
            if self._reader is not None:
                self._set_saved.add(label)
        elif label < self._tail_start:
            assert self._spill is not None
            row = np.asarray(value, dtype=self._tail.dtype).reshape(self._tail.shape[1:])
            _write_at(self._spill, row.tobytes(), (label - self.saved) * self._row_bytes)
        else:
            self._tail[label - self._tail_start] = value
            self._tail_used = max(self._tail_used, label - self._tail_start + 1)

    def write(self, path: Path, rows: int) -> None:
        """Save the first ``rows`` rows to a new file at ``path`` (see :func:`write_rows`)."""
        kept = min(rows, self.saved)
        spilled = min(rows, self._tail_start) - kept
        parts: list[Part] = [*self._saved_parts(kept)]
        if spilled:
            assert self._spill is not None
            size = spilled * self._row_bytes
            parts.append(FileSpan(self._spill, 0, size, spilled))
        parts.append(self._tail[: rows - kept - spilled])
        write_rows(path, parts, (rows, *self._tail.shape[1:]), self._tail.dtype)

    def _saved_parts(self, kept: int) -> Iterable[Part]:
        """The first ``kept`` saved rows, unchanged stretches copied from the file by the kernel.

        The rows set since the load (the map's private pages) go in between, a run of
        consecutive labels at a time.
        """
        if self._reader is None:
            yield self._base[:kept]
            return
        changed = np.sort(np.fromiter(self._set_saved, dtype=np.int64))
        changed = changed[changed < kept]
        runs = np.split(changed, np.flatnonzero(np.diff(changed) != 1) + 1) if len(changed) else []
        start = 0
        for run in runs:  # consecutive labels set since the load
            first, last = int(run[0]), int(run[-1]) + 1
            if start < first:
                yield self._reader.file_span(start, first)
            yield self._base[first:last]
            start = last
        if start < kept:
            yield self._reader.file_span(start, kept)


class Tags:
    """One short text per label (a country, a status) as int32 codes into its distinct values.

    Fixed-width Unicode took four bytes a character of the longest value (120 B a profile for
    a time zone); a code takes four. Code 0 is the empty text, which spare rows hold.
    """

    def __init__(self, values: list[str], codes: npt.NDArray[np.int32]) -> None:
        self.values = values or [""]
        if self.values[0] != "":
            raise ValueError("a tag column's first value is the empty text")
        self._code = {text: i for i, text in enumerate(self.values)}
        self.codes = codes

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def grow(self, extra: int) -> None:
        """Add ``extra`` rows holding the empty text."""
        self.codes = np.concatenate([self.codes, np.zeros(extra, dtype=np.int32)])

    def set(self, label: int, text: str) -> None:
        """Set the text of ``label``."""
        code = self._code.get(text)
        if code is None:
            code = self._code[text] = len(self.values)
            self.values.append(text)
        self.codes[label] = code

    def text(self, label: int) -> str:
        """The text of ``label``."""
        return self.values[int(self.codes[label])]

    def isin(self, texts: Iterable[str]) -> npt.NDArray[np.bool_]:
        """Which labels hold one of ``texts``."""
        wanted = [self._code[t] for t in texts if t in self._code]
        return np.isin(self.codes, wanted)

    def present(self) -> list[str]:
        """The distinct texts the rows hold, sorted."""
        used = np.unique(self.codes)
        return sorted(self.values[int(c)] for c in used)
