"""Contributions are written one way in every face: signed, and 0.000 without a sign."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from tandem.explain import points_text


def test_a_contribution_that_rounds_to_zero_has_no_sign() -> None:
    assert [points_text(v) for v in (-0.0002, 0.0004, 0.0, -0.0)] == ["0.000"] * 4
    assert [points_text(v) for v in (0.12, -0.05, -0.0005001)] == ["+0.120", "-0.050", "-0.001"]


class _Replaying:
    """An engine whose ``why`` answers one logged replay (what the CLI prints is the point)."""

    def why(self, request_id: str, freelancer_id: str) -> dict[str, Any]:
        reason = {"kind": "negative", "text": "Rate", "contribution": -0.0002, "evidence": []}
        up = {"kind": "positive", "text": "Skills", "contribution": 0.25, "evidence": []}
        return {
            "request_id": request_id, "ts": "2026-11-28T00:00:00+00:00", "kind": "match",
            "subject": "j1", "logged": {"rank": 1, "score": 0.5, "model_version": "m1",
                                        "reasons": [up, reason]},
        }  # fmt: skip


def test_tandem_why_prints_no_minus_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trial 18: ``tandem why`` printed "(-0.000)" for a contribution that rounds to zero."""
    from tandem.cli import app, ranking

    monkeypatch.setattr(ranking, "open_engine", _Replaying)
    result = CliRunner().invoke(app, ["why", "r1", "f1"])
    assert result.exit_code == 0, result.output
    assert "Rate (0.000)" in result.output and "Skills (+0.250)" in result.output
    assert "-0.000" not in result.output
