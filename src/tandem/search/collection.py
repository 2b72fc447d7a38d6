"""A searchable collection (talent or jobs): lexical + vector indexes and filter columns.

The store is the truth; a collection is synced from it by content hash, so an
import only touches what changed and a crash mid-sync is repaired by the next
sync. Labels are append-only integers; the manifest, written last and
atomically, says which label holds which record.

A long sync commits as it goes (:meth:`Collection.checkpoint`): a sync killed at
99% resumes from its last commit instead of re-embedding the whole collection. A
single-record write (:meth:`Collection.record`) appends to the collection's journal
(:mod:`tandem.search.journal`) instead of rewriting everything: O(1) per write. A collection
knows one directory; which directory serves is the snapshots' business
(:mod:`tandem.search.snapshots`).

What it holds per record is compact (format 4, issue 15): vectors and content hashes are
``.npy`` files mapped at load, skills are int32 codes with postings built on first use, and
mentions are one encoded blob (:mod:`tandem.search.columns`, :mod:`tandem.search.postings`).
Format 5 moved the record ids out of the manifest (a JSON list rewritten at every save) into
mapped columns too, with their lookup table (:mod:`tandem.search.idmap`).
A saved set of columns is named by a stamp that the manifest, written last, points at: a
save killed half-way leaves the previous set whole.

A collection saved with another vector backend (``TANDEM_VECTOR_BACKEND``) and nothing else
different is kept: its vector index is built again from the stored vectors column
(:meth:`Collection.rebuild_vectors`), which holds every vector, instead of the store being
embedded again: only the ANN build is paid, not the encoder pass (hours at 1M with MiniLM).
It is built in the fork its owner publishes (:meth:`Collection.relocate`), sealing shards
there as they fill: like an import, it holds one vector shard in memory, not the collection.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tandem.embed import Encoder, Vectors, encoder_identity
from tandem.errors import SearchIndexError
from tandem.search import journal
from tandem.search.base import LexicalIndex
from tandem.search.columns import MIN_TAIL, Rows, Tags
from tandem.search.documents import Document
from tandem.search.filters import AtLeast, AtMost, Filter, HasSkills, TagIn
from tandem.search.guard import Guard
from tandem.search.idmap import IdFiles, IdMap
from tandem.search.postings import SkillColumn
from tandem.search.registry import create_lexical, create_vector
from tandem.search.runs import Ragged
from tandem.search.shards import SHARD_SIZE, ShardedVectorIndex

Progress = Callable[[int], None]
_MANIFEST = "manifest.json"
#: Where the saved columns are, each file named ``<column>.<stamp>.npy``.
ROWS = "rows"
#: 2: talent documents carry a timezone tag; 3: Unicode words, folded; 4: compact columns;
#: 5: the ids in mapped columns, not in the manifest.
FORMAT_VERSION = 5
#: The formats read and converted on load (see :meth:`Collection._read_format_3`), and the
#: columns of format 3. Format 4 is format 5 with the ids as a list in the manifest.
_FORMAT_3 = 3
_FORMAT_4 = 4
_FORMAT_3_COLUMNS = "columns.npz"
#: A sync commits its progress at most this often (seconds of work a kill can lose).
CHECKPOINT_SECONDS = 30.0
#: ... and never spends more than a tenth of its time committing (a save rewrites the columns).
_MAX_SAVE_SHARE = 0.1
#: Stored vectors read at a time when a vector index is rebuilt from them: positioned reads
#: (columns.SMALL_READ), so the column is never mapped whole; 4 MB a batch at 256 dimensions.
_REBUILD_ROWS = 4096


@dataclass(frozen=True)
class SyncPlan:
    """Ids to (re)index and ids to drop, from comparing content hashes."""

    upsert: list[str]
    delete: list[str]


class Collection:
    """One kind of searchable record, persisted under ``directory``."""

    def __init__(
        self,
        directory: Path,
        encoder: Encoder,
        *,
        lexical_backend: str = "tantivy",
        vector_backend: str = "hnsw",
        vector_shard_size: int = SHARD_SIZE,
    ) -> None:
        """Load the collection saved in ``directory`` (if these settings can serve it).

        A vector index saved by another backend is not read, nor rebuilt here (see
        :attr:`vectors_stale`): a rebuild writes shards as it goes, which only a fork of
        ``directory`` may receive (:meth:`relocate`).
        """
        self.directory = directory
        self.encoder = encoder
        #: Queries read under it, changes write under it (see :mod:`tandem.search.guard`).
        self.guard = Guard()
        self._lexical_backend = lexical_backend
        self._vector_backend = vector_backend
        #: Label -> id and id -> label (:mod:`tandem.search.idmap`): ``ids[label]``,
        #: ``ids.get(doc_id)``. Labels are append-only: a dead label keeps its id.
        self.ids = IdMap.empty(self._live_column)
        self._vectors = Rows.empty((encoder.dim,), np.float32)
        self._hashes = Rows.empty((), "S64")
        self._skills = SkillColumn.empty()
        self._mentions = Ragged.empty(np.uint8)
        self.numbers: dict[str, npt.NDArray[np.float64]] = {}
        self.tags: dict[str, Tags] = {}
        self.live = np.zeros(0, dtype=bool)
        self._stamp = 0
        #: True when a saved collection was thrown away because other settings built it (an
        #: encoder change above all): its owner must re-index from the store, not serve it empty.
        self.discarded = False
        #: What differed when it was discarded ("vector: faiss-sq8 -> hnsw"), for the warning.
        self.discarded_because = ""
        #: True when it was read from an older format it can be converted from: its owner
        #: saves it in this format (the vectors are kept, nothing is embedded again), into a
        #: fork of its directory (:meth:`relocate`), so it is converted once.
        #: Also set when only the vector backend differs (:attr:`vectors_stale`): the vector
        #: index is rebuilt from the stored vectors in the fork and published the same way.
        self.upgraded = False
        #: What differed when the saved vector index is another backend's ("vector: faiss-sq8
        #: -> hnsw"), until :meth:`relocate` has rebuilt this one's in a fork; empty otherwise.
        #: Until then the vector index is empty: such a collection is not served.
        self.vectors_stale = ""
        #: The fingerprint of what read the saved mentions (the manifest's ``reader``; None when
        #: unknown: saved before it was recorded, or never saved). Set by the owner, who knows
        #: the reader; a sync that finds it stale reads the mentions again (engine.core).
        self.mentions_reader: str | None = None
        self._saved_at = time.monotonic()
        self._save_seconds = 0.0
        #: Bytes of the journal already applied, and its lines since the last full save.
        self.journal_at = 0
        self.journal_lines = 0
        loaded = self._load()
        if not loaded and directory.exists():
            self.discarded = (directory / _MANIFEST).exists()
            shutil.rmtree(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.lexical: LexicalIndex = create_lexical(lexical_backend, directory / "lexical")
        # another backend's files are never read as this one's
        saved_vectors = None if self.vectors_stale else directory / "vector"
        self.vector: ShardedVectorIndex = create_vector(
            vector_backend,
            encoder.dim,
            saved_vectors,
            shard_size=vector_shard_size,
            source=self._vectors_of,
        )
        if loaded:
            self._replay()

    def _vectors_of(self, labels: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """The stored vectors of ``labels`` (what merging small vector shards re-adds)."""
        return np.asarray(self._vectors.get(labels), dtype=np.float32)

    def _live_column(self) -> npt.NDArray[np.bool_]:
        """The live column as it is now (what :attr:`ids` checks a saved entry against)."""
        return self.live

    # persistence -------------------------------------------------------------------------
    def _load(self) -> bool:
        manifest_path = self.directory / _MANIFEST
        if not manifest_path.exists():
            return False
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        expected = {
            "format": FORMAT_VERSION,
            "encoder": encoder_identity(self.encoder),
            "dim": self.encoder.dim,
            "lexical": self._lexical_backend,
            "vector": self._vector_backend,
        }
        if manifest.get("format") == _FORMAT_3 and all(
            manifest.get(k) == v for k, v in expected.items() if k != "format"
        ):
            self._read_format_3(manifest)
            return True
        listed = manifest.get("format") == _FORMAT_4  # ids in the manifest: converted on load
        differ = [k for k, v in expected.items() if manifest.get(k) != v]
        if listed:
            differ.remove("format")
        because = ", ".join(f"{k}: {manifest.get(k)} -> {expected[k]}" for k in differ)
        if differ == ["vector"]:  # the stored vectors serve: only the index is built again
            self.vectors_stale = because
            self.upgraded = True
        elif differ:  # built with other settings: rebuild from the store
            self.discarded_because = because
            return False
        reader = manifest.get("reader")
        self.mentions_reader = reader if isinstance(reader, str) else None
        ids = list(manifest["ids"]) if listed else None
        self._open_rows(int(manifest["rows"]), manifest["skills"], manifest["tags"], listed=ids)
        if listed:  # published by the owner in this format, nothing embedded again
            self.upgraded = True
        return True

    def _read_format_3(self, manifest: dict[str, Any]) -> None:
        """Read a format-3 collection (one JSON manifest, ``columns.npz``) into this format.

        An upgrade so keeps every vector instead of embedding the store again (hours at 1M
        with MiniLM). It is held in memory; the owner publishes it saved in this format (see
        ``upgraded``).
        """
        ids: list[str] = list(manifest["ids"])
        hashes: dict[str, str] = manifest["hashes"]
        skills: list[list[str]] = manifest["skills"]
        mentions: list[dict[str, str]] = manifest["mentions"]
        n = len(ids)
        with np.load(self.directory / _FORMAT_3_COLUMNS, allow_pickle=False) as cols:
            vectors, live = cols["vectors"], cols["live"]
            numbers = {k[2:]: cols[k] for k in cols.files if k.startswith("n_")}
            tags = {k[2:]: cols[k] for k in cols.files if k.startswith("t_")}
        self._grow(n, exact=True)
        self.live[:n] = live[:n]
        for label, doc_id in enumerate(ids):
            self._vectors.set(label, vectors[label])
            content_hash = hashes.get(doc_id, "").encode("utf-8")  # a dead label has none
            if len(content_hash) > self._hashes.dtype.itemsize:
                self._hashes.widen(f"S{len(content_hash)}")
            self._hashes.set(label, content_hash)
            self._skills.set(label, list(skills[label]))
            self._mentions.set(label, _encode_mentions(mentions[label]))
        for name, values in numbers.items():
            self.numbers[name] = np.full(len(self.live), math.nan)
            self.numbers[name][:n] = values[:n]
        for name, texts in tags.items():
            column = self.tags[name] = Tags([], np.zeros(len(self.live), dtype=np.int32))
            for label in range(n):
                column.set(label, str(texts[label]))
        self.ids = IdMap.from_list(ids, self.live[:n], self._live_column)
        self.upgraded = True

    def _rows_path(self, column: str, stamp: int, suffix: str = ".npy") -> Path:
        return self.directory / ROWS / f"{column}.{stamp}{suffix}"

    def _id_files(self, stamp: int) -> IdFiles:
        at = self._rows_path
        return IdFiles(
            at("ids", stamp), at("id_offsets", stamp), at("id_keys", stamp), at("id_labels", stamp)
        )

    def _open_rows(
        self,
        stamp: int,
        vocabulary: list[str],
        tag_values: dict[str, list[str]] | None = None,
        *,
        filters: bool = True,
        listed: list[str] | None = None,
    ) -> None:
        """Map the columns saved under ``stamp`` (what was set in memory since is dropped).

        ``filters``: also read the small filter columns (live, numbers, tags) into memory; a
        save keeps its own, which hold the same rows and the room reserved for more.
        ``listed``: the ids as format 4's manifest lists them (no id columns were saved).
        """
        at = self._rows_path
        ids: IdMap | None = None
        if listed is None:
            ids = IdMap.open(self._id_files(stamp), self._live_column)
        labels = len(ids) if ids is not None else len(listed or [])
        vectors, hashes = Rows.open(at("vectors", stamp)), Rows.open(at("hashes", stamp))
        if vectors.saved != labels or hashes.saved != labels:
            raise SearchIndexError(
                f"the {self.directory.name} index's columns do not fit its manifest "
                f"({vectors.saved} vectors for {labels} labels); "
                "'tandem index' rebuilds it from the store"
            )
        if ids is not None:
            self.ids = ids
        self._vectors, self._hashes = vectors, hashes
        self._skills = SkillColumn.open(vocabulary, at("skills", stamp), at("skill_offsets", stamp))
        self._mentions = Ragged.open(at("mentions", stamp), at("mention_offsets", stamp))
        self._stamp = stamp
        if not filters:
            return
        with np.load(at("columns", stamp, ".npz"), allow_pickle=False) as cols:
            self.live = cols["live"]
            self.numbers = {k[2:]: cols[k] for k in cols.files if k.startswith("n_")}
            values = tag_values or {}
            self.tags = {
                k[2:]: Tags(list(values.get(k[2:], [])), cols[k])
                for k in cols.files
                if k.startswith("t_")
            }
        if listed is not None:
            self.ids = IdMap.from_list(listed, self.live[:labels], self._live_column)

    def checkpoint(self, every: float = CHECKPOINT_SECONDS) -> bool:
        """Save if ``every`` seconds passed since the last save (0: always); whether it saved.

        The wait grows with the cost of a save (which rewrites every vector), so that
        committing never takes more than a tenth of a sync: a large collection commits less
        often, a small one as often as asked. A full open vector shard saves at once: the save
        seals it, which is what keeps a build's memory to one shard (:mod:`tandem.search.shards`).
        """
        due = max(every, self._save_seconds / _MAX_SAVE_SHARE) if every > 0 else 0.0
        if time.monotonic() - self._saved_at < due and not self.vector.full():
            return False
        self.save()
        return True

    def save(self) -> None:
        """Commit both indexes, then the columns, then the manifest (last, atomically)."""
        started = time.monotonic()
        with self.guard.writing():  # the columns served are swapped for the saved ones
            self._write()
        self._saved_at = time.monotonic()
        self._save_seconds = self._saved_at - started

    def relocate(self, directory: Path) -> None:
        """Serve from ``directory``, a fork of this collection's directory, and save there.

        What publishing an upgraded collection needs (see ``upgraded``): the rows converted
        on load are kept in memory and saved into the fork, instead of the fork being opened
        and converted again. The lexical index is reopened over the fork's files (the same
        segments); the vectors are held in memory and saved where the collection is.

        When the saved vector index is another backend's (:attr:`vectors_stale`), this
        backend's is rebuilt here, in the fork (:meth:`rebuild_vectors`). The fork's vector
        files and manifest are the old backend's: they are unlinked first (the fork's links
        only: the published snapshot keeps its own), so the new snapshot does not keep the old
        index's bytes, the shards sealed as the rebuild goes land in an empty directory, and a
        kill before the save leaves a directory without a manifest, which no build resumes (a
        manifest naming the old backend over the new one's files would be read as the old).
        """
        with self.guard.writing():  # a query waits for the whole index, never searches a part
            self.directory = directory
            self.lexical = create_lexical(self._lexical_backend, directory / "lexical")
            if self.vectors_stale:
                (directory / _MANIFEST).unlink(missing_ok=True)
                shutil.rmtree(directory / "vector", ignore_errors=True)
                self.rebuild_vectors()

    def rebuild_vectors(self, batch: int = _REBUILD_ROWS) -> None:
        """Build this backend's vector index from the stored vectors of the live labels.

        What a change of vector backend needs instead of embedding every record again: the
        vectors column holds them all (journalled writes included, replayed on load). It is
        read ``batch`` rows at a time, never whole, and never more than the open shard has
        room for: each time the shard is full it is saved into ``vector/`` here, which seals
        it and lets it go (as :meth:`checkpoint` does for a sync). Held whole in memory, a
        rebuild at 1M with MiniLM took ~1.7 GB against one shard's ~220 MB for an import.

        Writing as it goes, it runs only in a directory no reader uses, after the old
        backend's vector files were removed from it: :meth:`relocate` calls it in a fork.
        The manifest is written by the owner's save; a kill before it leaves the published
        snapshot as it was and the fork without a manifest.
        """
        with self.guard.writing():
            labels = np.flatnonzero(self.live[: len(self.ids)]).astype(np.int64)
            where = self.directory / "vector"
            # a fresh index: what the journal's replay upserted is among the live labels
            self.vector = create_vector(
                self._vector_backend,
                self.encoder.dim,
                None,
                shard_size=self.vector.shard_size,
                source=self._vectors_of,
            )
            start = 0
            while start < len(labels):
                chunk = labels[start : start + min(batch, self.vector.room())]
                self.vector.upsert(chunk, self._vectors.get(chunk))
                start += len(chunk)
                if self.vector.full():
                    self.vector.save(where)  # seals the shard: one held at a time
            self.vectors_stale = ""

    @property
    def journal_path(self) -> Path:
        """Where single-record writes since the last full save are appended."""
        return self.directory / journal.JOURNAL

    def catch_up(self) -> int:
        """Apply what other processes journalled since this one last looked; how many records.

        Their text is in the lexical index already: it is reloaded to see their commits. Safe
        from any thread: the lines are read and applied, and the searcher reloaded, under the
        write side of :attr:`guard`, so two threads never apply the same lines and a query
        (which reads under the read side) sees the whole batch or none of it.
        """
        with self.guard.writing():
            applied = self._replay()
            if applied:
                self.lexical.commit()  # no writer here: reloads the searcher
            return applied

    def _replay(self) -> int:
        with self.guard.writing():
            return self._apply_journal()

    def _apply_journal(self) -> int:
        entries, self.journal_at = journal.read_from(self.journal_path, self.journal_at)
        if not entries:
            return 0
        given = self.ids.assign([entry.doc.id for entry in entries])  # as the writer gave them
        for entry, label in zip(entries, given, strict=True):
            if label != entry.label:
                raise SearchIndexError(
                    f"the {self.directory.name} index's journal does not fit its manifest "
                    f"(label {entry.label} for {entry.doc.id!r}, expected {label}); "
                    "'tandem index' rebuilds it from the store"
                )
            self._grow(label + 1)
            self._set_row(label, entry.doc, entry.vector)
        self.journal_lines += len(entries)
        labels = np.asarray([e.label for e in entries], dtype=np.int64)
        self.vector.upsert(labels, np.vstack([e.vector for e in entries]).astype(np.float32))
        return len(entries)

    def record(self, docs: list[Document], *, vectors: Vectors | None = None) -> bool:
        """Index a few records durably without a full save (O(1) per record); whether one is due.

        The caller holds the index lock and has caught up (:meth:`catch_up`), so the journal's
        end is this collection's. The lexical index commits first, then the journal line makes
        the write part of the collection. When the journal has grown to a share of the
        collection (or the collection was never saved, so no manifest holds the lines) a full
        save is due: the caller makes it in a new snapshot (:mod:`tandem.search.snapshots`),
        never over the files readers have open.
        """
        if not docs:
            return False
        if vectors is None:
            vectors = self.encoder.encode([d.embed_text for d in docs])
        with self.guard.writing():  # queries see the records with their journal line or not
            labels = self.upsert(docs, vectors=vectors)
            self.lexical.commit()
            lines = [
                journal.encode(label, d, v)
                for label, d, v in zip(labels, docs, vectors, strict=True)
            ]
            self.journal_at = journal.append(self.journal_path, lines)
            self.journal_lines += len(lines)
        return (
            journal.due(self.journal_lines, self.count())
            or not (self.directory / _MANIFEST).exists()
        )

    def _write(self) -> None:
        self.lexical.commit()
        self.vector.save(self.directory / "vector")
        n = len(self.ids)  # rows past it are spare room (see _grow), never saved
        stamp = self._stamp + 1
        at = self._rows_path
        (self.directory / ROWS).mkdir(exist_ok=True)
        self._vectors.write(at("vectors", stamp), n)
        self._hashes.write(at("hashes", stamp), n)
        self._skills.write(at("skills", stamp), at("skill_offsets", stamp), n)
        self._mentions.write(at("mentions", stamp), at("mention_offsets", stamp), n)
        self.ids.write(self._id_files(stamp), n)
        arrays: dict[str, npt.NDArray[np.generic]] = {"live": self.live[:n]}
        arrays.update({f"n_{k}": v[:n] for k, v in self.numbers.items()})
        arrays.update({f"t_{k}": v.codes[:n] for k, v in self.tags.items()})
        columns = at("columns", stamp, ".npz")
        tmp = columns.with_name(f"columns.{stamp}.tmp.npz")
        tmp.unlink(missing_ok=True)  # never write through a link another snapshot holds
        np.savez(tmp, **arrays)  # type: ignore[arg-type]
        tmp.replace(columns)
        manifest = {
            "format": FORMAT_VERSION,
            "encoder": encoder_identity(self.encoder),
            "dim": self.encoder.dim,
            "lexical": self._lexical_backend,
            "vector": self._vector_backend,
            "rows": stamp,
            "reader": self.mentions_reader,
            "skills": self._skills.vocabulary,
            "tags": {name: col.values for name, col in self.tags.items()},
        }
        tmp_manifest = self.directory / (_MANIFEST + ".tmp")
        tmp_manifest.unlink(missing_ok=True)
        with tmp_manifest.open("w", encoding="utf-8") as handle:
            json.dump(manifest, handle)  # written as encoded: never the whole text at once
        tmp_manifest.replace(self.directory / _MANIFEST)
        (self.directory / _FORMAT_3_COLUMNS).unlink(missing_ok=True)  # an upgrade's old columns
        # Every journalled write is in the manifest now; a kill before this line replays
        # lines already applied, which changes nothing.
        journal.clear(self.journal_path)
        self.journal_at = self.journal_lines = 0
        # served from the new files from now on: the rows held in memory are let go
        self._open_rows(stamp, self._skills.vocabulary, filters=False)
        for path in (self.directory / ROWS).iterdir():
            if f".{stamp}." not in path.name:  # an older stamp's (this snapshot's links only)
                path.unlink(missing_ok=True)

    # sync --------------------------------------------------------------------------------
    def plan(self, store_hashes: dict[str, str]) -> SyncPlan:
        """What must change so the collection mirrors ``store_hashes``."""
        with self.guard.reading():
            held = dict(zip(store_hashes, self._hashes_of(list(store_hashes)), strict=True))
        upsert = [i for i, h in store_hashes.items() if held[i] != h]
        delete = [i for i in self.known_ids() if i not in store_hashes]
        return SyncPlan(sorted(upsert), sorted(delete))

    def changed(self, rows: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Of ``(id, content hash)`` rows from the store, those this collection lacks or differs on.

        What a streamed sync asks of each page of the store (:meth:`plan` takes them all at once).
        """
        rows = list(rows)
        with self.guard.reading():
            held = self._hashes_of([i for i, _ in rows])
        return [(i, h) for (i, h), mine in zip(rows, held, strict=True) if mine != h]

    def hash_of(self, doc_id: str) -> str | None:
        """The content hash a live record was indexed with (None when it is not indexed)."""
        with self.guard.reading():
            return self._hash(doc_id)

    def hashes_of(self, doc_ids: Sequence[str]) -> list[str | None]:
        """:meth:`hash_of` of each of ``doc_ids``, read together (a match checks 300)."""
        with self.guard.reading():
            return self._hashes_of(doc_ids)

    def _hashes_of(self, doc_ids: Sequence[str]) -> list[str | None]:
        labels = self.ids.labels_of(doc_ids)
        found = np.asarray([label for label in labels if label is not None], dtype=np.int64)
        rows = iter(self._hashes.get(found).tolist() if found.size else [])
        return [None if label is None else bytes(next(rows)).decode("utf-8") for label in labels]

    def _hash(self, doc_id: str) -> str | None:
        label = self.ids.get(doc_id)
        if label is None:
            return None
        return bytes(self._hashes.one(label)).decode("utf-8")

    def holds_same_records(self, other: Collection) -> bool:
        """Whether ``other`` indexes the same live records at the same content hashes.

        What a sync asks of the build it works on (a fork of the served collection holds
        the same; a resumed build has done part of the work). Compared column-wise, not
        record by record: a few hundred milliseconds at 1M instead of seconds.
        """
        with self.guard.reading(), other.guard.reading():
            return self._same_records(other)

    def _same_records(self, other: Collection) -> bool:
        if not self.ids.same_as(other.ids):
            return False
        labels = self.ids.live_labels()
        return bool(np.array_equal(self._hashes.get(labels), other._hashes.get(labels)))

    def known_ids(self, page: int = 4096) -> Iterator[str]:
        """Ids of the live records (a snapshot of them: deleting while iterating is safe)."""
        for ids in self.id_pages(page):
            yield from ids

    def id_pages(self, page: int) -> Iterator[list[str]]:
        """Ids of the live records, ``page`` at a time: only a page's strings are held at once.

        A snapshot of the live labels (8 bytes a record) is taken first; a label's id never
        changes (labels are append-only), so each page is decoded later, under its own read.
        """
        with self.guard.reading():
            labels = self.ids.live_labels()
        for start in range(0, len(labels), page):
            with self.guard.reading():
                ids = self.ids.strings(labels[start : start + page])
            yield ids

    def hash_items(self) -> Iterator[tuple[str, str]]:
        """``(id, content hash)`` of every live record, looked up a page of ids at a time."""
        for ids in self.id_pages(4096):
            for doc_id, content_hash in zip(ids, self.hashes_of(ids), strict=True):
                if content_hash is not None:  # deleted since the page was read
                    yield doc_id, content_hash

    def delete(self, ids: Iterable[str]) -> None:
        """Remove records by id."""
        with self.guard.writing():
            labels = self.ids.forget(list(ids))
            self.lexical.delete(labels)
            self.vector.delete(labels)
            for label in labels:
                self.live[label] = False  # its skills stay; a dead label never passes a mask

    def upsert(
        self, docs: list[Document], *, vectors: Vectors | None = None, batch_size: int = 64
    ) -> list[int]:
        """Add or replace documents, embedding their text unless ``vectors`` already are.

        Returns the label each document was given (what :meth:`record` journals).
        """
        if not docs:
            return []
        if vectors is None:
            vectors = self.encoder.encode([d.embed_text for d in docs], batch_size=batch_size)
        elif vectors.shape != (len(docs), self.encoder.dim):
            raise ValueError(f"vectors of shape {vectors.shape} for {len(docs)} documents")
        with self.guard.writing():
            labels = np.asarray(self.ids.assign([d.id for d in docs]), dtype=np.int64)
            self._grow(int(labels.max()) + 1)
            for doc, label, vector in zip(docs, labels, vectors, strict=True):
                self._set_row(int(label), doc, vector)
            self.lexical.upsert([(int(lab), d.text) for lab, d in zip(labels, docs, strict=True)])
            self.vector.upsert(labels, vectors)
            # a sync's vectors wait for its next save in a file, not in memory (issue 15)
            self._vectors.spill(len(self.ids), self.directory)
            return [int(label) for label in labels]

    def reserve(self, rows: int) -> None:
        """Size the columns for ``rows`` labels at once (a sync that knows how many it adds)."""
        self._grow(rows, exact=True)

    @property
    def capacity(self) -> int:
        """Labels the columns have room for without growing."""
        return min(self._vectors.capacity, self._hashes.capacity, len(self.live))

    def _grow(self, size: int, *, exact: bool = False) -> None:
        """Make room for labels below ``size``, by half again the rows added since the save.

        Growing by exactly one batch copied every vector once per batch: a sync of N records
        copied O(N^2 / batch) bytes. The mapped rows are never copied: only the in-memory
        tail and the small filter columns grow. Rows past ``len(self.ids)`` are spare (never
        live) and are not saved.
        """
        self._vectors.grow(size, exact=exact)
        self._hashes.grow(size, exact=exact)
        current = len(self.live)
        if size <= current:
            return
        added = current - self._vectors.saved
        extra = (size if exact else max(size, current + max(added // 2, MIN_TAIL))) - current
        self.live = np.concatenate([self.live, np.zeros(extra, dtype=bool)])
        for name, col in self.numbers.items():
            self.numbers[name] = np.concatenate([col, np.full(extra, math.nan)])
        for tag_col in self.tags.values():
            tag_col.grow(extra)

    def _set_row(self, label: int, doc: Document, vector: npt.NDArray[np.float32]) -> None:
        size = len(self.live)
        self._vectors.set(label, vector)
        self.live[label] = True
        content_hash = doc.content_hash.encode("utf-8")
        if len(content_hash) > self._hashes.dtype.itemsize:
            self._hashes.widen(f"S{len(content_hash)}")
        self._hashes.set(label, content_hash)
        self._skills.set(label, list(doc.skills))
        self._mentions.set(label, _encode_mentions(doc.mentions))
        for name, value in doc.numbers.items():
            if name not in self.numbers:
                self.numbers[name] = np.full(size, math.nan)
            self.numbers[name][label] = value
        for name, text in doc.tags.items():
            col = self.tags.get(name)
            if col is None:
                col = self.tags[name] = Tags([], np.zeros(size, dtype=np.int32))
            col.set(label, text)

    def reusable(
        self, doc_id: str, content_hash: str
    ) -> tuple[npt.NDArray[np.float32], dict[str, str]] | None:
        """The stored vector and mentions of a live record whose content is unchanged."""
        with self.guard.reading():
            label = self.ids.get(doc_id)  # looked up once (a search of the saved table)
            if label is None or bytes(self._hashes.one(label)).decode("utf-8") != content_hash:
                return None
            mentions = _decode_mentions(self._mentions.get(label))
            return self._vectors.get(np.asarray([label]))[0], mentions

    @staticmethod
    def stack(vectors: list[npt.NDArray[np.float32]]) -> npt.NDArray[np.float32]:
        """Rows as one matrix (what :meth:`upsert` takes)."""
        return np.vstack(vectors).astype(np.float32)

    # queries -----------------------------------------------------------------------------
    def vectors_of(self, labels: Sequence[int] | npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """The vectors of ``labels``, one row each, copied out of the mapped file or the tail."""
        with self.guard.reading():
            return self._vectors.get(np.asarray(labels, dtype=np.int64))

    def vector_of(self, doc_id: str) -> npt.NDArray[np.float32] | None:
        """The vector a live record was indexed with (None when it is not indexed)."""
        with self.guard.reading():
            label = self.ids.get(doc_id)
            return None if label is None else self.vectors_of([label])[0]

    def vectors_mapped(self) -> bool:
        """Whether the saved vectors are served from a memory map (not read into memory)."""
        return self._vectors.mapped()

    def skills_of(self, doc_id: str) -> list[str]:
        """The skills a live record was indexed with (empty if not indexed)."""
        with self.guard.reading():
            label = self.ids.get(doc_id)
            return [] if label is None else self._skills.names(label)

    def mentions_of(self, doc_id: str) -> dict[str, str]:
        """Skills a record's free text mentions, with where (empty if not indexed)."""
        with self.guard.reading():
            label = self.ids.get(doc_id)
            return {} if label is None else _decode_mentions(self._mentions.get(label))

    def mentions_for(self, doc_ids: Sequence[str]) -> list[dict[str, str]]:
        """:meth:`mentions_of` of each of ``doc_ids``, under one read of the collection."""
        with self.guard.reading():
            labels = self.ids.labels_of(doc_ids)
            held = [lab for lab in labels if lab is not None]
            runs = iter(self._mentions.get_many(held))
            return [{} if lab is None else _decode_mentions(next(runs)) for lab in labels]

    def set_mentions(self, doc_id: str, mentions: dict[str, str]) -> None:
        """Replace the mentions of a live record, nothing else (its text was read again)."""
        with self.guard.writing():
            label = self.ids.get(doc_id)
            if label is None:
                raise KeyError(doc_id)
            self._mentions.set(label, _encode_mentions(mentions))

    def tag_values(self, column: str) -> list[str]:
        """The distinct texts of a tag column the records hold (empty text included), sorted."""
        with self.guard.reading():
            col = self.tags.get(column)
            return [] if col is None else col.present()

    def count(self) -> int:
        """Number of live records."""
        with self.guard.reading():
            return int(np.count_nonzero(self.live))

    def mask(self, filters: Iterable[Filter]) -> npt.NDArray[np.bool_]:
        """Labels passing every filter (and alive)."""
        with self.guard.reading():
            return self._mask(filters)

    def _mask(self, filters: Iterable[Filter]) -> npt.NDArray[np.bool_]:
        mask = self.live.copy()
        for f in filters:
            if isinstance(f, AtMost | AtLeast):
                col = self.numbers.get(f.column)
                if col is None:
                    return np.zeros_like(mask)
                with np.errstate(invalid="ignore"):
                    ok = col <= f.value if isinstance(f, AtMost) else col >= f.value
                mask &= ok & ~np.isnan(col)
            elif isinstance(f, TagIn):
                tags = self.tags.get(f.column)
                if tags is None:
                    return np.zeros_like(mask)
                mask &= tags.isin(f.values)
            elif isinstance(f, HasSkills):
                for name in f.skills:
                    allowed = np.zeros_like(mask)
                    allowed[self._skills.labels_with(name)] = True
                    mask &= allowed
        return mask


def _encode_mentions(mentions: dict[str, str]) -> npt.NDArray[np.uint8]:
    """A record's mentions as UTF-8 JSON bytes (none: no bytes)."""
    if not mentions:
        return np.zeros(0, dtype=np.uint8)
    text = json.dumps(mentions, ensure_ascii=False, separators=(",", ":"))
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _decode_mentions(raw: npt.NDArray[np.uint8]) -> dict[str, str]:
    if len(raw) == 0:
        return {}
    decoded: dict[str, str] = json.loads(bytes(raw).decode("utf-8"))
    return decoded
