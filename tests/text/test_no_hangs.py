"""No public door for text hangs on adversarial input: a guard for CI (marked slow).

A job post of 150 letters without a space once held the server for 30 s (a label pattern with
O(n^5) backtracking), and a sweep of every compiled pattern found scans that cost n²/2 on some
inputs. A raw pattern that is slow is not always reachable (some only ever ``.match`` at one
place or read a window of a few characters), so this guard calls the public functions through
which untrusted text reaches the patterns, each with text as its door lets it through (a long
text's cap and its runs of blanks cut to eight, a message's 4,000 characters, redaction), in
shapes that make patterns backtrack: long runs of one letter, CJK without punctuation, "a " and
"1," and "$1 " repeated, "a:" labels, tab and blank runs, "-" bullets, currency words, ...

Each call runs under a 30 s alarm: a hang fails it. There is no timing target (the machine is
shared and noisy); the sizes are chosen so that a quadratic scan cannot pass:

- :data:`BEYOND` (200,000 characters, ten times a long text's cap) for the readers every door
  hands its text to (redaction, requirements, budgets, skills named, verbs, durations, levels,
  languages, intents, letters, search words). Each reads it in linear time; the slowest, the
  budget of "€1€1..." (100,000 amounts), took 2.3 s alone and 10 s beside a benchmark and a
  second test run, a third of the alarm. The quadratic scans this guard found cost 0.6 s (the
  email pattern), 2.2 s (a letter's sentences), 3.5 s (verb chains) and 8 s ("by" before each
  amount) at 20,000 characters, and 2 s at 8,000 (a range's bare low end), alone: 60 s to 20
  minutes at this size, past the alarm. Beyond the cap on purpose: at the
  cap a quadratic regex costs about a second, which no alarm can tell from a busy machine, and
  ``tandem companion draft-job`` takes its text from the command line with no cap at all.
- the door's own cap for the entries that cost more per character: drafting a job post (a long
  text, 20,000), the companion's ``say`` (the API's 4,000-character message) in each state a
  session can be in, searches (the 500-character query), the skill reader's dense tier and the
  matcher's reading of a post (a validated job description). There the alarm catches anything
  worse than quadratic (the label pattern: 30 s at 150 letters) and quadratic Python loops
  (the verb chains: 30 s at 40,000 characters).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tandem.access import Identity
from tandem.api.routers.companion import MessageIn
from tandem.companion import draft_job, finding
from tandem.companion.dialogue import Companion
from tandem.companion.drafts import clean, read_languages
from tandem.companion.intents import classify
from tandem.companion.letters import edit_letter, shorten
from tandem.companion.money import find_amounts, read_budget
from tandem.companion.understand import read_duration_weeks, read_experience_level
from tandem.domain import Freelancer, Job
from tandem.domain.fields import MAX_LONG_TEXT
from tandem.embed import HashingEncoder
from tandem.engine import Engine, JobQuery, TalentQuery
from tandem.engine.types import at_the_door
from tandem.search.tantivy_index import query_terms
from tandem.skills.verbs import verb_skills
from tandem.text import bounded_spaces, find_pii, redact
from tandem.text.requirements import marked_parts
from tests.conftest import deadline, make_settings

pytestmark = pytest.mark.slow

#: Repeated to the size under test: each makes some pattern try many starts or many splits.
SHAPES: dict[str, str] = {
    "letters": "x",
    "capitals": "A",
    "cjk": "我们需要",
    "accented": "é",
    "word-blank": "a ",
    "digits": "1",
    "digit-comma": "1,",
    "digit-dot": "1.",
    "digit-dash": "1-",
    "dollar-one": "$1 ",
    "euro-one": "€1",
    "thousands": "1k ",
    "range": "1 to ",
    "label": "a:",
    "labels": "xx: ",
    "tabs-blanks": "\t ",
    "blank-runs": "a" + " " * 8,
    "line-runs": "a" + "\n" * 8,
    "lines": "a\n",
    "bullets": "- ",
    "bullet-items": "- a\n",
    "currency-words": "dollars euros USD ",
    "per-month": "per month ",
    "dots": "a.",
    "at-signs": "a@",
    "hyphens": "a-",
    "camel-hyphen": "aB-",
    "letter-digit": "a1",
    "quotes": "'",
    "slashes": "a/",
    "dollars": "$",
    "commas": "a, ",
    "joins": "a and ",
    "plurals": "developers ",
    "heads": "api ",
    "underscores": "a_b",
    "thousands-groups": ",11",  # blanks between would be redacted as a phone number
    "amounts": "$1 $2 ",
}
#: The longest text the readers get in this guard (see the module docstring).
BEYOND = 10 * MAX_LONG_TEXT
#: The longest message the companion takes (the API's limit; the web form's is the same).
MESSAGE: int = MessageIn.model_json_schema()["properties"]["text"]["maxLength"]
#: The longest search query the API and the web pages take (``Query(max_length=500)``).
QUERY = 500
#: Seconds one call may take before it counts as a hang.
ALARM = 30


def shaped(shape: str, size: int) -> str:
    """``SHAPES[shape]`` repeated to exactly ``size`` characters."""
    unit = SHAPES[shape]
    return (unit * (size // len(unit) + 1))[:size]


def let_through(raw: str) -> str:
    """Text as the doors hand it on: contact details redacted, runs of blanks cut to eight."""
    return bounded_spaces(redact(raw))


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[Engine]:
    """An engine with the small bundle: searches find people, sessions and proposals are kept."""
    engine = Engine(make_settings(tmp_path_factory.mktemp("no-hangs")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    yield engine
    engine.store.close()


def _readers(engine: Engine) -> dict[str, Callable[[str], object]]:
    """The readers every door hands its text to, by name."""
    editing = {"has_draft": True, "has_results": True, "has_job": True, "editing": True}
    return {
        "requirements": marked_parts,
        "budget": read_budget,
        "budget-after": lambda text: read_budget(f"{text} weeks, budget $300"),
        "amounts": find_amounts,
        "skills-named": engine.reader.named,
        "verbs": lambda text: verb_skills(engine.taxonomy, text),
        "duration": read_duration_weeks,
        "level": read_experience_level,
        "languages": read_languages,
        "clean": clean,
        "intent": lambda text: classify(text, pending=None, **editing),
        "intent-proposing": lambda text: classify(
            text, pending="send_proposal", has_draft=False, has_results=False, has_job=True
        ),
        "letter": lambda text: (shorten(text), edit_letter(text, "change the rate to $45")),
        "letter-edit": lambda text: edit_letter(LETTER, f"change the rate to {text}"),
        "search-words": lambda text: query_terms(at_the_door(TalentQuery(text=text)).text),
    }


READERS = [
    "requirements", "budget", "budget-after", "amounts", "skills-named", "verbs", "duration",
    "level", "languages", "clean", "intent", "intent-proposing", "letter", "letter-edit",
    "search-words",
]  # fmt: skip
#: A proposal letter as the companion drafts one, for edits asked in a message.
LETTER = "Hello, I read your post. I work with Python. My rate is 55 USD per hour. Thank you."


@pytest.mark.parametrize("shape", SHAPES)
def test_redaction_at_the_door_reads_raw_text_in_time(shape: str) -> None:
    """Redaction runs first, before blanks are bounded: it takes the raw text."""
    raw = shaped(shape, BEYOND)
    with deadline(ALARM, f"redact of {BEYOND:,} characters of {shape}"):
        find_pii(raw)
        redact(raw)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reader", READERS)
def test_readers_take_adversarial_text_in_time(engine: Engine, reader: str, shape: str) -> None:
    raw, read = shaped(shape, BEYOND), _readers(engine)[reader]
    with deadline(ALARM, f"{reader} of {BEYOND:,} characters of {shape}"):
        read(let_through(raw))


@pytest.mark.parametrize("shape", SHAPES)
def test_a_job_post_is_drafted_in_time(engine: Engine, shape: str) -> None:
    """The whole draft (budget, skills dense and named, title, description) from a long text.

    Raw text: ``draft_job`` bounds blanks itself (the CLI passes the command line as it is)
    and refuses more than a post's description holds, so the text is that long.
    """
    opening = "I need a Python developer. "
    raw = opening + shaped(shape, MAX_LONG_TEXT - len(opening))
    with deadline(ALARM, f"draft_job of {len(raw):,} characters of {shape}"):
        draft_job(engine, raw)


def _job(description: str) -> Job:
    """A post as the API validates it (the long text's cap and blanks bounded by the model)."""
    return Job.model_validate(
        {
            "id": "hang-job",
            "title": "Backend developer",
            "description": description,
            "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        }
    )


@pytest.mark.parametrize("shape", SHAPES)
def test_stored_text_is_validated_and_read_in_time(engine: Engine, shape: str) -> None:
    """A job description and a profile overview at the cap: validated, read, matched."""
    raw = shaped(shape, MAX_LONG_TEXT)
    with deadline(ALARM, f"validating and reading {MAX_LONG_TEXT:,} characters of {shape}"):
        job = _job(raw)
        Freelancer.model_validate(
            {
                "id": "hang-person",
                "name": "Ana",
                "overview": raw,
                "hourly_rate": 40,
                "country": "DE",
                "joined_at": datetime(2026, 1, 1, tzinfo=UTC),
            }
        )
        engine.reader.read(job.description)  # the dense tier as well as the named one
        skills, _ = engine.matcher.job_skills(job)
        engine.matcher.requirement_split(job, skills)


@pytest.mark.parametrize("shape", SHAPES)
def test_searches_take_adversarial_queries_in_time(engine: Engine, shape: str) -> None:
    """A query at the API's length, through the view (where the door redacts and bounds)."""
    raw = shaped(shape, QUERY)
    user = engine.as_user(Identity("hang-op", "operator"), "api")
    with deadline(ALARM, f"searches for {QUERY} characters of {shape}"):
        user.search_talent(TalentQuery(text=raw))
        user.search_jobs(JobQuery(text=raw))
        finding.start(engine, let_through(shaped(shape, MESSAGE)))


#: What a session holds when the message comes: what is said first to get it there.
STATES = ["fresh", "editing-draft", "results", "proposing"]


def _session(engine: Engine, state: str) -> tuple[Companion, str]:
    """A companion and a session in ``state``."""
    if state == "proposing":
        person = next(f for f in engine.store.freelancers.iter_all() if f.title and f.skills)
        engaged = engine.engaged_jobs(person.id)  # a job they applied to gets no new proposal
        job = next(
            j for j in engine.store.jobs.iter_all() if j.status == "open" and j.id not in engaged
        )
        who = Identity(person.id, "freelancer", freelancer_id=person.id)
        companion = Companion(engine.as_user(who, "api"), typed_yes=False)
        conv, _ = companion.open(freelancer_id=person.id)
        reply = companion.say(conv.id, f"draft a proposal for {job.id}").reply
        assert reply.payload["pending"]["kind"] == "send_proposal"
        return companion, conv.id
    companion = Companion(engine.as_user(Identity("hang-op", "operator"), "api"), typed_yes=False)
    conv, _ = companion.open()
    if state == "editing-draft":
        companion.say(conv.id, "I need a logo for my bakery, budget $300, within 2 weeks")
    elif state == "results":
        reply = companion.say(conv.id, "find me a designer").reply
        assert reply.payload["intent"] == "find"
    return companion, conv.id


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("state", STATES)
def test_the_companion_answers_a_long_message_in_time(
    engine: Engine, state: str, shape: str
) -> None:
    """A message at the API's limit, raw (``say`` redacts and bounds it), in each state.

    It opens with a request, so that a session with nothing in it drafts a post from it (a
    message of a few words only gets the help text, and one of blanks only is refused).
    """
    companion, session = _session(engine, state)
    opening = "I need help with this project: "
    raw = opening + shaped(shape, MESSAGE - len(opening))
    with deadline(ALARM, f"say of {MESSAGE:,} characters of {shape} ({state})"):
        companion.say(session, raw)
