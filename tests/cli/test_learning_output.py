"""`tandem learn` prints what it did as lines a person reads, nested mappings indented."""

from __future__ import annotations

import pytest

from tandem.cli.learning import _print_mapping


def test_nested_results_print_as_indented_lines(capsys: pytest.CaptureFixture[str]) -> None:
    _print_mapping({"status": "promoted", "serving": {"applicants": "v2", "discovery": "v1"}})
    assert capsys.readouterr().out.splitlines() == [
        "status: promoted",
        "serving:",
        "  applicants: v2",
        "  discovery: v1",
    ]
