"""The decision log: append-only records of every ranking served, hash-chained.

Appends are serialised (SQLite's write lock, a row lock on ``log_chain`` in PostgreSQL), so
every entry gets the next sequence number and the hash of the one before it. The chain's
rules live in :mod:`tandem.store.ledger`; this module stores and reads. Payloads are written
in the compact format of :mod:`tandem.store.logcodec` and read in either format.

The chain starts at its base (``log_chain.base_seq``): a purge moves the base past the
entries it removes, and every walk of the chain (verify, erasure, access requests) and every
read (``get``, ``recent``, ``page``, ``served``, ``numbered``) starts there, so rows at or
before the base that a purge has not deleted yet are never read, as part of the chain or not.

Each key carries a lease (``log_keys.last_seq``): no entry after it needs the key. An append
that uses a key whose lease has run out extends it to :data:`KEY_LEASE` entries ahead, so a
key used often is written once per lease rather than on every append that names it. A purge
deletes the keys whose lease ended at or before the new base with one indexed statement, and
decides the few whose lease ends within :data:`KEY_LEASE` entries after it by reading just
those entries: the same keys go as when every remaining entry was read, at a cost that does
not grow with the log.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tandem.domain import Decision
from tandem.errors import NotFoundError, StoreError
from tandem.store import ledger, logcodec
from tandem.store.db import Database, Runner, Transaction, json_param, load_json, read_ts

_COLUMNS = "request_id, ts, actor, surface, kind, subject, model_version, payload"
_CHUNK = 900
#: The rows a read may return: those after the chain's base. A purge moves the base first and
#: deletes the rows behind it afterwards, in batches; until the last batch, rows it has
#: logically removed are still in the table and must not be served as part of the log.
_KEPT = "seq > COALESCE((SELECT base_seq FROM log_chain WHERE id = 1), 0)"
#: How far past an entry a key's lease reaches when that entry renews it. Larger: fewer
#: key writes on append (a key named every ~130 entries, a typical freelancer's candidacy
#: in the purge benchmark, is renewed on ~3% of its uses at 4096, on ~20% at 512); smaller:
#: fewer entries a purge reads (outside the append lock) to decide the keys it may delete.
KEY_LEASE = 4096
#: Entries a purge deletes per transaction, after the base has moved (bounds how long one
#: SQLite write lock is held; PostgreSQL appends never wait on these deletes).
PURGE_BATCH = 5000


def entry_of(row: tuple[Any, ...]) -> dict[str, Any]:
    """A stored row (``_COLUMNS`` order) as the ledger sees it; times in UTC ISO form."""
    request_id, ts, actor, surface, kind, subject, model_version, payload = row[:8]
    return {
        "request_id": request_id,
        "ts": read_ts(ts).isoformat(),
        "actor": actor,
        "surface": surface,
        "kind": kind,
        "subject": subject,
        "model_version": model_version,
        **logcodec.unpack(load_json(payload)),
    }


@dataclass(frozen=True)
class LogCheck:
    """What ``tandem log verify`` found."""

    entries: int
    head_seq: int
    head_hash: str
    problem: str | None

    @property
    def ok(self) -> bool:
        """Whether every entry held."""
        return self.problem is None


class DecisionLog:
    """Writes and reads :class:`Decision` records; verifies the chain; erases people from it."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- writing ----------------------------------------------------------------------------

    def record(self, decision: Decision) -> None:
        """Append one decision as the chain's next entry (the request id must be new)."""
        payload = decision.model_dump(mode="json", include={"request", "candidates", "results"})
        # the candidates are the set considered: stored sorted, they pack to a few bytes each
        payload["candidates"] = sorted(payload["candidates"])
        ts = self._db.ts(decision.ts)
        row = (
            decision.request_id,
            ts,
            decision.actor,
            decision.surface,
            decision.kind,
            decision.subject[:500],
            decision.model_version,
            json_param(logcodec.pack(payload)),
        )
        entry = entry_of(row)
        with self._db.transaction() as tx:
            # The head first: it serialises appends with :meth:`purge_before`, which deletes
            # keys no entry needs any more (a key read before the lock could be one of them).
            head_seq, head_hash = self._head(tx, lock=True)
            seq = head_seq + 1
            keys = self._keys(tx, ledger.keys_needed(entry), create=True, lease=seq + KEY_LEASE)
            link = ledger.entry_hash(head_hash, ledger.hashed_form(entry, keys))
            tx.execute(
                f"INSERT INTO decisions ({_COLUMNS}, seq, prev_hash, entry_hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*row, seq, head_hash, link),
            )
            tx.execute("UPDATE log_chain SET head_seq = ?, head_hash = ? WHERE id = 1", (seq, link))
            self._renew(tx, sorted(keys), seq)

    @staticmethod
    def _base(tx: Runner) -> tuple[int, str]:
        """Where the chain starts: the last purged entry's seq and hash (0 and genesis at first)."""
        row = tx.fetchone("SELECT base_seq, base_hash FROM log_chain WHERE id = 1")
        return (0, ledger.GENESIS) if row is None else (int(row[0]), str(row[1]))

    def _head(self, tx: Runner, *, lock: bool = False) -> tuple[int, str]:
        lock_clause = " FOR UPDATE" if lock and self._db.dialect == "postgresql" else ""
        row = tx.fetchone(f"SELECT head_seq, head_hash FROM log_chain WHERE id = 1{lock_clause}")
        if row is None:
            raise StoreError("the decision log has no chain head (log_chain is empty)")
        return int(row[0]), str(row[1])

    def _keys(
        self, tx: Runner, names: set[str], *, create: bool, lease: int = 0
    ) -> dict[str, bytes]:
        """The keys of ``names``; with ``create``, new keys (leased to ``lease``) for the rest."""
        wanted = sorted(names)
        found: dict[str, bytes] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for name, key in tx.fetchall(
                f"SELECT name, key FROM log_keys WHERE name IN ({marks})", chunk
            ):
                found[name] = bytes.fromhex(key)
        missing = [n for n in wanted if n not in found]
        if create and missing:
            assert isinstance(tx, Transaction), "new keys are written inside a transaction"
            fresh = {n: os.urandom(16) for n in missing}
            tx.executemany(
                "INSERT INTO log_keys (name, key, last_seq) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO NOTHING",
                [(n, k.hex(), lease) for n, k in fresh.items()],
            )
            found.update(self._keys(tx, set(missing), create=False))
        return found

    @staticmethod
    def _renew(tx: Runner, names: list[str], seq: int) -> None:
        """Entry ``seq`` needs ``names``: extend the leases that end before it."""
        for start in range(0, len(names), _CHUNK):
            chunk = names[start : start + _CHUNK]
            tx.execute(
                "UPDATE log_keys SET last_seq = ? "
                f"WHERE last_seq < ? AND name IN ({', '.join('?' * len(chunk))})",
                (seq + KEY_LEASE, seq, *chunk),
            )

    # -- reading ----------------------------------------------------------------------------

    def get(self, request_id: str) -> Decision:
        """One decision; :class:`NotFoundError` if the id was never served."""
        row = self._db.fetchone(
            f"SELECT {_COLUMNS} FROM decisions WHERE request_id = ? AND {_KEPT}", (request_id,)
        )
        if row is None:
            raise NotFoundError(f"no decision with request id {request_id!r}")
        return _to_decision(row)

    def recent(self, limit: int = 50, subject: str | None = None) -> list[Decision]:
        """The newest decisions, optionally for one subject."""
        if subject is None:
            rows = self._db.fetchall(
                f"SELECT {_COLUMNS} FROM decisions WHERE {_KEPT} ORDER BY ts DESC LIMIT ?",
                (limit,),
            )
        else:
            rows = self._db.fetchall(
                f"SELECT {_COLUMNS} FROM decisions WHERE subject = ? AND {_KEPT} "
                "ORDER BY ts DESC LIMIT ?",
                (subject, limit),
            )
        return [_to_decision(r) for r in rows]

    def page(
        self, offset: int, limit: int, *, actor: str | None = None, kind: str | None = None
    ) -> tuple[list[Decision], int]:
        """Newest first: one page of decisions (of ``actor``, of ``kind``) and their count."""
        where: list[str] = [_KEPT]
        params: list[str] = []
        if actor is not None:
            where.append("actor = ?")
            params.append(actor)
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        clause = f" WHERE {' AND '.join(where)}"
        total = int(self._db.scalar(f"SELECT COUNT(*) FROM decisions{clause}", params) or 0)
        rows = self._db.fetchall(
            f"SELECT {_COLUMNS} FROM decisions{clause} ORDER BY seq DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_to_decision(r) for r in rows], total

    def served(
        self,
        kinds: tuple[str, ...],
        since: datetime | None = None,
        until: datetime | None = None,
        batch: int = 500,
        *,
        after: int = -1,
        through: int | None = None,
    ) -> Iterator[Decision]:
        """Decisions of ``kinds`` logged in ``[since, until)``, oldest first, read in batches.

        ``after`` / ``through``: only entries with ``after < seq <= through`` (what a count
        kept through entry ``after`` has not seen yet, up to the head it read).
        """
        where = [f"kind IN ({', '.join('?' * len(kinds))})", _KEPT]
        params: list[Any] = list(kinds)
        if through is not None:
            where.append("seq <= ?")
            params.append(through)
        if since is not None:
            where.append("ts >= ?")
            params.append(self._db.ts(since))
        if until is not None:
            where.append("ts < ?")
            params.append(self._db.ts(until))
        last = after
        while True:
            rows = self._db.fetchall(
                f"SELECT {_COLUMNS}, seq FROM decisions WHERE {' AND '.join(where)} AND seq > ? "
                "ORDER BY seq LIMIT ?",
                (*params, last, batch),
            )
            if not rows:
                return
            yield from (_to_decision(r) for r in rows)
            last = int(rows[-1][8])

    def numbered(
        self,
        kind: str,
        *,
        after: int = -1,
        through: int | None = None,
        newest_first: bool = False,
        limit: int = 500,
    ) -> list[tuple[int, Decision]]:
        """Up to ``limit`` decisions of ``kind`` with ``after < seq <= through``, with their seq.

        Sequence numbers are the chain's order, so a window read by them (unlike one read by
        time) is the same window however often it is read again: what a replay needs.
        """
        upper = "" if through is None else " AND seq <= ?"
        rows = self._db.fetchall(
            f"SELECT {_COLUMNS}, seq FROM decisions WHERE kind = ? AND seq > ?{upper} AND {_KEPT} "
            f"ORDER BY seq {'DESC' if newest_first else 'ASC'} LIMIT ?",
            (kind, after, *(() if through is None else (through,)), limit),
        )
        return [(int(r[8]), _to_decision(r)) for r in rows]

    def _chain(
        self,
        batch: int = 500,
        runner: Runner | None = None,
        *,
        after: int | None = None,
        through: int | None = None,
    ) -> Iterator[tuple[int, str, str, dict[str, Any]]]:
        """Entries after the base (or ``after``), through ``through``, in chain order.

        Each as ``(seq, prev_hash, entry_hash, entry)``.
        """
        reader = runner or self._db.reader()
        last = self._base(reader)[0] if after is None else after
        upper = "" if through is None else f" AND seq <= {int(through)}"
        while True:
            rows = reader.fetchall(
                f"SELECT {_COLUMNS}, seq, prev_hash, entry_hash FROM decisions "
                f"WHERE seq > ?{upper} ORDER BY seq LIMIT ?",
                (last, batch),
            )
            if not rows:
                return
            for row in rows:
                yield int(row[8]), str(row[9]), str(row[10]), entry_of(row)
            last = int(rows[-1][8])

    # -- accountability ---------------------------------------------------------------------

    def head(self) -> tuple[int, str]:
        """The latest entry's sequence number and hash (what an operator anchors elsewhere)."""
        return self._head(self._db.reader())

    def verify(self) -> LogCheck:
        """Walk the whole chain; the first entry that was edited, removed or reordered fails it.

        Entries at the end removed together with the chain head cannot be seen from inside
        the database: compare :meth:`head` with the value anchored elsewhere.
        """
        base = self._db.fetchone("SELECT base_seq, base_hash, head_seq, head_hash FROM log_chain")
        if base is None:
            return LogCheck(0, 0, ledger.GENESIS, "the chain head (log_chain) is missing")
        base_seq, base_hash, head_seq, head_hash = int(base[0]), str(base[1]), int(base[2]), base[3]

        def keys_for(names: set[str]) -> dict[str, bytes]:
            return self._keys(self._db.reader(), names, create=False)

        held, last, problem = ledger.verify_chain(self._chain(after=base_seq), keys_for, base_hash)
        seq = base_seq + held
        if problem is None and (seq, last) != (head_seq, head_hash):
            problem = (
                f"the chain ends at entry {seq} but its recorded head is entry {head_seq}: "
                "entries were removed or the head was altered"
            )
        return LogCheck(held, seq, last, problem)

    def erase_people(
        self, names: set[str], needles: Iterable[str] = (), parts: Iterable[str] = ()
    ) -> int:
        """Tombstone every id whose key is in ``names``, then destroy those keys.

        A search whose words hold one of ``needles`` (the person's id, name, email, phone;
        case, spacing and accents ignored) or one of the name's ``parts`` as a word ("Hannah"
        alone) loses its words the same way: they are tombstoned under the entry's query key,
        which is destroyed too (its results' reasons, which quote the words, are sealed).
        Returns the number of entries rewritten. Each rewritten entry's hashed form is checked
        to be unchanged before it is stored, so the chain still verifies.
        """
        wanted, alone = list(needles), list(parts)
        rewritten = 0
        doomed = set(names)
        with self._db.transaction() as tx:
            for _seq, _prev, _hash, entry in list(self._chain(runner=tx)):
                here = self._names_in(entry, names, wanted, alone)
                if not here:
                    continue
                keys = self._keys(tx, ledger.keys_needed(entry), create=False)
                erased = ledger.erase(entry, here, keys)
                if ledger.hashed_form(erased, keys) != ledger.hashed_form(entry, keys):
                    raise StoreError(f"erasing entry {entry['request_id']} would break the chain")
                payload = {k: erased[k] for k in ("request", "candidates", "results")}
                tx.execute(
                    "UPDATE decisions SET actor = ?, subject = ?, payload = ? WHERE request_id = ?",
                    (
                        erased["actor"],
                        erased["subject"],
                        json_param(logcodec.pack(payload)),
                        entry["request_id"],
                    ),
                )
                doomed |= here
                rewritten += 1
            # Rows a purge left behind its base (killed after moving it, or still deleting) are
            # outside the chain walked above: they go now, never kept with the person in them.
            # The base read here is at or past the walk's (a purge may have moved it since).
            tx.execute(
                "DELETE FROM decisions WHERE seq <= (SELECT base_seq FROM log_chain WHERE id = 1)"
            )
            ordered = sorted(doomed)
            for start in range(0, len(ordered), _CHUNK):
                chunk = ordered[start : start + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                tx.execute(f"DELETE FROM log_keys WHERE name IN ({marks})", chunk)
        return rewritten

    @staticmethod
    def _names_in(
        entry: dict[str, Any], names: set[str], needles: list[str], parts: list[str]
    ) -> set[str]:
        """The key ``names`` an entry uses, plus its query key if its words quote the person."""
        here = {n for n in ledger.keys_needed(entry) if n in names}
        if (needles or parts) and ledger.quotes(entry, needles, parts):
            here.add(ledger.query_key(entry["request_id"]))
        return here

    def entries_mentioning(
        self, names: set[str], needles: Iterable[str] = (), parts: Iterable[str] = ()
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """Entries naming one of the key ``names``, or searches whose words quote the person.

        What a subject access request lists, and what an erasure rewrites (``needles`` and
        ``parts`` as :meth:`erase_people` reads them).
        """
        wanted, alone = list(needles), list(parts)
        for seq, _prev, _hash, entry in self._chain():
            if self._names_in(entry, names, wanted, alone):
                yield seq, entry

    def purge_before(self, cutoff: datetime) -> tuple[int, int]:
        """Delete the entries logged before ``cutoff``; the chain stays verifiable.

        Only a prefix of the chain can go: entries up to the last one before the first entry
        logged at or after ``cutoff``. The chain's base moves to the last deleted entry (its
        sequence number and hash), which is where :meth:`verify` starts, and the keys whose
        lease ended before it go too. That step holds the lock appends take and touches only
        what goes: the first kept entry is found by walking forward from the old base, the
        keys by the index on their leases.

        Then, without holding up appends: the keys whose lease ends within
        :data:`KEY_LEASE` entries after the base are decided (:meth:`_delete_doubtful_keys`),
        and the rows are deleted in batches of :data:`PURGE_BATCH` by sequence number (an
        index range). They are outside the chain from the moment the base moves, and rows or
        keys a crash leaves behind go at the next purge (it runs these steps even when the
        base stays). The keys deleted are exactly those no remaining entry needs. Returns
        ``(entries deleted, keys deleted)``.
        """
        stamp = self._db.ts(cutoff)
        with self._db.transaction() as tx:
            head_seq, _ = self._head(tx, lock=True)
            base_seq, _ = self._base(tx)
            last = self._last_before(tx, base_seq, head_seq, stamp)
            if last > base_seq:
                link = tx.scalar("SELECT entry_hash FROM decisions WHERE seq = ?", (last,))
                if link is None:
                    raise StoreError(f"entry {last} of the decision log is missing: purge refused")
                tx.execute(
                    "UPDATE log_chain SET base_seq = ?, base_hash = ? WHERE id = 1",
                    (last, str(link)),
                )
                sql = "DELETE FROM log_keys WHERE last_seq <= ?"
                keys = int(tx.execute(sql, (last,)).rowcount or 0)
            else:
                keys, last = 0, base_seq
        keys += self._delete_doubtful_keys(last, head_seq)
        return self._delete_through(last), keys

    def _delete_doubtful_keys(self, last: int, head_seq: int) -> int:
        """Delete the keys leased to within :data:`KEY_LEASE` after ``last`` that nothing needs.

        Every use of a key is at or before its lease's end, so such a key is needed only if
        one of the entries ``last + 1 .. last + KEY_LEASE`` names it. Those entries are read
        without the append lock (up to ``head_seq``, the head when the base moved); under the
        lock, the few appended meanwhile are read too, and a key is deleted only if its lease
        still ends in that window (an append that renewed it moved it past the window).
        """
        reach = last + KEY_LEASE
        window = "last_seq > ? AND last_seq <= ?"
        found = self._db.fetchall(f"SELECT name FROM log_keys WHERE {window}", (last, reach))
        doubtful = {str(n) for (n,) in found}
        if not doubtful:
            return 0
        for _seq, _prev, _hash, entry in self._chain(after=last, through=min(reach, head_seq)):
            doubtful -= ledger.keys_needed(entry)
        gone = 0
        with self._db.transaction() as tx:
            now, _ = self._head(tx, lock=True)
            if now > head_seq and head_seq < reach:
                for _seq, _p, _h, entry in self._chain(
                    runner=tx, after=head_seq, through=min(reach, now)
                ):
                    doubtful -= ledger.keys_needed(entry)
            stale = sorted(doubtful)
            for start in range(0, len(stale), _CHUNK):
                chunk = stale[start : start + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                sql = f"DELETE FROM log_keys WHERE {window} AND name IN ({marks})"
                gone += int(tx.execute(sql, (last, reach, *chunk)).rowcount or 0)
        return gone

    def _last_before(self, tx: Runner, base_seq: int, head_seq: int, stamp: Any) -> int:
        """The last entry before the first one logged at or after ``stamp`` (from the base on).

        Read in sequence order from the base, so the cost is the entries that go, not the log;
        ``ts`` is compared without its index (SQLite's ``+ts``), which would read every entry
        logged after ``stamp`` to find the smallest sequence number among them.
        """
        ts = "+ts" if self._db.dialect == "sqlite" else "ts"
        first_kept = tx.scalar(
            f"SELECT seq FROM decisions WHERE seq > ? AND {ts} >= ? ORDER BY seq LIMIT 1",
            (base_seq, stamp),
        )
        return int(first_kept) - 1 if first_kept is not None else head_seq

    def _delete_through(self, last: int) -> int:
        """Delete the rows with ``seq <= last`` (all outside the chain), a batch at a time."""
        deleted = 0
        low = self._db.scalar("SELECT MIN(seq) FROM decisions")
        if low is None or int(low) > last:
            return 0
        for upper in range(int(low) + PURGE_BATCH - 1, last + PURGE_BATCH, PURGE_BATCH):
            with self._db.transaction() as tx:
                sql = "DELETE FROM decisions WHERE seq <= ?"
                deleted += int(tx.execute(sql, (min(upper, last),)).rowcount or 0)
        return deleted


def _to_decision(row: tuple[Any, ...]) -> Decision:
    request_id, ts, actor, surface, kind, subject, model_version, payload = row[:8]
    return Decision.model_validate(
        {
            "request_id": request_id,
            "ts": read_ts(ts),
            "actor": actor,
            "surface": surface,
            "kind": kind,
            "subject": subject,
            "model_version": model_version,
            **logcodec.unpack(load_json(payload)),
        }
    )
