"""Contact details and attributes stay out of the decision log, the indexes, logs and the LLM.

Every freelancer of a market types their email and phone into their overview and carries a
recognisable attribute; rankings, searches and a companion draft are served; then each place
is searched for those values.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from tandem.companion.coaching import draft_proposal
from tandem.embed import HashingEncoder
from tandem.engine import Engine, TalentQuery
from tests.companion.conftest import acting
from tests.companion.test_llm import Recorder
from tests.conftest import make_settings
from tests.test_cli_privacy import traces


def _typed_contacts(bundle: Path) -> list[str]:
    """Make every overview quote its owner's email and phone; returns every value to hide."""
    path = bundle / "freelancers.jsonl"
    secrets: list[str] = []
    lines = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        record = json.loads(line)
        email, phone = f"person{n}@mail.example", f"+49 151 {n:04d} 7788"
        record.update(email=email, phone=phone, attributes={"ethnicity": f"attrvalue{n:04d}x"})
        record["overview"] = f"{record.get('overview', '')} Reach me at {email} or {phone}."
        record["title"] = f"{record.get('title', '')} (call {phone})"
        secrets += [email, phone, f"attrvalue{n:04d}x"]
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return secrets


def test_contacts_and_attributes_reach_no_log_index_or_model(
    tmp_path: Path, small_bundle: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bundle = tmp_path / "bundle"
    shutil.copytree(small_bundle, bundle)
    secrets = _typed_contacts(bundle)
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    recorder = Recorder("A short proposal.")
    engine.__dict__["llm"] = recorder  # the optional model, as settings would wire it
    engine.import_bundle(bundle)
    served = [engine.serve_match(j.id, top=50) for j in list(engine.store.jobs.iter_all())[:3]]
    people, _ = engine.store.freelancers.page(0, 3)
    for person in people:
        engine.serve_recommend(person.id, top=5)
    served.append(engine.serve_search_talent(TalentQuery(text="bookkeeping design", top=20)))
    shown = "\n".join(r.model_dump_json() for r in served)  # what a client is shown
    # a job the person has not applied to (a draft for one applied to is refused)
    engaged = engine.engaged_jobs(people[0].id)
    job = next(j for j in engine.store.jobs.iter_all() if j.id not in engaged)
    draft_proposal(acting(engine), people[0].id, job.id)

    assert recorder.sent, "the draft went through the model"
    sent = "\n".join(recorder.sent)
    logged = "\n".join(
        json.dumps(row, default=str) for row in engine.store.db.fetchall("SELECT * FROM decisions")
    )
    for secret in secrets:
        assert secret not in sent and secret not in logged and secret not in caplog.text
        assert secret not in shown
    assert traces(engine.settings.index_dir, secrets) == []
    engine.store.close()
