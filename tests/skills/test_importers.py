from pathlib import Path

import pytest

from tandem.engine import Engine
from tandem.errors import ValidationError
from tandem.skills.importers import import_esco, import_onet, split_alt_labels
from tests.conftest import shared_data


def test_alt_labels_split_on_newlines_or_pipes() -> None:
    assert split_alt_labels("a\nb\n\nc") == ["a", "b", "c"]
    assert split_alt_labels("a | b | c") == ["a", "b", "c"]


def test_esco_importer_on_a_small_official_style_file(tmp_path: Path) -> None:
    (tmp_path / "skills_en.csv").write_text(
        "conceptType,conceptUri,preferredLabel,altLabels,description\n"
        'KnowledgeSkillCompetence,http://x/1,use spreadsheets software,"use excel\nspreadsheets",'
        '"Use software tools to create and edit tabular data."\n'
    )
    skills = import_esco(tmp_path)
    assert [s.name for s in skills] == ["use spreadsheets software"]
    assert skills[0].aliases == ["use excel", "spreadsheets"] and skills[0].uri == "http://x/1"


def test_esco_importer_finds_the_export_inside_the_unzipped_folder(tmp_path: Path) -> None:
    release = tmp_path / "ESCO dataset - v1.2.0 - classification - en - csv"
    release.mkdir()
    (release / "skills_en.csv").write_text(
        "conceptType,conceptUri,preferredLabel,altLabels,description\n"
        "KnowledgeSkillCompetence,http://x/2,keep books,bookkeeping,Record transactions.\n"
    )
    assert [s.name for s in import_esco(tmp_path)] == ["keep books"]


def test_a_missing_esco_folder_says_where_to_get_it(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="esco.ec.europa.eu") as missing:
        import_esco(tmp_path / "esco")
    assert "does not exist" in str(missing.value)


def test_importers_reject_folders_without_their_files(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="Technology Skills"):
        import_onet(tmp_path)
    with pytest.raises(ValidationError, match="no ESCO skills"):
        import_esco(tmp_path)


def test_onet_import_from_the_real_files(bare_engine: Engine) -> None:
    directory = shared_data("onet")
    read, new = bare_engine.import_taxonomy("onet", directory)
    assert read > 8000 and new > 7000
    assert bare_engine.normaliser.canonical("Tableau") == "Tableau"  # merged with the built-in
    skill = bare_engine.taxonomy.get("Apache Kafka")
    assert skill is not None and skill.source == "builtin"  # built-in wins on a clash


def test_esco_import_from_the_real_files(bare_engine: Engine) -> None:
    directory = shared_data("esco")
    read, new = bare_engine.import_taxonomy("esco", directory)
    assert read >= 13_895
    labels = (directory / "skills_v1.1_preferred_labels.txt").read_text().splitlines()
    assert all(
        bare_engine.taxonomy.get(label) is not None or bare_engine.normaliser.canonical(label)
        for label in labels[:500]
    )
    assert bare_engine.normaliser.canonical("manage musical staff") == "manage musical staff"
    # it persists: a new engine on the same home sees it
    again = Engine(bare_engine.settings)
    assert len(again.taxonomy) == len(bare_engine.taxonomy)


def test_esco_alt_labels_go_to_the_skill_whose_joined_text_writes_them(tmp_path: Path) -> None:
    # The subset file's altLabels are shifted one row (as in the reference copy): the joined
    # v1.2 file, which spells each skill's own alternative labels, puts them back.
    (tmp_path / "skills_subset_altlabels.csv").write_text(
        "conceptUri,reuseLevel,preferredLabel,altLabels\n"
        'http://x/1,cross-sector,write Turkish,"disability types\ntypes of disability"\n'
        'http://x/2,transversal,disability types,"writing Turkish\nwrite in Turkish"\n'
        "http://x/3,transversal,manufacture fabric furnishings,unheard of alias\n"
    )
    (tmp_path / "skills_v1.2_joined.csv").write_text(
        "id,description\n"
        'http://x/1,"write Turkish writing Turkish write in Turkish Compose texts in Turkish."\n'
        'http://x/2,"disability types types of disability The various types of disability."\n'
        'http://x/3,"manufacture fabric furnishings Make curtains and cushion covers."\n'
    )
    skills = {s.name: s for s in import_esco(tmp_path)}
    assert skills["write Turkish"].aliases == ["writing Turkish", "write in Turkish"]
    assert skills["disability types"].aliases == ["types of disability"]
    assert skills["manufacture fabric furnishings"].aliases == []
    assert skills["write Turkish"].description == (
        "writing Turkish write in Turkish Compose texts in Turkish."
    )


def test_esco_alt_labels_of_the_reference_copy_mostly_name_their_skill() -> None:
    directory = shared_data("esco")
    skills = {s.name: s for s in import_esco(directory)}
    assert "types of disability" not in skills["manufacture fabric furnishings"].aliases
    assert "types of disability" in skills["disability types"].aliases
    assert "writing Turkish" in skills["write Turkish"].aliases
    with_aliases = [s for s in skills.values() if s.aliases]
    assert len(with_aliases) > 3500
