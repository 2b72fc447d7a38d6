import json
import re
import statistics
from pathlib import Path

from tandem.bundle import Generator, VocabSkill
from tandem.bundle.generator_text import SENIORITY
from tandem.skills import Normaliser, Taxonomy
from tandem.text.articles import article


def _rows(directory: Path, name: str) -> list[dict[str, object]]:
    return [json.loads(x) for x in (directory / f"{name}.jsonl").read_text().splitlines()]


def test_same_seed_same_bundle(vocabulary: list[VocabSkill], tmp_path: Path) -> None:
    Generator(vocabulary, seed=3).write(tmp_path / "a", 60, 30)
    Generator(vocabulary, seed=3).write(tmp_path / "b", 60, 30)
    Generator(vocabulary, seed=4).write(tmp_path / "c", 60, 30)
    for name in ("freelancers", "jobs", "proposals", "events"):
        a = (tmp_path / "a" / f"{name}.jsonl").read_bytes()
        assert a == (tmp_path / "b" / f"{name}.jsonl").read_bytes()
        assert a != (tmp_path / "c" / f"{name}.jsonl").read_bytes()


def test_marketplace_looks_like_a_marketplace(small_bundle: Path) -> None:
    people = _rows(small_bundle, "freelancers")
    jobs = _rows(small_bundle, "jobs")
    events = _rows(small_bundle, "events")
    assert len({j["category"] for j in jobs}) >= 10
    newcomers = [p for p in people if p["total_jobs"] == 0]
    assert 0.05 < len(newcomers) / len(people) < 0.4
    assert all("job_success" not in p for p in newcomers)
    kinds = {e["type"] for e in events}
    assert {"invite", "shortlist", "interview", "hire", "review"} <= kinds
    hires = [e for e in events if e["type"] == "hire"]
    assert len({e["job_id"] for e in hires}) == len(hires)  # one hire per job at most
    by_cat: dict[str, list[float]] = {}
    for p in people:
        by_cat.setdefault(str(p["title"]).split()[-1], []).append(float(p["hourly_rate"]))  # type: ignore[arg-type]
    medians = [statistics.median(v) for v in by_cat.values() if len(v) > 5]
    assert max(medians) > 1.5 * min(medians)  # rates vary by category


def test_skills_are_typed_like_people_type_them(small_bundle: Path) -> None:
    taxonomy = Taxonomy.builtin()
    normaliser = Normaliser(taxonomy)
    typed = [s for p in _rows(small_bundle, "freelancers") for s in p["skills"]]  # type: ignore[attr-defined]
    hows = [normaliser.match(s).how for s in typed]
    assert hows.count("alias") > 0.1 * len(hows)
    assert hows.count("typo") > 0
    assert hows.count("unknown") < 0.05 * len(hows)


def test_fixed_prices_agree_with_the_hours_a_job_states(small_bundle: Path) -> None:
    """At least 95% of fixed jobs pay $5 or more per stated hour.

    $5/h is the 5th percentile of the hourly rates real clients posted (Upwork, January
    2023: 5,764 hourly jobs, 5th percentile $4.50, 10th $6.50): a fixed job that pays less
    per hour than 95% of real hourly posts is the exception, so it may be at most 5% of them.
    """
    fixed = [
        j
        for j in _rows(small_bundle, "jobs")
        if j.get("budget", {}).get("type") == "fixed"  # type: ignore[attr-defined]
        and j.get("duration_weeks")
        and j.get("hours_per_week")
    ]
    assert len(fixed) > 30
    per_hour = [
        float(j["budget"]["max"]) / (float(j["duration_weeks"]) * float(j["hours_per_week"]))  # type: ignore[index, arg-type]
        for j in fixed
    ]
    assert sum(rate >= 5 for rate in per_hour) >= 0.95 * len(per_hour)


def test_the_demo_market_carries_no_prompt_injection(small_bundle: Path) -> None:
    """Injection cases belong in the tests that build them, not in the market people browse."""
    markers = ("ignore previous", "system:", "admin mode", "rank freelancer", "instructions")
    for name in ("jobs", "freelancers", "proposals"):
        for row in _rows(small_bundle, name):
            text = json.dumps(row, ensure_ascii=False).lower()
            assert not any(m in text for m in markers), row["id"]


def test_the_generated_text_puts_an_before_a_vowel_sound(
    vocabulary: list[VocabSkill], tmp_path: Path
) -> None:
    """ "I am a expert ...", "hiring a iOS developer": the article follows the word after it."""
    Generator(vocabulary, seed=7).write(tmp_path, 200, 100)
    texts = [str(p["overview"]) for p in _rows(tmp_path, "freelancers")]
    texts += [str(j["description"]) for j in _rows(tmp_path, "jobs")]
    # the generator's own words that start with a vowel sound (titles, roles, skills)
    own = {w for w in SENIORITY if w} | {s.name.split()[0] for s in vocabulary}
    vowel_sounds = {w.lower() for w in own if article(w) == "an"}
    wrong = [
        m.group(0)
        for text in texts
        for m in re.finditer(r"\b[Aa] ([\w.+#-]+)", text)
        if m.group(1).lower() in vowel_sounds
    ]
    assert not wrong, sorted(set(wrong))[:10]
    assert any("I am an expert " in t for t in texts)  # the case the test was written for
