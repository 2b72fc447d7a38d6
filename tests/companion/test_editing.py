"""Edits to a drafted job post: each field changes from words in many wordings and languages."""

from __future__ import annotations

import pytest

from tandem.companion import draft_job
from tandem.companion.dialogue import Companion
from tandem.companion.drafts import clean
from tandem.companion.editing import edit, redraft, restates
from tandem.companion.intents import classify
from tandem.engine import Engine
from tests.companion.conftest import acting

REQUEST = "I need a WordPress site for my bakery, budget $300, within 2 weeks"


@pytest.fixture(scope="module")
def drafting_engine(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """An empty engine of this module's own: drafting reads text; posting writes jobs to it."""
    from tandem.embed import HashingEncoder
    from tests.conftest import make_settings

    engine = Engine(make_settings(tmp_path_factory.mktemp("edit-home")), encoder=HashingEncoder())
    yield engine
    engine.store.close()


def _edited(engine: Engine, said: str, request: str = REQUEST) -> dict[str, object]:
    draft = draft_job(engine, request)
    result = edit(engine, draft, clean(request).text, said, title_fixed=False)
    return result.draft.as_dict() | {"changes": result.changes, "body": result.body}


@pytest.mark.parametrize(
    ("said", "field", "value"),
    [
        ("the budget is $400", "budget_max", 400),
        ("make it 450 euros", "currency", "EUR"),
        ("raise the budget to 1.2k", "budget_max", 1200),
        ("el presupuesto es de 600 euros", "budget_max", 600),
        ("le budget est de 700 €", "budget_max", 700),
        ("Budget 800 Euro", "budget_max", 800),
        ("orçamento de 900 reais", "currency", "BRL"),
        ("hourly, $30-40", "budget_type", "hourly"),
        ("0,10 € por palabra, 5.000 palabras", "budget_max", 0.1),  # the client's price
        ("0,10 € por palabra, 5.000 palabras", "budget_type", None),  # of a unit: no type
        ("hourly, $30-40", "budget_min", 30),
        ("pay by the hour instead", "budget_type", "hourly"),
        ("make it expert level", "experience_level", "expert"),
        ("we want someone senior", "experience_level", "expert"),
        ("a junior is fine", "experience_level", "entry"),
        ("nivel experto", "experience_level", "expert"),
        ("plutôt un profil expérimenté", "experience_level", "expert"),
        ("mid-level is enough", "experience_level", "intermediate"),
        ("3 weeks instead", "duration_weeks", 3),
        ("it can take a month", "duration_weeks", 4.3),
        ("en 4 semanas", "duration_weeks", 4),
        ("in zwei Wochen", "duration_weeks", 2),
        ("must speak Spanish", "languages", ["es"]),
        ("Französisch fließend", "languages", ["fr"]),
        ("se requiere inglés", "languages", ["en"]),
        ("call it Bakery website refresh", "title", "Bakery website refresh"),
        ("change the title to “Online shop for a bakery”", "title", "Online shop for a bakery"),
    ],
)
def test_each_field_changes_from_words(
    drafting_engine: Engine, said: str, field: str, value: object
) -> None:
    got = _edited(drafting_engine, said)
    assert got[field] == value, got
    assert got["changes"], "an edit says what changed"


@pytest.mark.parametrize(
    ("said", "added", "removed"),
    [
        ("add Figma", ["Figma"], []),
        ("also needs Figma and Photoshop", ["Figma", "Adobe Photoshop"], []),
        ("drop WordPress", [], ["WordPress"]),
        ("no WordPress please", [], ["WordPress"]),
        ("WordPress is not needed", [], ["WordPress"]),
        ("replace WordPress with Webflow", ["Webflow"], ["WordPress"]),
        ("Webflow instead of WordPress", ["Webflow"], ["WordPress"]),
        ("add Figma but not WordPress", ["Figma"], ["WordPress"]),
        ("agrega Figma y quita WordPress", ["Figma"], ["WordPress"]),
        ("ajoute Figma, sans WordPress", ["Figma"], ["WordPress"]),
        ("mit Figma, ohne WordPress", ["Figma"], ["WordPress"]),
        ("adicione Figma e remova WordPress", ["Figma"], ["WordPress"]),
    ],
)
def test_skills_are_added_and_dropped_by_the_words_around_them(
    drafting_engine: Engine, said: str, added: list[str], removed: list[str]
) -> None:
    got = _edited(drafting_engine, said)
    skills = got["skills"]
    assert isinstance(skills, list)
    assert all(s in skills for s in added) and not any(s in skills for s in removed), got
    assert got["budget_max"] == 300 and got["duration_weeks"] == 2  # the rest is untouched


def test_an_edit_rewrites_the_post_without_the_stale_value(drafting_engine: Engine) -> None:
    got = _edited(drafting_engine, "the budget is $400, and 3 weeks instead")
    description = str(got["description"])
    assert got["budget_max"] == 400 and got["duration_weeks"] == 3
    # the text never carries a field's value (the fields are shown from the fields), so an
    # edit here or on the job's edit page cannot leave it saying the old one
    assert "$" not in description and "weeks" not in description
    assert "WordPress site for my bakery" in description
    assert got["changes"] == [
        "budget: $300 in total → $400 in total",
        "duration: 2 weeks → 3 weeks",
    ]


def test_words_that_change_no_field_add_to_the_description_once(drafting_engine: Engine) -> None:
    draft = draft_job(drafting_engine, REQUEST)
    body = clean(REQUEST).text
    once = edit(drafting_engine, draft, body, "It needs an online order form", title_fixed=False)
    assert once.body.endswith("It needs an online order form.") and once.changes
    again = edit(
        drafting_engine, once.draft, once.body, "it needs an online order form", title_fixed=False
    )
    assert again.body == once.body and again.changes == []


def test_restating_is_recognised() -> None:
    assert restates(clean(REQUEST).text, "I need a WordPress site for my bakery, budget $350")
    assert not restates(clean(REQUEST).text, "3 weeks instead")
    assert not restates(clean(REQUEST).text, "add Figma")


def test_a_pending_draft_is_edited_in_conversation_and_stays_pending(
    drafting_engine: Engine,
) -> None:
    companion = Companion(acting(drafting_engine))
    conv, _ = companion.open()
    first = companion.say(conv.id, REQUEST).reply.payload
    assert first["pending"]["kind"] == "post_job"
    for said, field, value in [
        ("the budget is $400", "budget_max", 400),
        ("make it expert level", "experience_level", "expert"),
        ("add Figma", "skills", ["WordPress", "Figma"]),
        ("drop WordPress", "skills", ["Figma"]),
        ("3 weeks instead", "duration_weeks", 3),
        ("hourly, $30-40", "budget_type", "hourly"),
        ("no, make it 35-45 dollars an hour", "budget_min", 35),
    ]:
        reply = companion.say(conv.id, said).reply
        assert reply.payload["intent"] == "edit_draft", (said, reply.text)
        assert reply.payload["pending"]["kind"] == "post_job", said
        assert reply.payload["data"]["draft"][field] == value, said
        assert reply.text.startswith("Updated the draft: ")
    restated = companion.say(conv.id, REQUEST.replace("$300", "$500")).reply
    description = restated.payload["data"]["draft"]["description"]
    assert description.count("WordPress site for my bakery") == 1
    assert restated.payload["pending"] is not None
    before = drafting_engine.store.jobs.count()
    posted = companion.say(conv.id, "yes").reply.payload
    job = drafting_engine.store.jobs.get(posted["data"]["job_id"])
    assert job.budget is not None and (job.budget.type, job.budget.max) == ("fixed", 500)
    assert job.experience_level == "expert" and job.duration_weeks == 2
    assert "Figma" in job.skills and drafting_engine.store.jobs.count() == before + 1


def test_yes_no_and_searches_while_a_draft_is_edited(
    drafting_engine: Engine,
) -> None:
    held = {"pending": "post_job", "has_draft": True, "has_results": False, "has_job": False}
    assert classify("expert level", **held, editing=True).name == "edit_draft"
    assert classify("no, the budget is $400", **held, editing=True).name == "edit_draft"
    assert classify("yes but entry level", **held, editing=True).name == "edit_draft"
    assert classify("yes, go ahead", **held, editing=True).name == "confirm"
    assert classify("no thanks", **held, editing=True).name == "cancel"
    assert classify("no, not now", **held, editing=True).name == "cancel"
    assert classify("no way", **held, editing=True).name == "cancel"
    assert classify("no", **held, editing=True).name == "cancel"
    assert classify("no Python", **held, editing=True).name == "edit_draft"  # drops a skill
    assert classify("yes", **held, editing=True).name == "confirm"
    assert classify("yes please", **held, editing=True).name == "confirm"
    assert classify("find me a designer", **held, editing=True).name == "find"
    searched = held | {"pending": None, "has_results": True}
    assert classify("cheaper", **searched, editing=False).name == "refine"


def test_no_and_a_suggested_skill_drops_it_and_cancels_nothing(drafting_engine: Engine) -> None:
    """The README's example: "no Python" while a draft waits for a yes is an edit of it."""
    companion = Companion(acting(drafting_engine))
    conv, _ = companion.open()
    shown = companion.say(conv.id, "Senior Django dev for our booking API, $60-80/hr").reply
    assert "Python" in shown.payload["data"]["draft"]["skills"]
    dropped = companion.say(conv.id, "no Python").reply
    assert dropped.payload["intent"] == "edit_draft", dropped.text
    assert "Python" not in dropped.payload["data"]["draft"]["skills"]
    assert dropped.payload["pending"] is not None  # still waiting for the client's yes


def test_a_removed_skill_stays_out_of_the_posted_jobs_match(writable_engine: Engine) -> None:
    """The client removes a skill the text names: the job's match never reads it back."""
    companion = Companion(acting(writable_engine))
    conv, _ = companion.open()
    text = "Necesito un desarrollador Python para automatizar informes en Excel, 40 USD/hora"
    drafted = companion.say(conv.id, text).reply.payload["data"]["draft"]
    assert {"Python", "Microsoft Excel"} <= set(drafted["skills"])
    removed = companion.say(conv.id, "remove Microsoft Excel").reply.payload["data"]["draft"]
    assert "Microsoft Excel" not in removed["skills"]
    assert removed["removed_skills"] == ["Microsoft Excel"]
    added = companion.say(conv.id, "add Microsoft Excel").reply.payload["data"]["draft"]
    assert added["removed_skills"] == []  # added back: no longer removed
    companion.say(conv.id, "remove Microsoft Excel")
    pending = companion.get(conv.id).state["pending"]
    posted = companion.say(conv.id, "", confirm=pending["id"]).reply.payload["data"]["job_id"]
    job = writable_engine.store.jobs.get(posted)
    assert job.excluded_skills == ["Microsoft Excel"] and "Excel" in job.description
    skills, _ = writable_engine.matcher.job_skills(job)
    assert "Microsoft Excel" not in skills and "Python" in skills
    kept = job.model_copy(update={"excluded_skills": []})  # the same post without the removal
    assert "Microsoft Excel" in writable_engine.matcher.job_skills(kept)[0]


def test_dropping_an_implied_skill_unmarks_it(drafting_engine: Engine) -> None:
    request = "Need a Django developer for our booking API, $50/hr"
    draft = draft_job(drafting_engine, request)
    assert draft.implied_skills == ["Python"]
    result = edit(drafting_engine, draft, clean(request).text, "no Python", title_fixed=False)
    assert "Python" not in result.draft.skills and result.draft.implied_skills == []


def test_the_suggested_category_follows_the_skills_until_the_client_chooses_one(
    drafting_engine: Engine,
) -> None:
    companion = Companion(acting(drafting_engine))
    conv, _ = companion.open()
    draft = companion.say(conv.id, REQUEST).reply.payload["data"]["draft"]
    assert draft["category"] == "Web, Mobile & Software Dev" and not draft["category_chosen"]
    chose = companion.say(conv.id, "the category is design & creative").reply
    assert chose.payload["intent"] == "edit_draft", chose.text
    assert chose.payload["data"]["draft"]["category"] == "Design & Creative"
    assert "category: Web, Mobile & Software Dev → Design & Creative" in chose.text
    kept = companion.say(conv.id, "add Python").reply.payload["data"]["draft"]
    assert kept["category"] == "Design & Creative"  # chosen: the skills no longer move it
    unknown = companion.say(conv.id, "category: underwater basket weaving").reply
    assert "the categories are:" in unknown.text
    assert unknown.payload["data"]["draft"]["category"] == "Design & Creative"
    posted = companion.say(conv.id, "yes").reply.payload
    assert drafting_engine.store.jobs.get(posted["data"]["job_id"]).category == "Design & Creative"


PLACED = "Need a Django developer with React and Figma, $50/hr"


@pytest.mark.parametrize(
    ("said", "places"),
    [
        ("remove the second skill", [2]),
        ("drop the 2nd skill", [2]),
        ("remove the first skill", [1]),
        ("remove the last skill", [-1]),
        ("delete the second-to-last skill", [-2]),
        ("drop the first and third skills", [1, 3]),
        ("remove skills 2 and 3", [2, 3]),
        ("remove skill #2", [2]),
        ("the second skill is not needed", [2]),
        ("quita la segunda habilidad", [2]),
        ("elimina la última habilidad", [-1]),
        ("supprime la deuxième compétence", [2]),
        ("entferne den zweiten Skill", [2]),
        ("remova a primeira habilidade", [1]),
    ],
)
def test_a_skill_named_by_its_place_in_the_list_is_removed(
    drafting_engine: Engine, said: str, places: list[int]
) -> None:
    draft = draft_job(drafting_engine, PLACED)
    assert len(draft.skills) >= 4, draft.skills
    gone = [draft.skills[p - 1 if p > 0 else p] for p in places]
    result = edit(drafting_engine, draft, clean(PLACED).text, said, title_fixed=False)
    assert not set(gone) & set(result.draft.skills), (said, result.draft.skills)
    assert result.draft.skills == [s for s in draft.skills if s not in gone]
    assert result.draft.removed_skills == gone
    assert result.changes == [f"removed skill {s}" for s in gone]
    assert said not in result.body  # an edit of the list, not words about the work


def test_a_place_the_list_does_not_have_changes_nothing_and_says_so(
    drafting_engine: Engine,
) -> None:
    draft = draft_job(drafting_engine, PLACED)
    result = edit(
        drafting_engine, draft, clean(PLACED).text, "remove the 9th skill", title_fixed=False
    )
    assert result.draft.skills == draft.skills and result.changes == []
    assert result.remarks == [f"the draft lists {len(draft.skills)} skills"]
    talk = edit(
        drafting_engine, draft, clean(PLACED).text, "the first skill matters most, add Python",
        title_fixed=False,
    )  # fmt: skip
    assert talk.draft.skills[0] == draft.skills[0]  # a place talked about, not dropped


def test_a_skill_removed_by_its_place_stays_removed(writable_engine: Engine) -> None:
    companion = Companion(acting(writable_engine))
    conv, _ = companion.open()
    shown = companion.say(conv.id, PLACED).reply.payload["data"]["draft"]["skills"]
    removed = companion.say(conv.id, "remove the second skill").reply
    assert removed.payload["intent"] == "edit_draft", removed.text
    draft = removed.payload["data"]["draft"]
    assert shown[1] not in draft["skills"] and draft["removed_skills"] == [shown[1]]
    later = companion.say(conv.id, "the budget is $60 per hour").reply.payload["data"]["draft"]
    assert shown[1] not in later["skills"] and later["removed_skills"] == [shown[1]]
    pending = companion.get(conv.id).state["pending"]
    posted = companion.say(conv.id, "", confirm=pending["id"]).reply.payload["data"]["job_id"]
    job = writable_engine.store.jobs.get(posted)
    assert job.excluded_skills == [shown[1]]
    assert shown[1] not in writable_engine.matcher.job_skills(job)[0]


@pytest.mark.parametrize("said", ["polish the copy", "Polish the copy a bit", "please polish it"])
def test_polishing_the_copy_adds_no_polish(drafting_engine: Engine, said: str) -> None:
    edited = _edited(drafting_engine, said)
    assert "Polish" not in edited["skills"] and "pl" not in edited["languages"]  # type: ignore[operator]
    assert "Polish" in _edited(drafting_engine, "add Polish translation")["skills"]  # type: ignore[operator]


SPANISH = "Need a customer support agent who speaks Spanish, $15/hr, 10 weeks"


@pytest.mark.parametrize(
    "said", ["ohne Spanisch", "sans espagnol", "sin español", "without Spanish", "sem espanhol"]
)
def test_dropping_a_language_in_any_wording_drops_its_skill_too(
    drafting_engine: Engine, said: str
) -> None:
    before = draft_job(drafting_engine, SPANISH)
    assert "Spanish" in before.skills and "es" in before.languages
    edited = _edited(drafting_engine, said, SPANISH)
    assert "Spanish" not in edited["skills"] and "es" not in edited["languages"]  # type: ignore[operator]


@pytest.mark.parametrize(
    "said", ["must speak Spanish", "Spanish is required", "fluent Spanish please", "exige español"]
)
def test_asking_for_a_language_already_required_says_so_and_changes_nothing(
    drafting_engine: Engine, said: str
) -> None:
    before = draft_job(drafting_engine, SPANISH)
    result = edit(drafting_engine, before, clean(SPANISH).text, said, title_fixed=False)
    assert result.changes == [] and "Spanish is already required" in result.remarks
    assert result.draft.description == before.description


@pytest.mark.parametrize(
    "said", ["Make it expert level", "Word it more warmly", "OK. Make it expert level, please"]
)
def test_a_verb_opening_an_edit_adds_no_tool_named_like_it(
    drafting_engine: Engine, said: str
) -> None:
    # "Make it expert level" answered "added skill Make.com" and every match was marked down.
    got = _edited(drafting_engine, said)
    assert not {"Make.com", "Microsoft Word"} & set(got["skills"]), got  # type: ignore[arg-type]
    changes = " ".join(got["changes"])  # type: ignore[arg-type]
    assert "Make.com" not in changes and "Microsoft Word" not in changes, changes


@pytest.mark.parametrize(
    ("said", "hours"),
    [
        ("make it 30 hours a week", 30),
        ("30 h/week instead", 30),
        ("mach es 30 Stunden pro Woche", 30),
    ],
)
def test_hours_a_week_are_set_by_an_edit_and_nothing_else(
    drafting_engine: Engine, said: str, hours: float
) -> None:
    request = "React developer for our dashboard, 20 hours a week, $3,000 fixed, 8 weeks"
    edited = _edited(drafting_engine, said, request)
    assert edited["hours_per_week"] == hours and edited["changes"] == [
        f"hours: 20 a week → {hours} a week"
    ]
    assert (edited["budget_type"], edited["budget_max"], edited["duration_weeks"]) == (
        "fixed",
        3000,
        8,
    )
    added = _edited(drafting_engine, said)  # a draft without hours gets them
    assert added["hours_per_week"] == hours and added["budget_max"] == 300


@pytest.mark.parametrize(
    ("said", "hours"),
    [
        ("hours per week 20", 20),
        ("hours per week: 20", 20),
        ("weekly hours 15", 15),
        ("change the hours to 30", 30),
        ("hours: 25", 25),
        ("set hours to 25 per week", 25),
        ("Stunden auf 20 pro Woche", 20),
    ],
)
def test_hours_named_before_their_number_are_hours_not_a_rate(
    drafting_engine: Engine, said: str, hours: float
) -> None:
    """Trial 18: "hours per week 20" turned a $25-35/h budget into $20/h, posted so."""
    request = "Need a Shopify developer for my store, $25-35/h, 4 weeks, 10 h a week"
    edited = _edited(drafting_engine, said, request)
    assert edited["changes"] == [f"hours: 10 a week → {hours:g} a week"]
    assert (edited["budget_min"], edited["budget_max"], edited["budget_type"]) == (
        25,
        35,
        "hourly",
    )


@pytest.mark.parametrize("said", ["the hours to 40 in total", "change the hours to 30 weeks"])
def test_hours_that_are_no_weeks_hours_leave_the_hours_and_the_budget(
    drafting_engine: Engine, said: str
) -> None:
    request = "Need a Shopify developer for my store, $25-35/h, 4 weeks, 10 h a week"
    edited = _edited(drafting_engine, said, request)
    assert edited["hours_per_week"] == 10 and edited["budget_max"] == 35


@pytest.mark.parametrize(
    ("said", "rate"), [("make the rate 30 an hour", 30), ("pay 45 per hour", 45)]
)
def test_a_rate_said_per_hour_is_still_the_budget(
    drafting_engine: Engine, said: str, rate: float
) -> None:
    request = "Need a Shopify developer for my store, $25-35/h, 4 weeks, 10 h a week"
    edited = _edited(drafting_engine, said, request)
    assert edited["budget_max"] == rate and edited["hours_per_week"] == 10


def test_a_posted_draft_keeps_its_hours_and_its_fixed_budget_is_compared(
    writable_engine: Engine,
) -> None:
    """A fixed budget without hours a week: the match reasons could not price anyone."""
    companion = Companion(acting(writable_engine))
    conv, _ = companion.open()
    text = "React developer for our dashboard, 20 hours a week, budget $3,000 fixed, 8 weeks"
    drafted = companion.say(conv.id, text).reply
    assert drafted.payload["data"]["draft"]["hours_per_week"] == 20
    assert "hours: 20 a week" in drafted.text
    assert {"claim": "hours_per_week=20.0", "source": "your message"} in drafted.payload["facts"]
    edited = companion.say(conv.id, "make it 30 hours a week").reply
    assert edited.payload["data"]["draft"]["hours_per_week"] == 30
    pending = companion.get(conv.id).state["pending"]
    posted = companion.say(conv.id, "", confirm=pending["id"]).reply.payload["data"]["job_id"]
    job = writable_engine.store.jobs.get(posted)
    assert (job.hours_per_week, job.duration_weeks) == (30, 8)
    hit = writable_engine.match(job.id, top=1)[0]
    feats = writable_engine.pair_features(job.id, hit.freelancer_id)
    assert feats.rate.status != "not_comparable" and feats.rate.hours == 240
    assert feats.availability.needed == 30


def test_a_restated_request_keeps_the_hours_it_does_not_restate(drafting_engine: Engine) -> None:
    request = "React developer for our dashboard, 20 hours a week, $3,000 fixed, 8 weeks"
    draft = draft_job(drafting_engine, request)
    again = "React developer for our dashboard with charts, $3,000 fixed"
    assert redraft(drafting_engine, draft, again, title_fixed=False).draft.hours_per_week == 20
    more = redraft(drafting_engine, draft, f"{again}, 25 hours a week", title_fixed=False)
    assert more.draft.hours_per_week == 25 and "hours: 20 a week → 25 a week" in more.changes
