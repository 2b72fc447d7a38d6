"""The HTML report: self-contained, every section present, small groups shown as suppressed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from itertools import pairwise

from tandem.fairness.render import rate_chart, render_html
from tandem.fairness.report import Application, Person, ReportInput, Served, build_report

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _report() -> dict[str, object]:
    people = {
        f"w{i}": Person({"gender": "woman"}, NOW - timedelta(days=400), True) for i in range(40)
    }
    people |= {
        f"m{i}": Person({"gender": "man"}, NOW - timedelta(days=400), i > 3) for i in range(40)
    }
    people |= {"x0": Person({"gender": "other", "region": "<b>north</b>"}, NOW, False)}
    ids = list(people)
    served = [
        Served(
            NOW,
            "heuristic-1",
            tuple(ids),
            tuple((p, float((i * 7 + j) % 13)) for i, p in enumerate(ids)),
        )
        for j in range(3)
    ]
    apps = [
        Application(p, NOW, frozenset({"shortlist"} if i % 3 else ())) for i, p in enumerate(ids)
    ]
    report = build_report(ReportInput(served, apps, people))
    report["window"] = {"since": None, "until": None, "generated_at": NOW.isoformat()}
    report["models"] = []
    return report


def test_the_file_is_self_contained_and_says_what_numbers_mean() -> None:
    html = render_html(_report())
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert html.count("<svg") >= 4  # shortlist, interview, hire, scoring for gender at least
    for words in ("Summary", "Scoring rate", "Impact ratio", "skew@10", "NDKL", "Suppressed"):
        assert words in html
    assert "suppressed (&lt;5 people)" in html  # "other": one person
    assert "<b>north</b>" not in html  # attribute values are escaped
    # people_ranked counts what was served: the page says erased people are in it
    assert "people, counted as served: people erased since included" in html


def test_a_chart_leaves_suppressed_groups_out_and_greys_small_ones() -> None:
    frame = {
        "groups": {
            "a": {"rate": 0.5, "ci95": [0.4, 0.6], "finding": True},
            "b": {"rate": 0.2, "ci95": [0.1, 0.3], "finding": False},
            "c": {"rate": None, "ci95": None, "finding": None, "suppressed": True},
        }
    }
    svg = str(rate_chart(frame, "test"))
    assert ">a<" in svg and ">b<" in svg and ">c<" not in svg
    assert "#98a2b3" in svg and "#1f6f5c" in svg


class _Headings(HTMLParser):
    """The levels of a document's headings, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.levels.append(int(tag[1]))


def test_no_heading_skips_a_level() -> None:
    """Newcomers (an h2) and each intersection (under an h2) had h4 parts: axe's heading-order.

    Someone who moves through the report by headings reads a skipped level as a missing
    section; the standalone file and the web page (whose h1 is the page's) share the body.
    """
    report = _report()
    assert report["intersections"]  # two attributes known: the intersections section is there
    found = _Headings()
    found.feed(render_html(report))
    assert found.levels[0] == 1 and 4 in found.levels
    skips = [(a, b) for a, b in pairwise(found.levels) if b > a + 1]
    assert skips == []


def test_the_html_report_shows_no_rate_of_a_group_under_five_people() -> None:
    people = {
        f"w{i}": Person({"gender": "woman"}, NOW - timedelta(days=400), True) for i in range(40)
    }
    people |= {
        f"x{i}": Person({"gender": "non-binary"}, NOW - timedelta(days=400), True) for i in range(9)
    }
    shown = [*(f"w{i}" for i in range(40)), "x0", "x1", "x2", "x3"]  # 4 of the 9 ever ranked
    served = [
        Served(
            NOW,
            "m1",
            tuple(people),
            tuple((p, float((i * 5 + j) % 11)) for i, p in enumerate(shown)),
        )
        for j in range(3)
    ]
    report = build_report(ReportInput(served, [], people))
    report["window"] = {"since": None, "until": None, "generated_at": NOW.isoformat()}
    report["models"] = []
    row = report["attributes"]["gender"]["scoring"]["groups"]["non-binary"]
    assert row["suppressed"] is True and row["rate"] is None
    html = render_html(report)
    body = html[html.index("Scoring rate") :]
    line = next(x for x in body.split("</tr>") if ">non-binary<" in x)
    assert "suppressed (&lt;5 people)" in line
