import pytest

from tandem.companion.languages import language_pairs, needed_names


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Traductor de inglés a español para un sitio web", ["en", "es"]),
        ("Traducteur anglais-français pour des documents", ["en", "fr"]),
        ("Übersetzung vom Englischen ins Deutsche", ["en", "de"]),
        ("Traduttore dall'inglese all'italiano", ["en", "it"]),
        ("Tradutor de inglês para português", ["en", "pt"]),
        ("Translate my website from English into German", ["en", "de"]),
        ("Necesito inglés, francés y alemán", ["en", "fr", "de"]),
    ],
)
def test_two_languages_joined_by_a_connector_are_both_asked_for(
    text: str, codes: list[str]
) -> None:
    assert language_pairs(text) == codes


def test_a_lone_name_a_country_or_a_verb_is_no_pair() -> None:
    assert language_pairs("A Spanish bakery needs a logo") == []
    assert language_pairs("Ship from Germany to France") == []
    assert language_pairs("polish and german the copy") == []
    assert language_pairs("English copy, then a long brief about German cars") == []


def test_people_named_like_languages_in_english_are_no_pair() -> None:
    # The other languages' starts match English names and words ("Frances", "Russell",
    # "chinos"); an English connector between them joins people or things, not a pair.
    assert language_pairs("Wedding invitation design for Frances and Russell") == []
    assert language_pairs("Portrait of Francesca and Russo family") == []
    assert language_pairs("Product photos of chinos and Turkish towels") == []
    assert language_pairs("Translate it from English to Spanish or French") == ["en", "es", "fr"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Deutsch erforderlich", ["de"]),
        ("Sehr gute Deutschkenntnisse erforderlich", ["de"]),
        ("Französisch fließend", ["fr"]),
        ("se requiere inglés", ["en"]),
        ("Se requiere nivel avanzado de inglés", ["en"]),
        ("Inglés es imprescindible", ["en"]),
        ("français exigé", ["fr"]),
        ("anglais courant", ["en"]),
        ("fluent Spanish required", ["es"]),
        ("Spanish and English required", ["es", "en"]),
        ("Fala português fluente", ["pt"]),
        ("madrelingua italiano", ["it"]),
        ("Spanish is needed", ["es"]),
    ],
)
def test_a_language_beside_words_that_state_a_need_is_needed(text: str, codes: list[str]) -> None:
    assert [n.code for n in needed_names(text)] == codes


def test_a_language_that_only_describes_the_work_is_no_need() -> None:
    assert needed_names("A Spanish bakery needs a logo. Python required") == []
    assert needed_names("We need English subtitles") == []
    assert needed_names("Spanish subtitles needed") == []
    assert needed_names("English copy required") == []
    assert needed_names("Speech for the French parliament") == []
    assert needed_names("Wedding for Frances, required by Friday") == []


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Native German speaker, no French necessary", ["de"]),
        ("No Spanish needed. English fluent", ["en"]),
        ("No Spanish or French required, fluent English", ["en"]),
        ("Kein Spanisch erforderlich, Deutsch fließend", ["de"]),
        ("Se busca traductor, sin inglés obligatorio", []),
    ],
)
def test_a_language_denied_before_its_name_is_no_need(text: str, codes: list[str]) -> None:
    assert [n.code for n in needed_names(text)] == codes
