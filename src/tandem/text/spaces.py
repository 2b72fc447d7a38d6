r"""Runs of whitespace shortened at the door, so no reader pays for them twice over.

Many of the readers' patterns start or end with ``\s*`` (a budget's "per month", a skill's
"API" after it, a clause break): searched over a run of whitespace, each position of the run
scans the rest of it, so a run of n blanks costs n²/2 steps per pattern. A trial's job post
with 15,000 blanks between two words took 127 s to draft and, being regex work, held the
interpreter lock all that time (every other request of the server waited). A run of more
than :data:`MAX_RUN` whitespace characters says nothing more than its first eight do
(indentation, a blank line or two), so text from outside keeps those and drops the rest:
the quadratic cost is then bounded by a constant per run, whatever the input.
"""

from __future__ import annotations

import re
from typing import Final

#: The longest run of whitespace characters (blanks, tabs, line breaks) text keeps.
MAX_RUN: Final = 8
_LONG_RUN: Final = re.compile(rf"\s{{{MAX_RUN + 1},}}")


def bounded_spaces(text: str) -> str:
    """``text`` with every run of more than :data:`MAX_RUN` whitespace characters cut to it."""
    return _LONG_RUN.sub(lambda m: m.group()[:MAX_RUN], text)
