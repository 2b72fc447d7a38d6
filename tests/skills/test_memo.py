"""Stored skill forms: reused only for the taxonomy and rules they were worked out under."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tandem.skills import Normaliser, Skill, SkillMatch, Taxonomy
from tandem.skills.memo import FormsMemo, fingerprint, is_current, read_forms, write_forms


def test_forms_round_trip_for_the_same_taxonomy(tmp_path: Path) -> None:
    taxonomy = Taxonomy.builtin()
    worked = Normaliser(taxonomy)
    typed = ["Pyhton", "ReactJS", "Basket weaving", "postgres"]
    answers = [worked.match(t) for t in typed]
    path = tmp_path / "forms.json"
    write_forms(path, fingerprint(taxonomy), worked.known)

    known = read_forms(path, fingerprint(Taxonomy.builtin()))
    assert [known[t] for t in typed] == answers
    assert path.stat().st_mode & 0o777 == 0o600  # words people typed


def test_a_changed_taxonomy_or_a_bad_file_gives_nothing(tmp_path: Path) -> None:
    taxonomy = Taxonomy.builtin()
    path = tmp_path / "forms.json"
    write_forms(path, fingerprint(taxonomy), {"Pyhton": SkillMatch("Pyhton", "Python", "typo")})
    grown = Taxonomy.builtin()
    grown.add([Skill(name="Basket Weaving", category="Crafts", aliases=["wickerwork"])])
    assert fingerprint(grown) != fingerprint(taxonomy)
    assert read_forms(path, fingerprint(grown)) == {}

    path.write_text("{not json", encoding="utf-8")
    assert read_forms(path, fingerprint(taxonomy)) == {}
    odd = {"fingerprint": fingerprint(taxonomy), "forms": {"x": ["X", "guess"]}}
    path.write_text(json.dumps(odd), encoding="utf-8")
    assert read_forms(path, fingerprint(taxonomy)) == {}  # an unknown kind of answer
    assert read_forms(tmp_path / "missing.json", fingerprint(taxonomy)) == {}


def test_a_normaliser_answers_from_given_forms_and_says_what_it_learned() -> None:
    taxonomy = Taxonomy.builtin()
    given = {"Pyhton": SkillMatch("Pyhton", "Python", "typo")}
    normaliser = Normaliser(taxonomy, given)
    assert not normaliser.learned
    assert normaliser.canonical("Pyhton") == "Python"
    assert not normaliser.learned  # answered from what it was given
    assert normaliser.canonical("Djnago") == "Django"
    assert normaliser.learned
    normaliser.settle()
    assert not normaliser.learned


def test_forms_are_current_only_under_the_fingerprint_they_were_stored_with(
    tmp_path: Path,
) -> None:
    path = tmp_path / "forms.json"
    assert not is_current(path, "now")  # none stored
    write_forms(path, "before", {})
    assert not is_current(path, "now") and is_current(path, "before")
    path.write_text("{not json", encoding="utf-8")
    assert not is_current(path, "before")


def _counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every parse of a forms file from now on (json.loads of a text holding a fingerprint)."""
    parsed: list[str] = []
    loads = json.loads

    def counting(text: str | bytes, *args: object, **kwargs: object) -> object:
        if '"fingerprint"' in (text if isinstance(text, str) else text.decode()):
            parsed.append("forms")
        return loads(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(json, "loads", counting)
    return parsed


def test_a_memo_parses_its_file_once_and_again_only_when_another_replaced_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start-up read and the sync's freshness check parsed the same file twice."""
    path = tmp_path / "forms.json"
    given = {"Pyhton": SkillMatch("Pyhton", "Python", "typo")}
    write_forms(path, "now", given)
    parsed = _counting_parses(monkeypatch)
    memo = FormsMemo(path)
    assert memo.read("now") == given
    assert memo.is_current("now") and not memo.is_current("later")
    assert parsed == ["forms"]  # the read's parse answers the check

    write_forms(path, "before", given)  # another process, under other rules
    assert not memo.is_current("now") and memo.is_current("before")
    assert memo.read("now") == {}
    memo.write("now", given)
    assert memo.is_current("now")
    assert len(parsed) == 3  # the file another wrote, once per use; never the memo's own write

    path.unlink()  # an erasure starts afresh
    assert not memo.is_current("now")
    path.write_text("{not json", encoding="utf-8")
    assert not memo.is_current("now") and memo.read("now") == {}
