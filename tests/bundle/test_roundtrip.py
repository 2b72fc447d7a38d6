import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.engine import Engine
from tests.conftest import make_settings


def _read(directory: Path, name: str) -> dict[str, dict[str, object]]:
    rows = [json.loads(line) for line in (directory / f"{name}.jsonl").read_text().splitlines()]
    return {r["id"]: r for r in rows}


def test_generated_bundle_round_trips(
    bare_engine: Engine, small_bundle: Path, tmp_path: Path
) -> None:
    bare_engine.import_bundle(small_bundle)
    out = tmp_path / "export"
    counts = bare_engine.export_bundle(out)
    assert counts["freelancers"] == 300 and counts["jobs"] == 150
    for name in ("clients", "freelancers", "jobs", "proposals", "events"):
        original, exported = _read(small_bundle, name), _read(out, name)
        assert original.keys() == exported.keys()
        sample = sorted(original)[:40]
        for key in sample:
            assert _comparable(original[key]) == _comparable(exported[key]), (name, key)


def _comparable(row: dict[str, object]) -> dict[str, object]:
    """Numbers compare as floats (30 and 30.0 are the same amount)."""
    return json.loads(json.dumps(row), parse_int=float)


names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=names,
    rate=st.floats(min_value=0, max_value=1e5, allow_nan=False),
    skills=st.lists(names, max_size=5),
    extra=st.dictionaries(st.sampled_from(["badge", "tier", "notes"]), st.integers() | names),
)
def test_any_valid_freelancer_round_trips(
    tmp_path_factory: object, name: str, rate: float, skills: list[str], extra: dict[str, object]
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        engine = Engine(make_settings(root / "home"))
        row = {
            "id": "f1",
            "name": name,
            "hourly_rate": rate,
            "country": "BR",
            "joined_at": "2025-05-05T05:05:05Z",
            "skills": skills,
            **extra,
        }
        bundle = root / "in"
        bundle.mkdir()
        (bundle / "freelancers.jsonl").write_text(json.dumps(row) + "\n")
        (bundle / "jobs.jsonl").write_text("")
        from tandem.bundle import BundleImporter

        BundleImporter(engine.store).import_dir(bundle)
        engine.export_bundle(root / "out")
        exported = json.loads((root / "out" / "freelancers.jsonl").read_text())
        engine.store.close()
    assert _comparable(exported) == _comparable(row)
