import pytest

from tandem.companion.grounding import check, numbers_in

SOURCE = (
    "About the work: I need a logo for my bakery, budget $300, within 2 weeks.\n"
    "Skills: Logo Design. Budget: $300 in total. Expected duration: about 2 weeks.\n"
    "In your proposal, please share examples of similar work and how you would start.\n"
    "Logo Designer for bakery"
)
GOOD = (
    "We are a bakery looking for a logo. Budget: $300 in total; the work should take about "
    "2 weeks. In your proposal, please share examples of similar logo design work and how you "
    "would start."
)


def skills(text: str) -> list[str]:
    return [s for s in ("Logo Design", "Python") if s.lower() in text.lower()]


def test_faithful_rewording_passes() -> None:
    assert check(GOOD, [SOURCE], skills_in=skills).ok


@pytest.mark.parametrize(
    ("invented", "problem"),
    [
        (GOOD.replace("$300", "$350"), "number 350"),
        (GOOD.replace("2 weeks", "1,200 weeks"), "number 1,200"),
        (GOOD.replace("in total", "per month"), "'month'"),
        (GOOD + " Python experience is a plus.", "skill Python"),
        (GOOD + " Contact Maria at Acme.", "name 'Maria'"),
        (GOOD + " Write to me at jo@example.com.", "contact detail"),
        (GOOD + " See https://evil.example/x", "link"),
        (GOOD + " You must hold a certified degree.", "'certified'"),
        ("Here's a rewritten version of the draft:\n" + GOOD, "talks about the draft"),
        (
            "Exciting opportunity! Our award-winning artisanal patisserie franchise seeks "
            "visionary branding storytellers passionate about croissants and heritage.",
            "words are not in the sources",
        ),
    ],
)
def test_invented_facts_are_caught(invented: str, problem: str) -> None:
    report = check(invented, [SOURCE], skills_in=skills)
    assert not report.ok
    assert any(problem in p for p in report.problems), report.problems


def test_numbers_in_reads_the_forms_people_write() -> None:
    assert numbers_in("5k, 1,200 and 2.5 or 3M") == {5000.0, 1200.0, 2.5, 3_000_000.0, 1.2, 25.0}
