from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from tandem.domain import Freelancer, Job, Proposal
from tandem.rank.features import (
    PRIOR_SUCCESS,
    _best_related,
    availability_fit,
    experience_fit,
    language_fit,
    letter_echo,
    profile_skills,
    rate_fit,
    related_name,
    requirement_fit,
    skill_coverage,
    timezone_fit,
    track_record,
)
from tandem.skills import Normaliser, Taxonomy

TAXONOMY = Taxonomy.builtin()


def _f(**kw: object) -> Freelancer:
    base = {
        "id": "f",
        "name": "N",
        "hourly_rate": 40,
        "country": "DE",
        "joined_at": "2024-01-01T00:00:00Z",
    }
    return Freelancer.model_validate({**base, **kw})


def _j(**kw: object) -> Job:
    return Job.model_validate({"id": "j", "title": "T", "created_at": "2026-06-01T12:00:00Z", **kw})


def test_skill_coverage_listed_mentioned_related_missing() -> None:
    f = _f(skills=["ReactJS", "Redux"])
    listed = profile_skills(f, Normaliser(TAXONOMY))
    cov = skill_coverage(
        ["React", "Next.js", "Stripe", "TypeScript"],
        listed,
        {"TypeScript": "overview: 'TS'"},
        TAXONOMY,
    )
    how = {h.skill: h.how for h in cov.hits}
    assert how == {"React": "listed", "Next.js": "related", "TypeScript": "mentioned"}
    assert cov.missing == ["Stripe"]
    assert [h.evidence for h in cov.hits if h.skill == "React"] == ["in skills as 'ReactJS'"]
    assert 0 < cov.score < 1


def test_rate_fit_uses_bid_when_it_matches_the_budget_type() -> None:
    job = _j(budget={"type": "hourly", "min": 20, "max": 50})
    assert rate_fit(job, _f(hourly_rate=45)).status == "within"
    over = rate_fit(job, _f(hourly_rate=75))
    assert over.status == "over" and abs(over.score - 0.5) < 1e-9
    bid = Proposal.model_validate(
        {
            "id": "p",
            "job_id": "j",
            "freelancer_id": "f",
            "created_at": "2026-06-02T00:00:00Z",
            "bid": {"amount": 30, "type": "hourly"},
        }
    )
    fit = rate_fit(job, _f(hourly_rate=75), bid)
    assert fit.status == "within" and fit.source == "bid"
    eur = rate_fit(job, _f(hourly_rate=45, currency="EUR"))
    assert eur.price_usd is not None and eur.price_usd > 45


def test_fixed_budget_without_hours_is_not_compared() -> None:
    job = _j(budget={"type": "fixed", "max": 500})
    assert rate_fit(job, _f()).status == "not_comparable"
    job = _j(budget={"type": "fixed", "max": 500}, duration_weeks=2, hours_per_week=10)
    assert rate_fit(job, _f(hourly_rate=20)).status == "within"


def test_newcomers_get_the_prior_not_a_penalty() -> None:
    newcomer = track_record(_f(total_jobs=0))
    assert newcomer.newcomer and abs(newcomer.shrunk_success - PRIOR_SUCCESS) < 1e-9
    weak_veteran = track_record(_f(total_jobs=50, job_success=60, rating=3.5))
    assert newcomer.score > weak_veteran.score


@given(st.integers(0, 500), st.floats(0, 100), st.floats(1, 5))
def test_track_record_is_bounded_and_shrinks(jobs: int, js: float, rating: float) -> None:
    r = track_record(_f(total_jobs=jobs, job_success=js, rating=rating))
    assert 0 <= r.score <= 1
    lo, hi = sorted([js / 100, PRIOR_SUCCESS])
    assert lo - 1e-9 <= r.shrunk_success <= hi + 1e-9


def test_experience_availability_language_timezone() -> None:
    assert experience_fit(_j(experience_level="expert"), _f(experience_years=8)).score == 1.0
    assert experience_fit(_j(experience_level="expert"), _f(experience_years=1)).score < 0.5
    assert availability_fit(_j(hours_per_week=40), _f(availability_hours_per_week=0)).score == 0
    assert availability_fit(_j(hours_per_week=40), _f(availability_hours_per_week=20)).score == 0.5
    lang = language_fit(
        _j(languages=["en", "de"]),
        _f(languages=[{"code": "en", "level": "fluent"}, {"code": "de", "level": "basic"}]),
    )
    assert lang.missing == ["de"] and lang.score == 0.5
    when = datetime(2026, 1, 15, tzinfo=UTC)
    assert timezone_fit("Europe/Berlin", "Europe/Lisbon", when).hours_apart == 1
    assert timezone_fit("America/Los_Angeles", "Asia/Kolkata", when).score < 0.5
    assert timezone_fit("Nowhere/Land", "Europe/Lisbon", when).hours_apart is None


