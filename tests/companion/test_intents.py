import pytest

from tandem.companion.intents import classify


def intent(text: str, **held: object) -> str:
    state = {"pending": None, "has_draft": False, "has_results": False, "has_job": False}
    return classify(text, **(state | held)).name


@pytest.mark.parametrize(
    ("text", "held", "expected"),
    [
        ("yes", {"pending": "invite"}, "confirm"),
        ("Oui, vas-y", {"pending": "post_job"}, "confirm"),
        ("post it", {"pending": "post_job", "has_draft": True}, "confirm"),
        ("post it", {"pending": "invite", "has_draft": True}, "post"),
        ("send it", {"pending": "send_proposal"}, "confirm"),
        ("yes", {}, "help"),
        ("no, cancel that", {"pending": "hire"}, "cancel"),
        ("why is Ana ranked above Ravi?", {}, "explain"),
        ("¿Por qué está Ana por encima de Ravi?", {}, "explain"),
        ("warum ist Ana vor Ravi?", {}, "explain"),
        ("draft a proposal for job j000001", {}, "proposal"),
        ("interview questions for Ana", {}, "interview"),
        ("any tips to improve my profile?", {}, "tips"),
        ("invite Ana", {"has_results": True}, "invite"),
        ("hire the second one", {"has_results": True}, "hire"),
        ("post it", {"has_draft": True}, "post"),
        ("who fits this job best?", {"has_job": True}, "match"),
        ("find me a Django developer under $50/h", {}, "find"),
        ("busco un diseñador de logotipos", {}, "find"),
        ("cheaper", {"has_results": True}, "refine"),
        ("only 90%+ job success", {"has_results": True}, "refine"),
        ("I need a logo for my bakery, budget $300", {}, "draft_job"),
        ("Necesito una página web para mi restaurante", {}, "draft_job"),
        ("hello", {}, "help"),
    ],
)
def test_classify(text: str, held: dict[str, object], expected: str) -> None:
    assert intent(text, **held) == expected


def test_explain_picks_out_both_names() -> None:
    got = classify(
        "Why is “Ana Lima” ranked above the Ravi?",
        pending=None, has_draft=False, has_results=True, has_job=False,
    )  # fmt: skip
    assert got.slots == {"a": "Ana Lima", "b": "Ravi"}


HELD_DRAFT = {"pending": "post_job", "has_draft": True, "has_results": False, "has_job": False}


@pytest.mark.parametrize(
    "text", ["no nevermind", "no, abort", "no bye", "no grazie", "não, valeu", "non, annule"]
)
def test_a_no_and_a_word_of_leaving_cancels_a_waiting_draft(text: str) -> None:
    assert classify(text, **HELD_DRAFT, editing=True).name == "cancel"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ok, change the rate to $45", "edit_proposal"),  # the terminal sent it unedited
        ("yes but mention my Django work", "edit_proposal"),
        ("no, make it shorter", "edit_proposal"),  # it cancelled the proposal
        ("yes", "confirm"),
        ("yes, send it", "confirm"),
        ("no thanks", "cancel"),
        ("no", "cancel"),
    ],
)
def test_a_yes_or_no_that_goes_on_to_change_a_waiting_proposal_is_an_edit(
    text: str, expected: str
) -> None:
    assert intent(text, pending="send_proposal") == expected
