"""Mentions and candidate phrases keep words of any script whole, so evidence quotes them whole."""

from tandem.skills.extract import PhraseExtractor
from tandem.skills.linker import span_offsets
from tandem.skills.taxonomy import Skill, Taxonomy


def test_an_accented_skill_is_found_and_quoted_whole() -> None:
    taxonomy = Taxonomy(
        [
            Skill("Übersetzung", "Translation", aliases=["Traducción"]),
            Skill("Diseño gráfico", "Design"),
        ]
    )
    text = "Wir suchen Übersetzung; también Diseño gráfico y Traducción."
    found = [(m.name, m.span) for m in PhraseExtractor(taxonomy).extract(text)]
    assert found == [
        ("Übersetzung", "Übersetzung"),
        ("Diseño gráfico", "Diseño gráfico"),
        ("Übersetzung", "Traducción"),
    ]
    for m in PhraseExtractor(taxonomy).extract(text):
        assert text[m.start : m.end] == m.span


def test_candidate_phrases_are_whole_words() -> None:
    spans = span_offsets("Diseño gráfico für eine Bäckerei", 2)
    assert "Diseño gráfico" in spans and "Bäckerei" in spans
    assert not any(len(phrase) < 3 for phrase in spans)
    start, end = spans["Diseño gráfico"]
    assert (start, end) == (0, len("Diseño gráfico"))


def test_slash_joined_names_are_read_as_parts_unless_one_skill() -> None:
    taxonomy = Taxonomy(
        [
            Skill("Arduino", "Engineering"),
            Skill("ESP32", "Engineering"),
            Skill("CI/CD", "DevOps"),
            Skill("French", "Translation"),
            Skill("German", "Translation"),
        ]
    )
    text = "A Raspberry/Arduino/ESP32 board, CI/CD, German/French support"
    names = PhraseExtractor(taxonomy).names(text)
    assert names == ["Arduino", "ESP32", "CI/CD", "German", "French"]
    for m in PhraseExtractor(taxonomy).extract(text):
        assert text[m.start : m.end] == m.span


def test_a_currency_prefix_is_not_a_skill() -> None:
    taxonomy = Taxonomy([Skill("C", "Software"), Skill("R", "Data")])
    assert PhraseExtractor(taxonomy).names("Rate C$25/hr, budget R$ 900") == []
    assert PhraseExtractor(taxonomy).names("Firmware in C, stats in R") == ["C", "R"]
