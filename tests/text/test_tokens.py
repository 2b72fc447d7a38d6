"""Words of any script: Spanish, German and accented words stay whole."""

from hypothesis import given
from hypothesis import strategies as st

from tandem.search.tantivy_index import query_terms
from tandem.text.tokens import fold, technical_tokens, words


def test_words_keep_accented_and_non_latin_letters() -> None:
    assert words("Diseño gráfico, Übersetzung & naïve café (東京)") == [
        "Diseño",
        "gráfico",
        "Übersetzung",
        "naïve",
        "café",
        "東京",
    ]
    assert words("snake_case C++ 3D") == ["snake", "case", "C", "3D"]


def test_decomposed_accents_are_composed_first() -> None:
    assert words("Disen\u0303o") == ["Diseño"]


def test_fold_drops_case_and_accents() -> None:
    assert [fold(w) for w in ("Diseño", "ÜBERSETZUNG", "Straße", "naïve")] == [
        "diseno",
        "ubersetzung",
        "strasse",
        "naive",
    ]


def test_query_terms_are_whole_words() -> None:
    assert query_terms("Diseño de logotipos für Bäckerei") == [
        "diseño",
        "de",
        "logotipos",
        "für",
        "bäckerei",
    ]


def test_query_terms_leave_out_english_function_words_unless_nothing_else() -> None:
    assert query_terms("A logo for the bakery and a website") == ["logo", "bakery", "website"]
    assert query_terms("IT support, no-code") == ["it", "support", "no", "code"]
    assert query_terms("to be or not to be") == ["not"]
    assert query_terms("the and of") == ["the", "and", "of"]
    assert query_terms("OR analyst for AS/400 and IS audits") == [
        "or",
        "analyst",
        "as",
        "400",
        "is",
        "audits",
    ]
    assert len(query_terms(" ".join(["the"] * 10 + ["python"] * 100))) == 64


def test_technical_tokens_keep_names_whole() -> None:
    pattern = technical_tokens("+#./")
    text = "C++, C#, Node.js y diseño CI/CD."
    assert [m.group() for m in pattern.finditer(text)] == [
        "C++",
        "C#",
        "Node.js",
        "y",
        "diseño",
        "CI/CD",
    ]


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=60))
def test_on_ascii_a_word_is_what_it_always_was(text: str) -> None:
    import re

    assert words(text) == re.findall(r"[A-Za-z0-9]+", text)
