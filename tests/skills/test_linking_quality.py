"""The skill-linking targets on the validation splits, with the real model (slow)."""

from pathlib import Path

import pytest

from tandem.engine import Engine
from tandem.settings import Settings
from tests.conftest import shared_data

pytestmark = pytest.mark.slow


def test_validation_targets_hold(tmp_path: Path) -> None:
    esco = shared_data("esco")
    splits = shared_data("skill-extraction")
    engine = Engine(Settings(home=tmp_path, encoder="minilm"))
    engine.import_taxonomy("esco", esco)
    labels = esco / "skills_v1.1_preferred_labels.txt"
    tech = engine.evaluate_skills(splits / "tech_validation_annotations.csv", labels)
    house = engine.evaluate_skills(splits / "house_validation_annotations.csv", labels)
    assert (tech.queries, house.queries) == (75, 61)
    assert tech.rp5 >= 0.60, tech
    assert house.rp5 >= 0.50, house