def test_letter_echo_tells_a_tailored_letter_from_boilerplate() -> None:
    title = "React Developer for a booking app"
    post = "We need a React developer for a booking app for yoga studios. Stripe is a plus."
    tailored = "For your booking app for yoga studios I would use React and Stripe."
    generic = "Dear hiring manager, I am a hard-working professional. I deliver on time."
    echo_t, title_t = letter_echo(tailored, title, post)
    echo_g, title_g = letter_echo(generic, title, post)
    assert echo_t is not None and echo_g is not None and title_t is not None
    assert echo_t > 0.8 > 0.2 > echo_g
    assert title_t > 0.5 and title_g == 0.0
    assert letter_echo("", title, post) == (None, None)


def test_requirement_fit_scores_required_and_nice_apart() -> None:
    f = _f(skills=["React"])
    listed = profile_skills(f, Normaliser(TAXONOMY))
    coverage = skill_coverage(["React", "Stripe"], listed, {}, TAXONOMY)
    fit = requirement_fit(coverage, None, ["React"], ["Stripe"], True)
    assert fit.required == 1.0 and fit.nice == 0.0 and fit.marked
    assert requirement_fit(coverage, None, ["React", "Stripe"], [], False).nice is None


@given(
    st.dictionaries(st.sampled_from("abcdefgh"), st.sampled_from([0.3, 0.5, 0.8]), max_size=8),
    st.sets(st.sampled_from("abcdefghij"), max_size=10),
)
def test_best_related_is_the_plain_maximum_from_either_side(
    related: dict[str, float], listed: set[str]
) -> None:
    plain = max(((w, o) for o, w in related.items() if o in listed), default=None)
    assert _best_related(related, {s: s for s in listed}) == plain


def test_human_languages_are_no_family_of_each_other() -> None:
    """A family link says knowing one skill helps to pick up the other: Vietnamese is no step
    toward German (truth check 18: "German: same family as 'Vietnamese'"). The languages are
    a list, not a family; an explicit link written for a close pair stays, and families of
    crafts keep their links.
    """
    languages = ["English", "French", "German", "Vietnamese", "Traditional Chinese", "Swahili"]
    for one in languages:
        related = TAXONOMY.related(one)
        assert not {other for other in languages if other != one} & set(related), one
    assert TAXONOMY.related("Traditional Chinese")["Chinese"] == 1.0  # written: stays
    assert TAXONOMY.related("Ruby")["Python"] == 0.5  # programming languages: a family
    cov = skill_coverage(["German"], {"Vietnamese": "Vietnamese"}, {}, TAXONOMY)
    assert cov.missing == ["German"]


def test_translation_is_no_step_toward_a_language() -> None:
    """Verify 18: "Czech: related skill 'Translation'" ranked a translator of other languages
    first for a Czech job. A language has no link to Translation either way."""
    cov = skill_coverage(["Czech", "Hindi"], {"Translation": "Translation"}, {}, TAXONOMY)
    assert cov.missing == ["Czech", "Hindi"] and not cov.hits
    assert "Translation" not in TAXONOMY.related("Czech")
    assert "Czech" not in TAXONOMY.related("Translation")
    assert TAXONOMY.related("Legal Translation")["Translation"] > 0  # the services keep theirs


def test_a_language_the_profile_speaks_covers_the_skill_named_for_it() -> None:
    """A native French speaker was credited French only as "same family as 'Vietnamese'"
    (truth check 18). Native or fluent: as a listed skill; conversational: as a mention;
    basic: not at all. The evidence names the language field and the level.
    """
    job = ["French", "German", "Filipino", "Spanish"]
    spoken = {"fr": "native", "de": "conversational", "tl": "fluent", "es": "basic"}
    cov = skill_coverage(job, {}, {}, TAXONOMY, spoken=spoken)
    hits = {h.skill: (h.how, h.evidence, h.credit) for h in cov.hits}
    assert hits == {
        "French": ("listed", "in languages: fr (native)", 1.0),
        "German": ("mentioned", "in languages: de (conversational)", 0.8),
        "Filipino": ("listed", "in languages: tl (fluent)", 1.0),  # Tagalog is tl
    }
    assert cov.missing == ["Spanish"]
    # the skills list still comes first, and only human languages are read from languages
    listed = skill_coverage(["French"], {"French": "francais"}, {}, TAXONOMY, spoken=spoken)
    assert listed.hits[0].evidence == "in skills as 'francais'"
    said = {"German": "overview: 'German'"}
    assert skill_coverage(["German"], {}, said, TAXONOMY, spoken=spoken).hits[0].how == "mentioned"
    assert skill_coverage(["Go"], {}, {}, TAXONOMY, spoken={"go": "native"}).missing == ["Go"]


