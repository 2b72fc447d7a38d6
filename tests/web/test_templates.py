"""The web templates keep to the Content-Security-Policy: no inline script or style."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

TEMPLATES = Path(str(resources.files("tandem.web") / "templates"))
#: A <script> element with content, rather than only a ``src``.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
#: Inline event handlers (onclick=, onload=, ...) and javascript: URLs run as inline script.
HANDLER = re.compile(r"""\son[a-z]+\s*=|javascript:""", re.I)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=|<style\b""", re.I)
NAMES = sorted(p.name for p in TEMPLATES.glob("*.html"))
#: Every template the web UI serves under its CSP, by name: its own, and the audit report's
#: body, which /audit includes (the report's standalone document is not served by the UI).
SERVED = {name: TEMPLATES / name for name in NAMES} | {
    "fairness/report_body.html": Path(
        str(resources.files("tandem.fairness") / "templates" / "report_body.html")
    )
}


def test_there_are_templates_to_check() -> None:
    assert "base.html" in NAMES and "job.html" in NAMES


@pytest.mark.parametrize("name", sorted(SERVED))
def test_no_template_has_inline_script_or_style(name: str) -> None:
    text = SERVED[name].read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.findall(text), f"{name}: move the script to a static .js file"
    assert not HANDLER.findall(text), f"{name}: attach handlers from a static .js file"
    assert not STYLE_ATTRIBUTE.findall(text), f"{name}: move the style to static/style.css"


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        "<SCRIPT type='module'>x()</SCRIPT>",
        '<button onclick="go()">',
        '<a href="javascript:go()">',
        '<div style="width: 3%">',
    ],
)
def test_the_checks_catch_inline_code(snippet: str) -> None:
    assert any(p.search(snippet) for p in (INLINE_SCRIPT, HANDLER, STYLE_ATTRIBUTE))


def test_the_checks_allow_script_files() -> None:
    assert not INLINE_SCRIPT.search('<script src="/static/companion.js" defer></script>')


#: One ``{% with ... %}{% include "_pager.html" %}``: the variables the pager is given.
PAGER_INCLUDE = re.compile(
    r"""\{%\s*with\s+(?P<given>[^%]*?)\s*%\}\s*\{%\s*include\s+["']_pager\.html["']"""
)
PLACE = re.compile(r"""\bplace\s*=\s*["'](?P<place>[^"']+)["']""")


@pytest.mark.parametrize("name", NAMES)
def test_a_page_with_two_pagers_names_them_apart(name: str) -> None:
    """Two ``<nav>`` landmarks with one label cannot be told apart (axe's landmark-unique).

    The pager's label is "Pages of NOUN" plus its ``place``, so a page that shows one above
    its list and one below passes each its own place.
    """
    given = [m["given"] for m in PAGER_INCLUDE.finditer(SERVED[name].read_text(encoding="utf-8"))]
    if len(given) < 2:
        return
    places = [p["place"] if (p := PLACE.search(g)) else None for g in given]
    assert None not in places and len(set(places)) == len(places), f"{name}: {places}"


def test_the_pager_says_its_place_in_its_label() -> None:
    from jinja2 import Environment

    pager = (TEMPLATES / "_pager.html").read_text(encoding="utf-8")
    label = re.search(r'<nav class="pager" aria-label="([^"]*)"', pager)
    assert label is not None
    render = Environment(autoescape=True).from_string(label[1]).render
    assert render(noun="jobs", place="top") != render(noun="jobs", place="bottom")
    assert render(noun="jobs") == "Pages of jobs"
