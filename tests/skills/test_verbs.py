"""Skills asked for by an English verb: derived nouns, compounds with the object, verb places."""

import pytest

from tandem.skills import Taxonomy, verbs
from tandem.skills.verbs import bases_of, nouns_of, verb_skills
from tests.conftest import deadline


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.builtin()


def names(taxonomy: Taxonomy, text: str) -> list[str]:
    return [v.name for v in verb_skills(taxonomy, text)]


@pytest.mark.parametrize(
    ("verb", "noun"),
    [
        ("transcribe", "transcription"),
        ("animate", "animation"),
        ("automate", "automation"),
        ("analyze", "analysis"),
        ("localise", "localisation"),
        ("verify", "verification"),
        ("produce", "production"),
        ("convert", "conversion"),
        ("extract", "extraction"),
        ("scrape", "scraping"),
        ("proofread", "proofreading"),
        ("plan", "planning"),
        ("develop", "development"),
        ("consult", "consultation"),
        ("rewrite", "writing"),  # re- + verb does the verb's work
    ],
)
def test_a_verb_derives_its_nouns_by_regular_suffixes(verb: str, noun: str) -> None:
    assert noun in nouns_of(verb)


def test_inflected_forms_lead_back_to_the_base() -> None:
    assert "transcribe" in bases_of("transcribed")
    assert "map" in bases_of("mapping") and "animate" in bases_of("animating")
    assert "verify" in bases_of("verified")


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("Looking for someone to transcribe twelve podcast interviews.", "Transcription"),
        ("Could someone who can illustrate a picture book for kids get in touch?", "Illustration"),
        ("We want somebody to animate the mascot of our app.", "2D Animation"),
        ("Please scrape the prices of 300 products every morning.", "Web Scraping"),
        ("Help me write my CV for a nursing job.", "Resume Writing"),
        ("I need our WordPress site migrated to a new host.", "Website Migration"),
        ("We need someone to migrate the customer database to the cloud.", "Data Migration"),
        ("Edit our weekly YouTube videos, 10 minutes each.", "YouTube Video Editing"),
        ("Hiring a designer to redesign our website before spring.", "Web Design"),
        ("We need help analyzing our sales data from last year.", "Data Analysis"),
        ("Write product descriptions for a candle shop.", "Product Descriptions"),
    ],
)
def test_a_verb_asking_for_work_finds_its_skill(taxonomy: Taxonomy, text: str, skill: str) -> None:
    assert skill in names(taxonomy, text)


def test_the_object_makes_the_compound_before_the_bare_activity(taxonomy: Taxonomy) -> None:
    assert names(taxonomy, "Can you edit my podcast episodes?") == ["Podcast Editing"]
    assert names(taxonomy, "Can you edit my novel?") == ["Editing"]
    # joined verbs share the object of the last
    assert names(taxonomy, "Transcribe and translate a video interview.") == [
        "Transcription",
        "Translation",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Our credit card statements are ready.",  # "credit" holds "edit"
        "A market study of credit unions in Ohio.",  # "market" is a noun here
        "The new manager will report to our CFO.",  # no request, no object
        "Strong skills are essential to interpret the data.",  # not asked of anyone
        "You will deploy and monitor our services.",  # a post's duties
        "- Optimize the performance of the application",  # an item of a list
        "We built a tool which can automate the billing workflow.",  # said of a thing
        "Designing and implementing a booking system is the main task.",  # a bare gerund
        "I need an expert to write a Python script for our CSV files.",  # no Scriptwriting
        "Busco a alguien para traducir mi web.",  # not English: the trade words' job
    ],
)
def test_no_skill_where_no_verb_asks_for_work(taxonomy: Taxonomy, text: str) -> None:
    assert names(taxonomy, text) == []


def test_a_one_word_activity_must_be_its_skills_name_or_head(taxonomy: Taxonomy) -> None:
    # "optimization" is an alias of Operations Research, "scheduling" of Calendar Management:
    # broader words than their skills, so a bare verb does not ask for them
    assert names(taxonomy, "I need someone to optimize it.") == []
    assert names(taxonomy, "Looking for someone to schedule them.") == []


#: A sentence that asks for no work, with a "to" + verb ("plan to move"): in a long run-on text
#: the reader once scanned back from each "to" to the text's start (quadratic in its length).
RUN_ON = "we plan to move the files to the new server and then to check the logs with the team "


def test_a_long_run_on_text_is_read_whole(taxonomy: Taxonomy) -> None:
    """16k words: the request opening it and one closing it are found, nothing in between."""
    long = "I need someone to transcribe 10 interviews " + RUN_ON * 850
    ending = ". We also need an artist to illustrate a children's book."
    assert len(long.split()) > 16_000
    assert names(taxonomy, long) == ["Transcription"]
    assert names(taxonomy, long + ending) == ["Transcription", "Children's Book Illustration"]


class _Counted(frozenset[str]):
    """A word set that counts how often a word is looked up in it."""

    lookups = 0

    def __contains__(self, word: object) -> bool:
        type(self).lookups += 1
        return super().__contains__(word)


def test_each_word_is_looked_up_once_among_the_words_that_ask_for_work(
    taxonomy: Taxonomy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading stays linear: no scan back from every "to" over the words before it."""
    monkeypatch.setattr(verbs, "REQUEST", _Counted(verbs.REQUEST))
    text = "I need someone to transcribe 10 interviews " + RUN_ON * 40
    _Counted.lookups = 0
    assert names(taxonomy, text) == ["Transcription"]
    assert _Counted.lookups <= len(verbs._tokens(text))


@pytest.mark.parametrize("unit", ["a, ", "Edit, mix and "])
def test_a_long_chain_of_verbs_is_read_once(taxonomy: Taxonomy, unit: str) -> None:
    """A chain of 66,000 joined "verbs" (200,000 characters), and the chain still ends right.

    Each verb walked the chain to its end on its own: n²/2 steps, 30 s at 40,000 characters
    of "a, ", so about 12 minutes here; the one pass takes about a second.
    """
    text = unit * (200_000 // len(unit))
    with deadline(20, "verb_skills"):
        verb_skills(taxonomy, text)
    assert names(taxonomy, "I need someone to edit, mix and master my podcast")[0] == (
        "Podcast Editing"
    )
