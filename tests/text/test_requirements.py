"""Reading which skills a post requires and which it would merely like, from any wording."""

import re
import signal

import pytest

from tandem.text.requirements import INLINE_LABEL, marked_parts, split_skills, strength_of

KNOWN = ["Python", "Django", "Docker", "Kubernetes", "React", "Figma"]


def named(text: str) -> list[str]:
    """A stand-in skill reader for tests: the known names the text contains, as words."""
    return [s for s in KNOWN if re.search(rf"\b{s}\b", text, re.IGNORECASE)]


def _split(description: str, field: list[str] | None = None) -> tuple[list[str], list[str]]:
    skills = field if field else named(description)
    out = split_skills(skills, field or [], marked_parts(description), named)
    return sorted(out.required), sorted(out.nice)


@pytest.mark.parametrize(
    "description",
    [
        "Must have: Python, Django. Nice to have: Docker.",
        "Required skills: Python and Django. Preferred: Docker.",
        "Requirements:\n- Python\n- Experience with Django\n\nBonus points:\n- Docker",
        "Skills required:\n\n• Python\n\n• Django\n\nPreferred Qualifications:\n\n• Docker",
        "You need solid Python and Django. Experience with Docker is a plus.",
        "Strong Python and Django skills are essential; ideally you also know Docker.",
        "Key skills: Python, Django\nNice to have\n1. Docker",
        "Python and Django are mandatory. Docker: desirable.",
    ],
)
def test_required_and_nice_from_many_wordings(description: str) -> None:
    assert _split(description) == (["Django", "Python"], ["Docker"])


def test_a_clause_cue_beats_its_section() -> None:
    text = "Requirements:\n- Python\n- Django\n- Docker is a plus\nResponsibilities:\n- Figma"
    required, nice = _split(text)
    assert required == ["Django", "Python"] and nice == ["Docker"]
    parts = {p.text: p.strength for p in marked_parts(text)}
    assert parts["Figma"] == "neutral"  # "Responsibilities" closed the requirements section


def test_unmarked_post_takes_the_skills_field_as_requirements() -> None:
    text = "The work involves Python, Django and Docker."
    required, nice = _split(text, field=["Python", "Django"])
    assert (required, nice) == (["Django", "Python"], ["Docker"])


def test_unmarked_post_without_field_requires_everything() -> None:
    assert _split("The work involves Python and Docker.") == (["Docker", "Python"], [])


def test_cues() -> None:
    assert strength_of("Preferred Qualifications") == "nice"
    assert strength_of("a degree is not required") == "nice"
    assert strength_of("The ideal candidate must know SQL") == "required"
    assert strength_of("We build dashboards") == "neutral"


@pytest.mark.parametrize(
    "text",
    [
        "x" * 20_000,  # a trial saved this as a description: the server hung for 17 minutes
        "我们需要一个会做网站的人" * 200,  # CJK prose without punctuation: the same words run
        "Must have " + "x" * 5_000,
        ("ab " * 4) + "c" * 5_000,
    ],
)
def test_a_long_unbroken_run_of_letters_is_read_at_once(text: str) -> None:
    """The inline label's words were optional-space separated: O(n^5) ways to fail a line.

    Not a timing target: an alarm turns a hang into a failure (150 letters took 30 s).
    """
    previous = signal.signal(signal.SIGALRM, _too_long)
    signal.alarm(10)
    try:
        parts = marked_parts(text)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [p.text for p in parts] == [text.strip()]
    assert INLINE_LABEL.match("Must have: Python, Django").groups() == (
        "Must have",
        "Python, Django",
    )  # type: ignore[union-attr]


def _too_long(signum: int, frame: object) -> None:
    raise TimeoutError("marked_parts did not return within 10 s")
