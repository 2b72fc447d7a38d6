"""Vectors of two encoders never mix: a collection built by another encoder is re-embedded."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from tandem.embed import HashingEncoder
from tandem.engine import Engine, TalentQuery
from tandem.search import snapshots
from tests.conftest import make_settings


class WordsOnlyEncoder(HashingEncoder):
    """Same name and size as the hashing encoder, other vectors: only its version tells."""

    version = "words-only"

    def _features(self, text: str) -> list[str]:
        return super()._features(text)[: len(text.split())]


def _manifest(home: Path, kind: str) -> dict[str, object]:
    published = snapshots.current(home / "index" / kind)
    assert published is not None
    return json.loads((published / "manifest.json").read_text())  # type: ignore[no-any-return]


def test_a_new_encoder_version_re_embeds_every_record(
    tmp_path: Path, small_bundle: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path / "home")
    first = Engine(settings, encoder=HashingEncoder())
    first.import_bundle(small_bundle)
    assert _manifest(settings.home, "talent")["encoder"] == "hashing"
    first.store.close()

    encoder = WordsOnlyEncoder()
    second = Engine(settings, encoder=encoder)
    with caplog.at_level(logging.WARNING, logger="tandem.engine"):
        results = second.search_talent(TalentQuery("python developer", top=5))
    assert results  # served from the rebuilt collection, not an empty one
    # whatever command opened it first says why it waits, and what differed
    said = [r.getMessage() for r in caplog.records if r.name == "tandem.engine"]
    assert len(said) == 1 and "talent index was built with other settings" in said[0]
    assert "encoder: hashing -> hashing@words-only" in said[0]

    talent = second.collection("talent")
    assert _manifest(settings.home, "talent")["encoder"] == "hashing@words-only"
    assert _manifest(settings.home, "jobs")["encoder"] == "hashing"  # untouched until used
    assert talent.count() == second.store.freelancers.count()
    some = sorted(talent.known_ids())[:5]
    people = second.store.freelancers.get_many(some)
    texts = [second._freelancer_doc(people[i], "").embed_text for i in some]  # noqa: SLF001
    stored = talent.vectors_of([talent.ids.get(i) for i in some])
    assert np.allclose(stored, encoder.encode(texts), atol=1e-6)
    second.store.close()
