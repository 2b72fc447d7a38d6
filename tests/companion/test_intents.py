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


@pytest.mark.parametrize(
    "text",
    [
        "Je cherche un développeur React et TypeScript pour un tableau de bord, budget 2500 "
        "dollars, environ 4 semaines",
        "Find me a React and TypeScript developer for a dashboard, budget 2500 dollars, about "
        "4 weeks",
        "Busco un desarrollador React para un panel de control, presupuesto 3000 euros",
        "Ich suche einen React-Entwickler für ein Dashboard, 2.000 € insgesamt, 3 Wochen",
    ],
)
def test_a_request_that_states_a_project_budget_is_a_job_to_post(text: str) -> None:
    """A total budget (and how long it lasts) is a job, whatever the verb: not a rate filter."""
    assert intent(text) == "draft_job"


@pytest.mark.parametrize(
    "text",
    [
        "find me a Django developer under $50/h",
        "busco un diseñador de logotipos por 30 €/hora",
        "Cerco un traduttore dall'inglese all'italiano, 0,07 € a parola",
        "find a designer, up to $40, for 2 weeks",  # review 16: a cap of no kind is a rate
    ],
)
def test_an_hourly_cap_or_a_price_per_unit_stays_a_search(text: str) -> None:
    assert intent(text) == "find"


@pytest.mark.parametrize(
    "text",
    [
        "make the budget $2,000",
        "add Docker",
        "cambia el presupuesto a 2000 €",
        "remove the second skill",
    ],
)
def test_an_edit_with_no_draft_never_starts_one(text: str) -> None:
    """An edit changes the draft, else the search; with neither there is nothing to change."""
    assert intent(text) == "edit_draft"  # answered: no draft to change
    assert intent(text, has_results=True) == "refine"
    assert intent(text, has_draft=True, has_results=True) == "edit_draft"


def test_a_freelancers_search_stating_a_total_stays_a_search() -> None:
    """A freelancer posts no job: a total in their search filters work, it drafts nothing."""
    text = "find me jobs with a budget over $2,000"
    asked = {"pending": None, "has_draft": False, "has_results": False, "has_job": False}
    assert classify(text, **asked, freelancer=True).name == "find"
    assert classify(text, **asked).name == "draft_job"  # a client's: a project to post


@pytest.mark.parametrize(
    "text",
    [
        "is the second one a woman?",
        "is the first one male or female?",
        "what gender is Freelancer 33?",
        "her email?",
        "email of the second one",
        "is she married?",
    ],
)
def test_a_question_about_a_persons_group_or_contact_is_private_in_every_form(text: str) -> None:
    """A new-user check's wordings: each became a job draft, help text or a draft edit."""
    assert intent(text, has_results=True, has_job=True) == "private"
    assert intent(text, has_draft=True, editing=True) == "private"  # never added to a draft


@pytest.mark.parametrize(
    "text",
    [
        "I need an email marketing specialist, $500",
        "is the first one available?",
        "I need a female voice actor for an ad",
        "is the second one good at python?",
        "write the email for them",
        "Translate my email of thanks to German",
    ],
)
def test_work_that_names_a_group_or_a_contact_field_is_not_private(text: str) -> None:
    assert intent(text, has_results=True, has_job=True) != "private"
