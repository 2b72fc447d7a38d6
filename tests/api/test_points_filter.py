"""The web pages write a reason's points as every face does (``tandem.explain.points``)."""

from __future__ import annotations

from tandem.api.pages import templates


def test_the_reasons_partial_writes_no_minus_zero() -> None:
    """``_reasons.html`` printed "-0.000" for a contribution that rounds to zero."""
    page = templates.get_template("_reasons.html")
    reasons = [
        {"kind": "negative", "text": "Rate", "contribution": -0.0002, "evidence": [], "code": "x"},
        {"kind": "positive", "text": "Skills", "contribution": 0.25, "evidence": [], "code": "y"},
    ]
    html = page.render(reasons=reasons)
    assert "-0.000" not in html and ">0.000<" in html and ">+0.250<" in html
