"""Small groups in the audit report as the engine serves it (trial 19).

The trial read, as an auditor, a scoring rate of 0.833 over 4 non-binary people and a ranking
card's rate over 3 established people: every face reads the report through the engine, so
the rule is checked there, on a market with such groups.
"""

from __future__ import annotations

from tandem.access import Identity
from tandem.engine import Engine
from tests.fairness.test_report import _rows_under


def test_the_served_report_and_card_suppress_every_group_under_five(
    loaded_engine: Engine,
) -> None:
    operator = loaded_engine.as_user(Identity("op", "operator"), "api")
    auditor = loaded_engine.as_user(Identity("aud", "auditor"), "api")
    jobs = [j.id for j in loaded_engine.store.jobs.iter_all()][:3]
    for job_id in jobs:
        operator.serve_match(job_id, top=6, candidates="all")
    report = auditor.audit_report()
    small = _rows_under(report, 5)
    assert small, "the market should have a group of fewer than five people in some frame"
    for row in small:
        assert row["suppressed"] is True, row
        assert row["rate"] is None and row["ci95"] is None and row["impact_ratio"] is None
