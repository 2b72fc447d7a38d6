"""Market styles: named knobs that change how a market words posts and how its clients hire."""

import json
import random
import re
import statistics
from pathlib import Path

import pytest

from tandem.bundle import Generator, VocabSkill
from tandem.bundle.generator_style import STYLES, MarketStyle, Segment
from tandem.skills import Normaliser, Taxonomy
from tandem.text.requirements import marked_parts, split_skills


def _rows(directory: Path, name: str) -> list[dict[str, object]]:
    return [json.loads(x) for x in (directory / f"{name}.jsonl").read_text().splitlines()]


def test_a_style_keeps_the_people_and_changes_the_posts(
    vocabulary: list[VocabSkill], tmp_path: Path
) -> None:
    Generator(vocabulary, seed=5).write(tmp_path / "default", 80, 40)
    Generator(vocabulary, seed=5, style="agency").write(tmp_path / "agency", 80, 40)
    a, b = tmp_path / "default", tmp_path / "agency"
    assert (a / "freelancers.jsonl").read_bytes() == (b / "freelancers.jsonl").read_bytes()
    jobs_a, jobs_b = _rows(a, "jobs"), _rows(b, "jobs")
    assert jobs_a[0]["title"] == jobs_b[0]["title"]  # applicant counts differ after the first
    pairs = zip(jobs_a, jobs_b, strict=True)
    changed = [j for j, k in pairs if j["description"] != k["description"]]
    assert len(changed) > 20
    assert any("\n- " in str(j["description"]) or "\n* " in str(j["description"]) for j in jobs_b)


def test_default_style_draws_nothing_extra(vocabulary: list[VocabSkill], tmp_path: Path) -> None:
    gen = Generator(vocabulary, seed=5)
    before = gen.style_rng.getstate()
    gen.write(tmp_path / "m", 60, 30)
    assert gen.style_rng.getstate() == before and STYLES["default"].is_default


def test_the_parser_recovers_what_each_style_marks(
    vocabulary: list[VocabSkill], tmp_path: Path
) -> None:
    """Posts of every wording, read back: required and nice-to-have as the generator chose."""
    normaliser = Normaliser(Taxonomy.builtin())
    names = {v.name for v in vocabulary}

    def named(text: str) -> list[str]:  # whole names, the longest where names overlap
        found = [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)]
        return [n for n in found if not any(n != m and n in m for m in found)]

    gen = Generator(vocabulary, seed=9, style="specialist")
    people = [gen.freelancer(i) for i in range(5)]
    assert people
    agree = total = 0
    for i in range(150):
        job = gen.job(i, gen.client(i))
        if not job.record["skills"] or not job.nice:
            continue
        field = [s for s in normaliser.normalise(job.record["skills"]) if s]
        out = split_skills(field, field, marked_parts(job.record["description"]), named)
        total += 1
        agree += set(out.required) == set(job.required) and set(out.nice) == set(job.nice)
    assert total > 40 and agree / total >= 0.9


def test_hidden_weights_follow_the_client_segment(vocabulary: list[VocabSkill]) -> None:
    style = MarketStyle(
        name="t", segments={"small": Segment({"quality": 3.0}), "large": Segment({"quality": 0})}
    )
    gen = Generator(vocabulary, seed=2, style=style)
    person = gen.freelancer(1)
    person.quality = 1.0
    client = gen.client(1)
    job = gen.job(1, client)
    by_size = {}
    for size in ("1", "1000+"):
        job.segment = style.segment(size)
        by_size[size] = gen.utility(job, person, 1.0)
    assert by_size["1"] - by_size["1000+"] == pytest.approx(3.0)


def test_price_sensitivity_steepens_the_loss_over_budget(vocabulary: list[VocabSkill]) -> None:
    values = {}
    for slope in (1.0, 2.5):
        gen = Generator(vocabulary, seed=2, style=MarketStyle(name="t", price_sensitivity=slope))
        person, job = gen.freelancer(1), gen.job(1, gen.client(1))
        job.budget_max_usd = 100.0
        values[slope] = gen.utility(job, person, 100.0) - gen.utility(job, person, 130.0)
    assert values[2.5] > values[1.0] > 0


def test_applicants_per_job_follow_the_style(vocabulary: list[VocabSkill], tmp_path: Path) -> None:
    per_job = {}
    for name in ("gig", "crowded"):
        # 900 people: with 300 a job's pool of fitting people (16-20) capped a crowded job's
        # applicants below what its style draws (a median of ~27)
        Generator(vocabulary, seed=4, style=name).write(tmp_path / name, 900, 60)
        counts: dict[object, int] = {}
        for p in _rows(tmp_path / name, "proposals"):
            counts[p["job_id"]] = counts.get(p["job_id"], 0) + 1
        per_job[name] = statistics.median(counts.values())
    assert per_job["crowded"] > 2 * per_job["gig"]


def test_better_freelancers_tailor_their_letters_more_often() -> None:
    style = STYLES["agency"]
    rng = random.Random(1)
    good = sum(style.letter_style(rng, 1.5) == "tailored" for _ in range(2000))
    weak = sum(style.letter_style(rng, -1.5) == "tailored" for _ in range(2000))
    assert good > 2 * weak


def test_unknown_style_or_term_is_refused(vocabulary: list[VocabSkill]) -> None:
    with pytest.raises(ValueError, match="unknown market style"):
        Generator(vocabulary, style="nope")
    with pytest.raises(ValueError, match="unknown hiring-model terms"):
        MarketStyle(segments={"small": Segment({"charm": 1.0})})
