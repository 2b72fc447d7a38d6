"""How a contribution to a score is written, in every face: "+0.120", "-0.050", "0.000".

A reason's points are signed so that a reader sees at once what pulled a score up and what
pulled it down. A contribution that rounds to zero at the digits shown pulled neither way,
and "-0.000" (or "+0.000") says it did: it is written without a sign. The CLI (``tandem
why``, ``tandem compare``), the web pages (the ``points`` filter) and the companion all write
points here.
"""

from __future__ import annotations


def points_text(value: float, digits: int = 3) -> str:
    """``value`` signed to ``digits`` decimals; what rounds to zero is written unsigned."""
    text = f"{value:+.{digits}f}"
    return text[1:] if float(text) == 0 else text