def test_a_skill_implied_by_one_the_profile_shows_is_not_missing() -> None:
    """ "Missing: Kotlin" beside an overview naming Kotlin Multiplatform, "Web Development"
    beside Ecommerce Website Development (truth check 18). An implied link (``>``, always
    holds) credits the job skill as an explicit related link does, times how the implying
    skill is shown (listed 1, named in the text 0.8); what the text only describes implies
    nothing. A listed implying skill scores as its explicit related link did: only the words
    change ("implied by", not "related skill").
    """
    named = {"Kotlin Multiplatform": "overview: 'Kotlin Multiplatform'"}
    cov = skill_coverage(["Kotlin"], {}, named, TAXONOMY)
    assert [(h.how, h.evidence, h.credit) for h in cov.hits] == [
        ("related", "implied by 'Kotlin Multiplatform' (overview: 'Kotlin Multiplatform')", 0.4)
    ]
    listed = {"Kotlin Multiplatform": "KMP"}
    hit = skill_coverage(["Kotlin"], listed, {}, TAXONOMY).hits[0]
    assert (hit.evidence, hit.credit) == ("implied by 'Kotlin Multiplatform' (in skills)", 0.5)
    shop = {"Ecommerce Website Development": "Ecommerce Website Development"}
    web = skill_coverage(["Web Development"], shop, {}, TAXONOMY).hits[0]
    assert web.evidence == "implied by 'Ecommerce Website Development' (in skills)"
    # through another: DRF implies Django, which implies Python
    drf = skill_coverage(["Python"], {"Django REST Framework": "DRF"}, {}, TAXONOMY).hits[0]
    assert drf.evidence == "implied by 'Django REST Framework' (in skills)"
    assert related_name(drf.evidence) == "Django REST Framework"  # what coaching names
    described = {"Kotlin Multiplatform": "overview: 'shared mobile code' (described)"}
    assert skill_coverage(["Kotlin"], {}, described, TAXONOMY).missing == ["Kotlin"]


def test_a_skill_of_the_same_family_covers_no_job_skill() -> None:
    """Demo job j000435 (Kotlin, Swift, Ruby, Elixir, Sass, Web3) ranked first a Dart developer
    without Kotlin, "covering" Kotlin and Swift as "same family as 'WebAssembly'" (two checkers).
    A family (a heading of the taxonomy's files: every programming language) says nothing of
    whether someone writes Kotlin: the skill is missing, with no credit and no such words.
    """
    assert TAXONOMY.related("Kotlin")["WebAssembly"] < 1.0  # a family link, not a written one
    listed = {s: s for s in ["Dart", "Flutter", "WebAssembly", "Ruby", "Elixir", "Sass"]}
    job = ["Kotlin", "Swift", "Ruby", "Elixir", "Sass", "Web3"]
    cov = skill_coverage(job, listed, {}, TAXONOMY)
    assert [(h.skill, h.how) for h in cov.hits] == [
        ("Ruby", "listed"),
        ("Elixir", "listed"),
        ("Sass", "listed"),
    ]
    assert cov.missing == ["Kotlin", "Swift", "Web3"]
    assert cov.score == 3 / 6
    # a profile whose skills only share families with the job's covers nothing at all
    languages = {"Dart": "Dart", "Go": "golang"}
    only_family = skill_coverage(["Kotlin", "Swift"], languages, {}, TAXONOMY)
    assert (only_family.hits, only_family.missing) == ([], ["Kotlin", "Swift"])
    assert only_family.score == 0.0


def test_family_links_never_cover_anywhere_in_the_taxonomy() -> None:
    """Every job skill against a profile listing one skill of its family and nothing else:
    missing, unless that skill is written as related to it or implies it (O*NET's commodities
    and the built-in headings alike: "Onboarding: same family as 'Typing'")."""
    checked = 0
    for skill in list(TAXONOMY)[::7]:
        implying = set(TAXONOMY.implied_by(skill.name))
        for other, weight in TAXONOMY.related(skill.name).items():
            if weight >= 1.0 or other in implying:
                continue
            cov = skill_coverage([skill.name], {other: other}, {}, TAXONOMY)
            assert cov.missing == [skill.name], (skill.name, other, cov.hits)
            checked += 1
    assert checked > 100


def test_an_explicit_related_link_still_covers_beside_a_family_one() -> None:
    """A link written in the taxonomy (Kotlin ; Java) keeps its related credit and words, an
    alias stays a listed skill and an implication stays credited; only the family goes."""
    listed = profile_skills(_f(skills=["java se", "Dart", "KMP"]), Normaliser(TAXONOMY))
    cov = skill_coverage(["Kotlin", "Swift", "Java", "Flutter"], listed, {}, TAXONOMY)
    hits = {h.skill: (h.how, h.evidence, h.credit) for h in cov.hits}
    assert hits == {
        "Kotlin": ("related", "implied by 'Kotlin Multiplatform' (in skills)", 0.5),
        "Java": ("listed", "in skills as 'java se'", 1.0),
        "Flutter": ("related", "related skill 'Dart'", 0.5),  # written: Dart ; Flutter
    }
    assert cov.missing == ["Swift"]  # Dart and Swift only share the family of languages
    java = skill_coverage(["Kotlin", "Swift"], {"Java": "Java", "Dart": "Dart"}, {}, TAXONOMY)
    assert [(h.skill, h.evidence, h.credit) for h in java.hits] == [
        ("Kotlin", "related skill 'Java'", 0.5)
    ]
    assert java.missing == ["Swift"] and java.score == 0.25
