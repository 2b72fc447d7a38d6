"""The audit report as one self-contained HTML file: inline CSS, charts as inline SVG.

No script, no CDN, no font download: the file opens offline and can be archived as the audit
of record. Charts are drawn here as plain SVG (a bar per group with its 95% interval), and
every number sits in a table beside its chart, so nothing is only visible as a picture.
The same body is embedded in the web UI's auditor page (:func:`render_body`).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any
from xml.sax.saxutils import escape

from jinja2 import Environment, StrictUndefined, Template
from markupsafe import Markup

#: Bars in a chart are this wide at a value of 1.0 (pixels).
BAR_WIDTH = 320
ROW_HEIGHT = 22
LABEL_WIDTH = 170


def fmt(value: Any, digits: int = 3) -> str:
    """A number for a table cell ("n/a" for a missing one)."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def rate_chart(frame: dict[str, Any], title: str, reference: float | None = None) -> Markup:
    """Horizontal bars of each group's rate with its 95% interval as a whisker.

    Groups that are not a finding (too few people) are drawn grey, not in colour; suppressed
    groups (see :data:`tandem.fairness.report.MIN_SHOWN`) are left out.
    """
    groups = [(n, g) for n, g in frame.get("groups", {}).items() if not g.get("suppressed")]
    if not groups:
        return Markup("")
    top = max([1e-9] + [g["ci95"][1] or g["rate"] or 0 for _, g in groups])
    scale = BAR_WIDTH / top
    height = ROW_HEIGHT * len(groups) + 30
    width = LABEL_WIDTH + BAR_WIDTH + 90
    parts = [
        f'<svg role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (name, g) in enumerate(groups):
        y = 8 + i * ROW_HEIGHT
        rate = g["rate"] or 0.0
        colour = "#1f6f5c" if g["finding"] else "#98a2b3"
        label = escape(name if len(name) <= 24 else name[:23] + "…")
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end" font-size="12" '
            f'fill="#1d2433">{label}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{rate * scale:.1f}" height="14" '
            f'fill="{colour}"/>'
        )
        low, high = g["ci95"]
        if low is not None and high is not None:
            x1, x2 = LABEL_WIDTH + low * scale, LABEL_WIDTH + high * scale
            parts.append(
                f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{y + 10}" y2="{y + 10}" '
                'stroke="#1d2433" stroke-width="1.5"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 13}" font-size="12" '
            f'fill="#344054">{fmt(g["rate"])}</text>'
        )
    if reference is not None and reference <= top:
        x = LABEL_WIDTH + reference * scale
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="4" y2="{height - 20}" stroke="#b42318" '
            'stroke-dasharray="4 3"/>'
        )
    parts.append(
        f'<text x="{LABEL_WIDTH}" y="{height - 6}" font-size="11" fill="#475467">'
        "bar: rate; line: 95% interval; grey: fewer than 30 people (not a finding)</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))


@cache
def _template(name: str) -> Template:
    """A packaged template, compiled once per process (compiling took longer than rendering)."""
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True)
    env.filters["fmt"] = fmt
    env.globals["rate_chart"] = rate_chart
    source = resources.files("tandem.fairness") / "templates" / name
    return env.from_string(source.read_text(encoding="utf-8"))


def render_body(report: dict[str, Any]) -> Markup:
    """The report's sections as an HTML fragment (for the web UI's auditor page)."""
    return Markup(_template("report_body.html").render(r=report))


def render_html(report: dict[str, Any]) -> str:
    """The whole report as a self-contained HTML document."""
    return _template("report.html").render(r=report, body=render_body(report))
