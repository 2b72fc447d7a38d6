"""Short acronyms count in prose only when written as acronyms: "IAM", never "I am"."""

import pytest

from tandem.embed import HashingEncoder
from tandem.skills.extract import PhraseExtractor
from tandem.skills.forms import WrittenForms, is_acronym
from tandem.skills.linker import LinkerConfig, SkillLinker
from tandem.skills.normalise import Normaliser
from tandem.skills.taxonomy import Taxonomy


@pytest.fixture(scope="module")
def builtin_extractor() -> PhraseExtractor:
    return PhraseExtractor(Taxonomy.builtin())


@pytest.mark.parametrize(
    "text",
    [
        "I am a senior developer and I am available now.",
        "Hi, i am happy to help.",
        "I AM READY TO START.",
    ],
)
def test_i_am_is_not_identity_and_access_management(
    builtin_extractor: PhraseExtractor, text: str
) -> None:
    assert "Identity and Access Management" not in builtin_extractor.names(text)


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("I set up IAM roles for the team.", "Identity and Access Management"),
        ("Pipelines in SQL on AWS.", "Amazon Web Services"),
        ("Pipelines in SQL on AWS.", "SQL"),
        ("Sensors for IoT devices.", "Internet of Things"),
        ("I deployed LLMs last year.", "Large Language Models"),
        ("I do QA for mobile apps.", "Quality Assurance"),
        ("Skills: sql, Php, html", "SQL"),  # no vowel: cannot be an everyday word
        ("Skills: sql, Php, html", "PHP"),
        ("Skills: sql, Php, html", "HTML5"),
        ("We run it on k8s.", "Kubernetes"),  # an established lower-case form
    ],
)
def test_acronyms_written_as_acronyms_count(
    builtin_extractor: PhraseExtractor, text: str, skill: str
) -> None:
    assert skill in builtin_extractor.names(text)


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("I ran ad campaigns for shops.", "Active Directory"),
        ("The pod meets every morning.", "Print on Demand"),
        ("Prices include vat.", "Sales Tax"),
        ("Our Q A lead signs off.", "Quality Assurance"),
        ("Oil and Gas projects.", "Google Apps Script"),
        ("Tools such as Python, R, or SAS.", "Ruby on Rails"),
        ("I host it on aws.", "Amazon Web Services"),  # a vowel: could be a word, so capitals
    ],
)
def test_words_that_share_an_acronyms_key_do_not_count(
    builtin_extractor: PhraseExtractor, text: str, skill: str
) -> None:
    assert skill not in builtin_extractor.names(text)


def test_typed_skill_lists_stay_case_insensitive() -> None:
    normaliser = Normaliser(Taxonomy.builtin())
    assert normaliser.canonical("iam") == "Identity and Access Management"
    assert normaliser.canonical("aws") == "Amazon Web Services"


def test_which_spellings_are_acronyms() -> None:
    assert all(is_acronym(f) for f in ["IAM", "SQL", "CI/CD", "IoT", "LLMs", "QA", "ICD-10"])
    assert not any(is_acronym(f) for f in ["iam", "Go", "NumPy", "React", "JavaScript", "A"])


def test_an_established_form_counts_as_written() -> None:
    forms = WrittenForms(["IaC", "Infrastructure as Code"])
    assert forms.allows("IaC", "iac") and forms.allows("IAC", "iac")
    assert not forms.allows("iac", "iac") and not forms.allows("I ac", "iac")


def test_the_linker_gives_no_written_out_boost_to_i_am() -> None:
    config = LinkerConfig(spans=False, names=False)
    labels = ["Identity and Access Management", "Python"]
    linker = SkillLinker(labels, labels, [["IAM"], []], HashingEncoder(), config=config)
    [iam] = [s for s in linker.rank("I am a Python developer") if s.label == labels[0]]
    assert iam.evidence != "I am"
    [iam] = [s for s in linker.rank("I manage IAM policies") if s.label == labels[0]]
    assert iam.evidence == "IAM"
