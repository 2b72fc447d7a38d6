"""An auditor's view of a logged search, read through the engine: no search words anywhere."""

from __future__ import annotations

import json

from tandem.engine import Engine, TalentQuery
from tests.conftest import Cast


def test_an_auditor_reads_a_talent_search_without_its_words(engine: Engine, cast: Cast) -> None:
    person = next(f for f in engine.store.freelancers.iter_all() if len(f.title.split()) >= 2)
    words = person.title  # found by its words, so the reasons quote them
    skill = person.skills[0] if person.skills else None
    query = TalentQuery(text=words, skills=[skill] if skill else [])
    ranking = cast.view(engine, "client-own").search_talent(query)
    logged = engine.store.decisions.get(ranking.request_id)
    quoted = " ".join(r.text for item in logged.results for r in item.reasons)
    assert words in quoted  # the whole entry quotes them: what the auditor must not read
    seen = cast.view(engine, "auditor").decision(ranking.request_id)
    payload = json.dumps(seen.model_dump(mode="json")).lower()
    texts = [r.text for item in seen.results for r in item.reasons]
    assert any("the search words" in t for t in texts), texts
    for word in {w.lower() for w in words.split() if len(w) > 3}:
        assert word not in payload, word
    if skill:
        assert skill.lower() not in payload


def test_an_auditor_reads_no_word_a_partial_keyword_reason_quotes() -> None:
    from tandem.access.projections import _reason_for_audit
    from tandem.domain import Reason

    text = "Matches 'developer' of 'python developer' (keyword rank 13)"
    seen = _reason_for_audit(
        Reason(code="keyword_match", text=text, kind="positive"), "python developer"
    )
    assert seen.text == "Matches some of the search words (keyword rank 13)"
