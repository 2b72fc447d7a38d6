from tandem.companion.finding import FindSession
from tandem.engine import Engine


def test_request_then_refinements(loaded_engine: Engine) -> None:
    session = FindSession(loaded_engine)
    first = session.ask("find me a developer under $50/h who overlaps with CET")
    assert first.query.max_rate == 50
    assert any("timezone" in c for c in first.changes)
    assert all(r.hourly_rate <= 50 for r in first.ranking.results)

    cheaper = session.ask("cheaper")
    assert cheaper.query.max_rate == 40 and "cheaper" in cheaper.changes[0]
    assert all(r.hourly_rate <= 40 for r in cheaper.ranking.results)

    strict = session.ask("only 90%+ job success")
    assert strict.query.min_job_success == 90
    for r in strict.ranking.results:
        assert (loaded_engine.store.freelancers.get(r.freelancer_id).job_success or 0) >= 90

    relaxed = session.ask("show newcomers too")
    assert relaxed.query.min_job_success is None and relaxed.query.max_rate == 40

    skill = next(
        s
        for f in loaded_engine.store.freelancers.iter_all()
        for s in loaded_engine.normaliser.normalise(f.skills)
        if s in loaded_engine.taxonomy
    )
    must = session.ask(f"must know {skill}")
    assert skill in must.query.skills
    assert len(session.turns) == 5
    assert loaded_engine.store.decisions.get(must.ranking.request_id).surface == "companion"
