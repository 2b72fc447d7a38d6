"""Which encoder the engine's skill linkers use: ESCO links follow ``skill_encoder``."""

from __future__ import annotations

from pathlib import Path

from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.settings import Settings


class SkillHashing(HashingEncoder):
    """A second, distinguishable encoder (loaded by ``module:Class`` like a user's own)."""

    name = "skill-hashing"


def test_esco_links_use_the_skill_encoder_and_the_reader_keeps_the_main_one(
    tmp_path: Path,
) -> None:
    settings = Settings(
        home=tmp_path,
        encoder="hashing",
        skill_encoder="tests.engine.test_understanding:SkillHashing",
    )
    engine = Engine(settings)
    assert engine.skill_encoder.name == "skill-hashing"
    assert engine.linker(["use spreadsheets software", "Python"]).encoder.name == "skill-hashing"
    assert engine.linker(taxonomy="builtin").encoder is engine.encoder
    assert engine.encoder.name == "hashing"


def test_without_a_skill_encoder_esco_links_share_the_main_encoder(tmp_path: Path) -> None:
    engine = Engine(Settings(home=tmp_path, encoder="hashing", skill_encoder=None))
    assert engine.skill_encoder is engine.encoder
    assert engine.linker(["Python"]).encoder is engine.encoder
