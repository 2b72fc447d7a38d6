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


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        # writing: the noun of the trade in each language
        ("Unterstützung für die Redaktion unseres Firmenblogs gesucht", "Content Writing"),
        ("Rédaction de fiches pour notre boutique en ligne", "Content Writing"),
        ("Necesito un escritor para el blog de mi hotel", "Content Writing"),
        ("Wij zoeken een tekstschrijver voor onze nieuwsbrief", "Copywriting"),
        ("Szukam korektora do książki", "Proofreading"),
        ("Trascrizione di 5 interviste in italiano", "Transcription"),
        # translation and interpretation in Dutch and Polish ("ł" read as "l")
        ("Szukam tłumacza z angielskiego na polski", "Translation"),
        ("Wij zoeken een tolk voor een vergadering in Gent", "Interpretation"),
        # design, layout, photography, video and audio
        ("Busco maquetador para un catálogo de 60 páginas", "Desktop Publishing"),
        ("Mise en page d'un livre de recettes", "Desktop Publishing"),
        ("Wij zoeken een grafisch ontwerper voor ons logo", "Graphic Design"),
        ("Wij zoeken een fotograaf voor onze producten", "Photography"),
        ("Montaje de vídeo para mi canal de cocina", "Video Editing"),
        ("Edycja wideo do kursu online", "Video Editing"),
        ("Edición de audio para un audiolibro", "Audio Editing"),
        ("Locução para um vídeo institucional", "Voice Over"),
        # development: the developer with what is built, or "build a site"
        ("Busco desarrollador web para una tienda", "Web Development"),
        ("Preciso de alguém para criar um site para minha loja", "Web Development"),
        ("Sviluppatore app per la nostra palestra", "Mobile App Development"),
        # money, legal, admin, support, tutoring
        ("Wij zoeken een boekhouder voor onze winkel", "Bookkeeping"),
        ("Szukam księgowej dla małej firmy", "Bookkeeping"),
        ("Steuerberater für die GmbH gesucht", "Tax Preparation"),
        ("Gestión de nóminas para 12 empleados", "Payroll"),
        ("Wij zoeken een advocaat voor een huurgeschil", "Legal Consulting"),
        ("Revisión de contratos de alquiler", "Contract Review"),
        ("Secretaria remota para mi consultorio", "Administrative Support"),
        ("Wij zoeken een virtuele assistent", "Virtual Assistance"),
        ("Wij zoeken hulp voor onze klantenservice", "Customer Support"),
        ("Anúncios nas redes sociais para uma padaria", "Social Media Marketing"),
        ("Korepetycje z matematyki dla ucznia", "Online Tutoring"),
        # the verbs of proofreading and transcription, and kinds of photography
        ("Necesito transcribir seis entrevistas grabadas", "Transcription"),
        ("Preciso transcrever quatro reuniões da empresa", "Transcription"),
        ("Quelqu'un pour relire mon mémoire de master", "Proofreading"),
        ("Wir suchen Hilfe bei Kundenanfragen im Onlineshop", "Customer Support"),
        ("Fotógrafo para nuestra boda en Sevilla", "Wedding Photography"),
        ("Produktfotograf für 40 Artikel gesucht", "Product Photography"),
        ("Gestión de redes sociales para un gimnasio", "Social Media Management"),
        ("Zoek iemand voor productfoto's van onze schoenen", "Product Photography"),
        ("Fotos de producto para mi tienda de velas", "Product Photography"),
        ("Descripciones de producto para 80 artículos", "Product Descriptions"),
        ("Produktbeschreibungen für unseren Shop", "Product Descriptions"),
        ("Wer lektoriert meine Masterarbeit?", "Proofreading"),
        ("Szukam grafika do nowej ulotki", "Graphic Design"),
    ],
)
def test_the_common_trades_in_more_words_and_languages(
    taxonomy: Taxonomy, text: str, skill: str
) -> None:
    assert skill in [t.name for t in trade_skills(taxonomy, text)]


def test_a_trade_phrase_still_wins_over_its_words(taxonomy: Taxonomy) -> None:
    # a contract's drafting is no content writing, a web layout no print layout
    found = [t.name for t in trade_skills(taxonomy, "Redacción de contratos de alquiler")]
    assert found == ["Contract Drafting"]
    web = [t.name for t in trade_skills(taxonomy, "Maquetación web en HTML para mi tienda")]
    assert web == ["Front-End Development"]
