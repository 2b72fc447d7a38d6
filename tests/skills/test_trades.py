import pytest

from tandem.skills import Taxonomy
from tandem.skills.cognates import cognate_skills
from tandem.skills.trades import TRADE_WORDS, trade_skills


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.builtin()


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("Traductor de inglés a español para un sitio web", "Translation"),
        ("Traducteur anglais-français pour des documents juridiques", "Translation"),
        ("Übersetzer Deutsch-Englisch für unsere Webseite gesucht", "Translation"),
        ("Preciso traduzir o meu site", "Translation"),
        ("Traduttore dall'inglese all'italiano", "Translation"),
        ("Contador para llevar la contabilidad de mi empresa", "Accounting"),
        ("Comptable pour la déclaration fiscale de ma société", "Accounting"),
        ("Cerco un commercialista a Milano", "Accounting"),
        ("Buchhalter für die monatliche Buchhaltung", "Bookkeeping"),
        ("Busco diseñador gráfico para el logo de mi empresa", "Graphic Design"),
        ("Grafikdesigner für ein neues Logo gesucht", "Graphic Design"),
        ("Rédacteur web pour des articles de blog", "Content Writing"),
        ("Asistente virtual para mi agenda", "Virtual Assistance"),
    ],
)
def test_the_words_for_common_jobs_find_their_skill(
    taxonomy: Taxonomy, text: str, skill: str
) -> None:
    # None of these is a cognate: before this table, the trade was lost.
    assert skill in [t.name for t in trade_skills(taxonomy, text)]


def test_a_phrase_wins_over_its_words_and_skills_come_in_text_order(taxonomy: Taxonomy) -> None:
    found = trade_skills(taxonomy, "Cerco un commercialista per la dichiarazione dei redditi")
    assert [(t.name, t.words) for t in found] == [
        ("Accounting", "commercialista"),
        ("Tax Preparation", "dichiarazione dei redditi"),
    ]
    drafting = trade_skills(taxonomy, "Necesito redactar contratos de alquiler")
    assert [t.name for t in drafting] == ["Contract Drafting"]


def test_english_text_and_unknown_skills_are_left_alone() -> None:
    builtin = Taxonomy.builtin()
    assert trade_skills(builtin, "Please redact the legend of this map for our company") == []
    assert trade_skills(Taxonomy([]), "Traductor de inglés a español") == []


def test_every_word_names_a_builtin_skill_and_is_no_cognate_already(taxonomy: Taxonomy) -> None:
    assert [name for _, name in TRADE_WORDS if taxonomy.get(name) is None] == []
    assert cognate_skills(taxonomy, "Necesito un traductor y un contable") == []
