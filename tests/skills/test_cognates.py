import pytest

from tandem.skills import Taxonomy
from tandem.skills.cognates import cognate_skills, english_forms, mostly_english, skeleton
from tandem.skills.trades import trade_skills
from tandem.skills.verbs import verb_skills


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.builtin()


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("Ilustrador para un libro infantil", "Illustration"),
        ("Cherche illustrateur pour un livre pour enfants", "Illustration"),
        ("Preciso de um ilustrador para o meu livro", "Illustration"),
        ("Busco fotógrafo para una boda en Sevilla", "Photography"),
        ("Necesito transcripción de entrevistas grabadas", "Transcription"),
    ],
)
def test_romance_trade_words_find_their_english_skill(
    taxonomy: Taxonomy, text: str, skill: str
) -> None:
    assert skill in [name for name, _ in cognate_skills(taxonomy, text)]


def test_english_text_and_non_cognates_are_left_alone(taxonomy: Taxonomy) -> None:
    assert cognate_skills(taxonomy, "We need an illustration for the cover of our book") == []
    assert cognate_skills(taxonomy, "Necesito un traductor y un diseñador") == []


def test_spelling_skeletons_and_endings() -> None:
    assert skeleton("Fotografía") == skeleton("photographia")
    assert english_forms("ilustrador") == ["ilustration", "ilustrator"]
    assert english_forms("casa") == []
    assert mostly_english("I need a logo for my shop") and not mostly_english("Necesito un logo")


def test_a_short_text_with_more_foreign_than_english_function_words_is_not_english() -> None:
    # "a" is English and Spanish: one in nine words made this request English.
    assert not mostly_english("Necesito un traductor de francés a inglés para contratos")
    assert mostly_english("Mobile app UI design in Figma, 12 screens")


def test_english_words_never_count_as_another_language(taxonomy: Taxonomy) -> None:
    # "per" and "all" are English words (Italian as well): they made these texts not English,
    # and so "Service client" was read as the French for Customer Support.
    text = "Service client dashboard: my team, per seat, all plans"
    assert mostly_english(text) and trade_skills(taxonomy, text) == []
    assert mostly_english("Translate my menu per page, all dishes")


@pytest.mark.parametrize(
    "text",
    [
        "Van Gogh style portrait for my living room",
        "Illustrate a Van Gogh style portrait",
        "Logo for Van der Berg Consulting",
        "Portrait like Leonardo da Vinci for my office",
        "Design a van wrap",
        "Pour a concrete patio",
    ],
)
def test_a_names_particle_or_a_word_english_has_too_is_no_other_language(text: str) -> None:
    assert mostly_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "Fotograaf gezocht voor de bruiloft van mijn zus",
        "Ik zoek een fotograaf voor onze bruiloft",
        "Die Website für unsere Firma",
        "Logo pour ma boulangerie",
        "Logo para De La Cruz Bakery",
        "Übersetzung vom Englischen ins Deutsche",
    ],
)
def test_texts_in_other_languages_stay_other_languages(text: str) -> None:
    assert not mostly_english(text)


def test_a_request_that_names_a_painter_is_read_for_its_english_verbs(taxonomy: Taxonomy) -> None:
    assert [v.name for v in verb_skills(taxonomy, "Illustrate a Van Gogh style portrait")] == [
        "Illustration"
    ]
