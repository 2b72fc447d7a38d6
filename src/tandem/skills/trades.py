"""Words for common jobs in Spanish, French, German, Portuguese, Italian, Dutch and Polish.

:mod:`tandem.skills.cognates` reads words whose ending maps to an English one (ilustrador ->
illustration), but the words clients use most for the commonest jobs are no cognates:
"traductor", "Übersetzer", "comptable", "Buchhalter", "rédacteur", "diseñador gráfico".
"Traductor de inglés a español" gave Spanish alone: the work asked for, Translation, was lost.

Each entry is a phrase of word stems (accents folded, lower case) and the taxonomy skill it
asks for. A stem matches a word that starts with it, so one stem covers a trade's person,
activity and verb in several languages at once (``tradu``: traductor, traducción, traducir,
traducteur, traduction, traduire, tradutor, tradução, traduttore, traduzione); a stem ending
in ``$`` must be the whole word ("contador", not "contadores de agua" ... nor "contado").
In a phrase of two stems the second follows within two words ("diseñador gráfico",
"redacción de contratos", "tenue de livres"), and a longer phrase wins over the words inside
it. Entries whose skill the taxonomy lacks (an imported taxonomy) are skipped.

The trades covered are a marketplace's common ones, each in Spanish, French, German,
Portuguese and Italian, with Dutch and Polish basics: writing, proofreading, transcription,
translation, design and page layout, photography, video, audio and voice, development,
accounting and payroll, legal, marketing, admin and assistance, support and tutoring.

Limits, on purpose: like the cognates, only texts that are mostly not English are read (in
English these stems are other words: "redact", "legend"), only these languages, and only
the commonest jobs: a word not listed is not understood.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from tandem.skills.cognates import mostly_english
from tandem.skills.taxonomy import Taxonomy, per_taxonomy
from tandem.text.tokens import WORD, fold

#: (stems, skill). Grouped by skill; the languages of each stem are in the comments.
TRADE_WORDS: tuple[tuple[str, str], ...] = (
    # translation: es/fr/pt/it "tradu-", de "übersetz-", nl "vertal-", pl "tłumacz-"
    ("tradu", "Translation"), ("ubersetz", "Translation"), ("vertal", "Translation"),
    ("tlumacz", "Translation"), ("przetlumacz", "Translation"), ("przeklad", "Translation"),
    ("interprete$", "Interpretation"), ("interpretes$", "Interpretation"),
    ("dolmetsch", "Interpretation"), ("interpretariat", "Interpretation"),
    ("tolk$", "Interpretation"), ("tolken$", "Interpretation"),
    ("subtitul", "Subtitling"), ("sous titr", "Subtitling"), ("untertitel", "Subtitling"),
    ("sottotitol", "Subtitling"), ("legendag", "Subtitling"), ("legendas$", "Subtitling"),
    ("ondertitel", "Subtitling"), ("lokalisier", "Localization"),
    # design: "diseñador gráfico", "designer gráfico", "graphiste", "Grafikdesigner"
    ("disen grafic", "Graphic Design"), ("design grafic", "Graphic Design"),
    ("graphiste", "Graphic Design"), ("grafikdesign", "Graphic Design"),
    ("grafik", "Graphic Design"),  # de Grafik / Grafiker, pl grafik / grafika
    ("grafisch ontwerp", "Graphic Design"), ("projekt graficz", "Graphic Design"),
    ("disen web", "Web Design"), ("webdesign", "Web Design"), ("conception web", "Web Design"),
    ("conception site", "Web Design"), ("disen pagina", "Web Design"),
    ("webontwerp", "Web Design"), ("projekt stron", "Web Design"),
    # page layout: es maquetación / maquetador, fr mise en page, it impaginazione, pt diagramação
    ("maquetac", "Desktop Publishing"), ("maquetad", "Desktop Publishing"),
    ("maquetar$", "Desktop Publishing"), ("mise page", "Desktop Publishing"),
    ("impaginaz", "Desktop Publishing"), ("diagramac", "Desktop Publishing"),
    ("diagramad", "Desktop Publishing"),
    ("maquetac web", "Front-End Development"), ("maquetad web", "Front-End Development"),
    ("zeichner", "Illustration"), ("tekenaar", "Illustration"),
    ("disen interior", "Interior Design"), ("design interieur", "Interior Design"),
    ("decoration interieur", "Interior Design"), ("innenarchitekt", "Interior Design"),
    ("logotip", "Logo Design"),
    ("fotograf", "Photography"), ("photographe", "Photography"), ("fotograa", "Photography"),
    ("fotograf boda", "Wedding Photography"), ("fotograf casamento", "Wedding Photography"),
    ("fotograf matrimoni", "Wedding Photography"), ("fotograf hochzeit", "Wedding Photography"),
    ("hochzeitsfotograf", "Wedding Photography"), ("photographe mariage", "Wedding Photography"),
    ("trouwfotogra", "Wedding Photography"), ("fotograf slub", "Wedding Photography"),
    ("fotograf product", "Product Photography"), ("fotograf produt", "Product Photography"),
    ("fotograf prodott", "Product Photography"), ("produktfoto", "Product Photography"),
    ("photographe produit", "Product Photography"), ("productfoto", "Product Photography"),
    ("foto producto", "Product Photography"), ("foto produto", "Product Photography"),
    ("photo produit", "Product Photography"),
    ("fotograf evento", "Event Photography"), ("photographe evenement", "Event Photography"),
    ("eventfotograf", "Event Photography"),
    ("retoqu", "Photo Editing"), ("retouche", "Photo Editing"), ("ritocc", "Photo Editing"),
    ("bildbearbeit", "Photo Editing"), ("fotobearbeit", "Photo Editing"),
    ("fotobewerk", "Photo Editing"), ("retusz", "Photo Editing"), ("edic foto", "Photo Editing"),
    ("edit foto", "Photo Editing"),
    ("edic video", "Video Editing"), ("edit video", "Video Editing"),
    ("editor video", "Video Editing"), ("montage video", "Video Editing"),
    ("monteur video", "Video Editing"), ("montaggio video", "Video Editing"),
    ("videoschnitt", "Video Editing"), ("videobearbeit", "Video Editing"),
    ("videomontage", "Video Editing"), ("montador video", "Video Editing"),
    ("montadora video", "Video Editing"), ("montaje video", "Video Editing"),
    ("montagem video", "Video Editing"), ("videobewerk", "Video Editing"),
    ("edycj wideo", "Video Editing"), ("montaz wideo", "Video Editing"),
    ("produc video", "Videography"), ("produz video", "Videography"),
    ("videoprodukt", "Videography"),
    ("locucion", "Voice Over"), ("locutor", "Voice Over"), ("voix off", "Voice Over"),
    ("sprecher", "Voice Over"), ("doppiator", "Voice Over"), ("locucao", "Voice Over"),
    ("voz off", "Voice Over"),
    # audio: es/pt "edición / edição de audio", fr "montage audio", de "Audiobearbeitung"
    ("edic audio", "Audio Editing"), ("edit audio", "Audio Editing"),
    ("montage audio", "Audio Editing"), ("montaggio audio", "Audio Editing"),
    ("audiobearbeit", "Audio Editing"), ("tonbearbeit", "Audio Editing"),
    ("tonschnitt", "Audio Editing"), ("audiobewerk", "Audio Editing"),
    ("edic podcast", "Podcast Editing"), ("edit podcast", "Podcast Editing"),
    ("montage podcast", "Podcast Editing"), ("podcastbearbeit", "Podcast Editing"),
    ("productor music", "Music Production"), ("produtor music", "Music Production"),
    ("musikprodu", "Music Production"), ("compositor", "Music Composition"),
    ("compositeur", "Music Composition"), ("komponist", "Music Composition"),
    # writing: the writer (es "redactor", fr "rédacteur", pt "redator", it "redattore"); the
    # verbs ("redactar", "rédiger") draft anything, a contract as well as a blog post
    ("redactor", "Content Writing"), ("redacteur", "Content Writing"),
    ("redator", "Content Writing"), ("redattor", "Content Writing"),
    ("redac contenido", "Content Writing"), ("redac articulo", "Content Writing"),
    # the writing as a noun: es redacción, fr rédaction, pt redação, it redazione, de
    # Redaktion / Redakteur, pl redakcja / redaktor (a contract's: Contract Drafting, below)
    ("redaccion", "Content Writing"), ("redaction", "Content Writing"),
    ("redacao", "Content Writing"), ("redazion", "Content Writing"),
    ("redakt", "Content Writing"), ("redakcj", "Content Writing"),
    ("escritor$", "Content Writing"), ("escritora$", "Content Writing"),
    ("tekstschrijver", "Copywriting"),
    ("descripc producto", "Product Descriptions"), ("descric produto", "Product Descriptions"),
    ("description produit", "Product Descriptions"), ("produktbeschreib", "Product Descriptions"),
    ("descrizion prodott", "Product Descriptions"), ("productbeschrijving", "Product Descriptions"),
    ("texter", "Copywriting"), ("werbetext", "Copywriting"),
    ("redac publicit", "Copywriting"), ("concepteur redact", "Copywriting"),
    ("escritor fantasma", "Ghostwriting"), ("prete plume", "Ghostwriting"),
    ("corrector$", "Proofreading"), ("correctora$", "Proofreading"),
    ("correc texto", "Proofreading"), ("correc ortograf", "Proofreading"),
    ("relecture", "Proofreading"), ("relecteur", "Proofreading"), ("correcteur", "Proofreading"),
    ("relire$", "Proofreading"), ("relis", "Proofreading"),  # fr relire, relise, relisez
    ("korrektur", "Proofreading"), ("lektorat", "Proofreading"), ("revisao texto", "Proofreading"),
    ("revisor$", "Proofreading"), ("correttore$", "Proofreading"), ("correz bozz", "Proofreading"),
    ("correc texte", "Proofreading"), ("proeflez", "Proofreading"), ("korekt", "Proofreading"),
    ("revision test", "Proofreading"), ("lektorier", "Proofreading"),
    ("transkri", "Transcription"), ("transkry", "Transcription"), ("trascri", "Transcription"),
    ("transcri", "Transcription"), ("transcrev", "Transcription"),  # transcrire, transcrever
    # money: es/pt "contador", es "contable/contabilidad", fr "comptable", it "commercialista"
    ("contab", "Accounting"), ("comptab", "Accounting"), ("contador$", "Accounting"),
    ("contadora$", "Accounting"), ("commercialist", "Accounting"), ("ragionier", "Accounting"),
    ("buchhalt", "Bookkeeping"), ("buchfuhr", "Bookkeeping"), ("tenue livre", "Bookkeeping"),
    ("boekhoud", "Bookkeeping"), ("ksiegow", "Bookkeeping"),
    ("declar renta", "Tax Preparation"), ("declar impot", "Tax Preparation"),
    ("dichiaraz reddit", "Tax Preparation"), ("imposto renda", "Tax Preparation"),
    ("steuererklar", "Tax Preparation"), ("steuerberat", "Tax Preparation"),
    ("belastingaangift", "Tax Preparation"),
    ("nomina$", "Payroll"), ("nominas$", "Payroll"), ("fiche paie", "Payroll"),
    ("lohnabrechn", "Payroll"),
    ("buste paga", "Payroll"), ("folha pagamento", "Payroll"),
    # legal: "abogado", "avocat", "Anwalt", "advogado", "avvocato"
    ("abogad", "Legal Consulting"), ("avocat", "Legal Consulting"), ("anwalt", "Legal Consulting"),
    ("rechtsanwalt", "Legal Consulting"), ("advogad", "Legal Consulting"),
    ("avvocat", "Legal Consulting"), ("advocaat", "Legal Consulting"),
    ("prawnik", "Legal Consulting"), ("adwokat", "Legal Consulting"),
    ("jurist", "Legal Consulting"), ("asesor juridic", "Legal Consulting"),
    ("asesoria juridic", "Legal Consulting"), ("consei juridique", "Legal Consulting"),
    ("consulen legal", "Legal Consulting"), ("rechtsberat", "Legal Consulting"),
    ("redac contrat", "Contract Drafting"), ("redaz contratt", "Contract Drafting"),
    ("vertragsentw", "Contract Drafting"),
    ("revis contrat", "Contract Review"), ("vertragsprufung", "Contract Review"),
    # admin and support
    ("asistente virtual", "Virtual Assistance"), ("assistant virtuel", "Virtual Assistance"),
    ("assistente virtual", "Virtual Assistance"), ("virtuelle assist", "Virtual Assistance"),
    ("virtuele assist", "Virtual Assistance"), ("wirtualn asyst", "Virtual Assistance"),
    ("asistente administrat", "Administrative Support"),
    ("assistant administrat", "Administrative Support"),
    ("assistente administrat", "Administrative Support"),
    ("secretari", "Administrative Support"), ("secretaire", "Administrative Support"),
    ("sekretar", "Administrative Support"),
    ("entrada dato", "Data Entry"), ("captur dato", "Data Entry"), ("saisie donnee", "Data Entry"),
    ("dateneingab", "Data Entry"), ("datenerfass", "Data Entry"), ("inserim dati", "Data Entry"),
    ("entrada dado", "Data Entry"), ("digitac dado", "Data Entry"),
    ("gegevensinvoer", "Data Entry"), ("invoer gegeven", "Data Entry"),
    ("wprowadz danych", "Data Entry"),
    ("atencion client", "Customer Support"), ("servic client", "Customer Support"),
    ("atendimento client", "Customer Support"), ("assistenza client", "Customer Support"),
    ("kundenservice", "Customer Support"), ("kundensupport", "Customer Support"),
    ("kundendienst", "Customer Support"), ("klantenservice", "Customer Support"),
    ("kundenanfrag", "Customer Support"), ("kundenbetreu", "Customer Support"),
    ("atender client", "Customer Support"),
    ("obslug klient", "Customer Support"), ("support client", "Customer Support"),
    ("soporte client", "Customer Support"),
    # marketing and data
    ("redes social", "Social Media Marketing"), ("reseaux sociaux", "Social Media Marketing"),
    ("redes sociais", "Social Media Marketing"), ("sozial medi", "Social Media Marketing"),
    ("gestion redes soci", "Social Media Management"),
    ("gestion reseaux soci", "Social Media Management"),
    ("gerenc redes soci", "Social Media Management"),
    ("gestao redes soci", "Social Media Management"),
    ("gestione social", "Social Media Management"),
    ("sociale media", "Social Media Marketing"), ("media spolecznosciow", "Social Media Marketing"),
    ("marketing digital", "Digital Marketing"), ("marketing numerique", "Digital Marketing"),
    ("online marketing", "Digital Marketing"),
    ("posicionamiento", "Search Engine Optimization"),
    ("referencement", "Search Engine Optimization"),
    ("posizionamento", "Search Engine Optimization"),
    ("analis dato", "Data Analysis"), ("analis dado", "Data Analysis"),
    ("analis dati", "Data Analysis"), ("analyse donnee", "Data Analysis"),
    ("datenanalys", "Data Analysis"),
    ("aplicac movil", "Mobile App Development"), ("application mobile", "Mobile App Development"),
    ("aplicativo movel", "Mobile App Development"),
    # development: es desarrollador / desarrollo, pt desenvolvedor, fr développeur, it
    # sviluppatore, de Entwickler, nl ontwikkelaar, with what is built; "build a site"
    ("desarroll web", "Web Development"), ("desarroll sitio", "Web Development"),
    ("desenvolv web", "Web Development"), ("desenvolv site", "Web Development"),
    ("developp web", "Web Development"), ("developp site", "Web Development"),
    ("svilupp web", "Web Development"), ("svilupp sito", "Web Development"),
    ("webentwickl", "Web Development"), ("webontwikkel", "Web Development"),
    ("programist stron", "Web Development"), ("tworzeni stron", "Web Development"),
    ("crear sitio", "Web Development"), ("crear pagina", "Web Development"),
    ("creac sitio", "Web Development"), ("creac pagina", "Web Development"),
    ("criar site", "Web Development"), ("criac site", "Web Development"),
    ("creer site", "Web Development"), ("creation site", "Web Development"),
    ("realizzaz sito", "Web Development"), ("creare sito", "Web Development"),
    ("desarroll app", "Mobile App Development"), ("desenvolv app", "Mobile App Development"),
    ("developp app", "Mobile App Development"), ("svilupp app", "Mobile App Development"),
    ("appentwickl", "Mobile App Development"), ("app entwickl", "Mobile App Development"),
    # teaching: "clases particulares", "cours particuliers", "Nachhilfe", "aulas particulares"
    ("clase particular", "Online Tutoring"), ("profesor particular", "Online Tutoring"),
    ("cours particul", "Online Tutoring"), ("nachhilfe", "Online Tutoring"),
    ("aula particular", "Online Tutoring"), ("lezion privat", "Online Tutoring"),
    ("professeur particul", "Online Tutoring"), ("ripetizion", "Online Tutoring"),
    ("bijles", "Online Tutoring"), ("korepetycj", "Online Tutoring"),
)  # fmt: skip
#: How many words may come between the two stems of a phrase ("tenue *de* livres").
GAP = 2
#: Letters that Unicode does not decompose into an accent and a base letter: "tłumacz" and
#: "księgowa" are read as "tlumacz" and "ksiegowa", the way the stems are written.
_BASE_LETTERS = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ı": "i"})


class TradeWord(NamedTuple):
    """A skill a text asks for in its own language: the name, the words and where they start."""

    name: str
    words: str
    start: int


def _matches(stem: str, word: str) -> bool:
    return word == stem[:-1] if stem.endswith("$") else word.startswith(stem)


@per_taxonomy
def _entries(taxonomy: Taxonomy) -> list[tuple[list[str], str]]:
    """The trade phrases (as stems) whose skill ``taxonomy`` has, longest phrase first."""
    known = [(stems.split(), name) for stems, name in TRADE_WORDS if taxonomy.get(name)]
    return sorted(known, key=lambda e: -len(e[0]))


def trade_skills(taxonomy: Taxonomy, text: str) -> list[TradeWord]:
    """The skills a mostly non-English text names with its trade words, in text order."""
    if mostly_english(text):
        return []
    text = unicodedata.normalize("NFC", text)  # "é" as one letter, as the stems are written
    spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
    folded = [fold(text[a:b]).translate(_BASE_LETTERS) for a, b in spans]
    taken: set[int] = set()
    found: dict[str, TradeWord] = {}
    for stems, name in _entries(taxonomy):
        first, *rest = stems
        for i, word in enumerate(folded):
            if i in taken or not _matches(first, word):
                continue
            at = [i]
            for stem in rest:
                after = range(at[-1] + 1, min(len(folded), at[-1] + 2 + GAP))
                j = next((j for j in after if j not in taken and _matches(stem, folded[j])), None)
                if j is None:
                    break
                at.append(j)
            if len(at) != len(stems):
                continue
            taken.update(at)
            start, end = spans[at[0]][0], spans[at[-1]][1]
            found.setdefault(name, TradeWord(name, text[start:end], start))
    return sorted(found.values(), key=lambda t: t.start)
