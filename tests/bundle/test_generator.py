import json
import statistics
from pathlib import Path

from tandem.bundle import Generator, VocabSkill
from tandem.skills import Normaliser, Taxonomy


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
