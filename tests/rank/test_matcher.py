"""The matcher's per-freelancer cache: it serves only while what it was derived from holds."""

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import pytest

from tandem.domain import Freelancer
from tandem.engine import Engine
from tandem.rank import features
from tandem.rank.features import profile_skills, track_record


def _f(**kw: object) -> Freelancer:
    base = {
        "id": "f-cache",
        "name": "N",
        "hourly_rate": 40,
        "country": "DE",
        "joined_at": "2024-01-01T00:00:00Z",
    }
    return Freelancer.model_validate({**base, **kw})


def test_profile_is_derived_afresh_when_its_inputs_change(loaded_engine: Engine) -> None:
    matcher = loaded_engine.matcher
    first = _f(skills=["ReactJS"], total_jobs=0)
    assert matcher.profile(first).listed == {"React": "ReactJS"}
    assert matcher.profile(first) is matcher.profile(first)  # cached while unchanged
    edited = _f(skills=["Django"], total_jobs=12, job_success=90.0, rating=4.5)
    known = matcher.profile(edited)
    assert known.listed == profile_skills(edited, matcher.normaliser) == {"Django": "Django"}
    assert known.record == track_record(edited) and not known.record.newcomer
    edited.skills = ["Vue.js"]  # even a record changed in place is read again
    assert matcher.profile(edited).listed == {"Vue.js": "Vue.js"}


def test_a_served_match_follows_an_edited_profile(bare_engine: Engine, small_bundle: Path) -> None:
    bare_engine.import_bundle(small_bundle)
    job = next(j for j in bare_engine.store.jobs.iter_all() if j.status == "open" and j.skills)
    top = bare_engine.match(job.id, top=1)[0]
    before = bare_engine.matcher
    person = bare_engine.store.freelancers.get(top.freelancer_id)
    bare_engine.save_freelancer(person.model_copy(update={"skills": [], "overview": ""}))
    after = next(r for r in bare_engine.match(job.id, top=None) if r.freelancer_id == person.id)
    skills = [r for r in after.reasons if r.code == "skill_coverage"]
    assert bare_engine.matcher is before  # the same matcher (and its cache) served both
    assert not any("in skills" in e for r in skills for e in r.evidence)
    assert after.score < top.score


def test_a_match_reads_its_jobs_side_once_not_per_candidate(
    loaded_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Related-skill maps per job skill, hours apart per time zone: not once per candidate."""
    matcher = loaded_engine.matcher
    taxonomy = matcher.taxonomy
    related, zones = Counter[str](), Counter[tuple[str, str]]()
    read_related, hours = taxonomy.related_view, features.hours_apart

    def counted_related(name: str) -> Mapping[str, float]:
        related[name] += 1
        return read_related(name)

    def counted_hours(a: str, b: str, when: datetime) -> float | None:
        zones[a, b] += 1
        return hours(a, b, when)

    monkeypatch.setattr(taxonomy, "related_view", counted_related)
    monkeypatch.setattr(features, "hours_apart", counted_hours)
    people = list(loaded_engine.store.freelancers.iter_all())
    job = next(j for j in loaded_engine.store.jobs.iter_all() if j.status == "open" and j.skills)
    view = matcher.view(job)
    assert view.client_tz and len(view.skills) >= 2
    rows = matcher.feature_rows(view, people)
    assert len(rows) == len(people) == 300
    assert sum(zones.values()) == len({f.timezone for f in people if f.timezone}) < 100
    assert max(zones.values()) == 1
    assert sum(related.values()) == len(view.skills) + len(view.outside)


def test_a_served_match_compares_clocks_now_not_on_the_jobs_posting_date(
    bare_engine: Engine, small_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A trial job posted in October said São Paulo was 6 h from Jerusalem; in November it is 5.

    The overlap filter compares clocks now, so a served reason must too; training still
    reads the job's date (outcomes happened around it).
    """
    from tandem.domain.zones import hours_apart
    from tandem.engine import queries

    bare_engine.import_bundle(small_bundle)
    jobs = bare_engine.store.jobs.iter_all()
    job = next(j for j in jobs if j.status == "open" and bare_engine._client_timezone(j.client_id))  # noqa: SLF001
    client_tz = bare_engine._client_timezone(job.client_id)  # noqa: SLF001
    assert client_tz is not None
    # six months from the posting date: every zone with daylight saving is in its other season
    moment = job.created_at.replace(month=(job.created_at.month + 5) % 12 + 1, day=15)
    monkeypatch.setattr(queries, "now_utc", lambda: moment)
    served = bare_engine.match(job.id, top=None)
    people = bare_engine.store.freelancers.get_many([r.freelancer_id for r in served])
    moved = 0
    for r in served:
        zone = people[r.freelancer_id].timezone
        reason = next(x for x in r.reasons if x.code == "timezone")
        then = hours_apart(client_tz, zone, job.created_at)
        now = hours_apart(client_tz, zone, moment)
        if now is None:
            continue
        assert reason.text == f"{now:g} h apart from the client"
        moved += then != now
    assert moved  # the market has zones whose distance changed: the test can tell
    view = bare_engine.matcher.view(job)
    trained = bare_engine.matcher.feature_rows(view, [people[served[0].freelancer_id]])[0]
    zone = people[served[0].freelancer_id].timezone
    assert trained.timezone.hours_apart == hours_apart(client_tz, zone, job.created_at)
