"""A killed index sync resumes from its last commit (issue 16): nothing committed is re-embedded."""

from collections.abc import Sequence
from pathlib import Path

import pytest

from tandem.bundle import BundleImporter
from tandem.embed import HashingEncoder, Vectors
from tandem.engine import Engine
from tandem.search import Collection, snapshots
from tandem.search.documents import Document
from tests.conftest import make_settings


class Killed(BaseException):
    """A kill -9 as the sync sees it: nothing catches it, nothing after it runs."""


class WatchedEncoder(HashingEncoder):
    """The hashing encoder, noting which profile texts it embeds; killed past ``kill_after``."""

    def __init__(self, watched: set[str], kill_after: int | None = None) -> None:
        super().__init__()
        self.watched = watched
        self.kill_after = kill_after
        self.embedded: list[str] = []

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> Vectors:
        self.embedded += [t for t in texts if t in self.watched]
        if self.kill_after is not None and len(self.embedded) > self.kill_after:
            raise Killed
        return super().encode(texts, batch_size=batch_size)


def _profile_texts(engine: Engine) -> dict[str, str]:
    """Each freelancer's text as the index embeds it, by id."""
    hashes = engine.store.freelancers.hashes()
    return {
        f.id: engine._freelancer_doc(f, hashes[f.id]).embed_text  # noqa: SLF001
        for f in engine.store.freelancers.iter_all()
    }


def test_a_killed_sync_resumes_from_its_last_checkpoint(tmp_path: Path, small_bundle: Path) -> None:
    settings = make_settings(tmp_path / "home")
    first = Engine(settings, encoder=HashingEncoder())
    BundleImporter(first.store).import_dir(small_bundle)  # stored, not yet indexed
    texts = _profile_texts(first)
    first.store.close()

    killed = WatchedEncoder(set(texts.values()), kill_after=100)
    first = Engine(settings, encoder=killed)
    with pytest.raises(Killed):  # killed inside the fourth batch of 32 profiles
        first.sync_indexes(batch=32, checkpoint=0)
    first.store.close()

    counting = WatchedEncoder(set(texts.values()))
    second = Engine(settings, encoder=counting)
    assert second.collection("talent").count() == 0  # readers never see a build's checkpoints
    build = snapshots.unpublished(settings.index_dir / "talent")
    assert build is not None
    committed = set(Collection(build, HashingEncoder()).known_ids())
    assert len(committed) == 96  # three whole batches were committed before the kill
    second.sync_indexes(batch=32)
    assert sorted(counting.embedded) == sorted(t for i, t in texts.items() if i not in committed)
    assert second.collection("talent").count() == 300
    assert second.sync_indexes() == {"talent": 0, "jobs": 0}
    second.store.close()


def test_a_sync_commits_no_more_often_than_asked(
    tmp_path: Path, small_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    BundleImporter(engine.store).import_dir(small_bundle)
    engine.collection("talent")  # the first, empty snapshot is published (and saved) here
    saves: list[int] = []
    real_save = Collection.save

    def counted(coll: Collection) -> None:
        if coll.directory.parent.name == "talent":
            saves.append(coll.count())
        real_save(coll)

    monkeypatch.setattr(Collection, "save", counted)
    engine.sync_indexes(batch=32, checkpoint=3600)
    assert saves == [300]  # one commit at the end: an hour of work had not passed
    engine.store.close()


def test_an_index_step_is_announced_before_its_first_batch_is_embedded(
    tmp_path: Path, small_bundle: Path
) -> None:
    """A step's time is its own: one batch can be a whole market (8,192 a batch on Ray), and
    its encoder's start-up and work were reported as the step before's ("import events")."""
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    BundleImporter(engine.store).import_dir(small_bundle)
    steps: list[tuple[str, int, int]] = []
    seen_at_first_read: dict[str, list[str]] = {}

    def read(kind: str, docs: Sequence[Document]) -> Vectors:
        seen_at_first_read.setdefault(kind, [name for name, _, _ in steps])
        return engine.encoder.encode([d.embed_text for d in docs])

    engine.sync_indexes(lambda name, n, total: steps.append((name, n, total)), read=read)
    assert "index talent" in seen_at_first_read["talent"]
    assert "index jobs" in seen_at_first_read["jobs"]
    assert ("index talent", 0, 300) in steps  # announced with its total, nothing done yet
    assert sum(n for name, n, _ in steps if name == "index talent") == 300
    engine.store.close()
