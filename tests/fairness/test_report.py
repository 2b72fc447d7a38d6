"""The audit report's numbers, each checked against a small case computed by hand."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.fairness.frames import (
    Appearance,
    Observation,
    exposure_frame,
    rate_frame,
    representation,
)
from tandem.fairness.metrics import attention, ndkl, rank_auc, skew, wilson
from tandem.fairness.proxy import proxy_check
from tandem.fairness.report import (
    Application,
    Person,
    ReportCounts,
    ReportInput,
    Served,
    attribute_names,
    build_report,
    by_attribute,
    by_intersection,
    by_newcomer,
    positives_in_top,
    scoring,
    section,
    selection,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)
OLD = NOW - timedelta(days=400)


# -- formulas ---------------------------------------------------------------------------------
def test_wilson_interval_matches_the_textbook_values() -> None:
    low, high = wilson(5, 10)
    assert (round(low, 4), round(high, 4)) == (0.2366, 0.7634)
    low, high = wilson(0, 10)
    assert low == 0.0 and round(high, 4) == 0.2775
    assert all(math.isnan(v) for v in wilson(0, 0))


def test_attention_is_the_dcg_discount() -> None:
    assert attention(1) == 1.0
    assert attention(3) == 0.5
    with pytest.raises(ValueError):
        attention(0)


def test_skew_is_a_log_ratio_with_the_edges_said_plainly() -> None:
    assert skew(0.5, 0.25) == pytest.approx(math.log(2))
    assert skew(0.0, 0.25) == -math.inf
    assert math.isnan(skew(0.5, 0.0))


def test_ndkl_by_hand() -> None:
    # prefix 1: {a: 1} against {a: .5, b: .5} -> log 2; prefix 2 matches: 0.
    assert ndkl(["a", "b"], {"a": 0.5, "b": 0.5}) == pytest.approx(
        math.log(2) / (1 + 1 / math.log2(3))
    )
    assert math.isnan(ndkl([], {"a": 1.0}))
    assert ndkl(["a"], {"a": 1.0}) == 0.0


def test_rank_auc_by_hand() -> None:
    assert rank_auc([3, 2, 1], [True, False, False]) == 1.0
    assert rank_auc([1, 2, 3], [True, False, False]) == 0.0
    assert rank_auc([1, 1], [True, False]) == 0.5
    # members 2 and 3 against 1 and 2: 1 + 0.5 + 1 + 1 of 4 pairs
    assert rank_auc([1, 2, 2, 3], [False, True, False, True]) == 0.875
    assert math.isnan(rank_auc([1, 2], [True, True]))
    assert rank_auc([math.nan, 2, 1], [False, True, False]) == 1.0  # NaN rows left out


@given(st.lists(st.tuples(st.floats(-5, 5), st.booleans()), min_size=2, max_size=30))
def test_rank_auc_is_a_probability_and_flips(pairs: list[tuple[float, bool]]) -> None:
    values, members = [v for v, _ in pairs], [m for _, m in pairs]
    auc = rank_auc(values, members)
    if math.isnan(auc):
        assert all(members) or not any(members)
        return
    assert 0.0 <= auc <= 1.0
    assert rank_auc([-v for v in values], members) == pytest.approx(1 - auc)


# -- frames -----------------------------------------------------------------------------------
def test_rate_frame_counts_people_flags_small_groups_and_keeps_them_out_of_the_minimum() -> None:
    obs = [Observation("a", f"a{i}", hit) for i in range(30) for hit in (True, False)]
    obs += [Observation("b", f"b{i}", i < 6) for i in range(30)]
    obs += [Observation("c", "c0", True), Observation("c", "c1", True)]
    obs += [Observation(None, "u", True)] * 3
    frame = rate_frame(obs)
    a, b, c = frame.by_group["a"], frame.by_group["b"], frame.by_group["c"]
    assert (a.n, a.people, a.hits, a.rate) == (60, 30, 30, 0.5)
    assert (b.n, b.people, b.hits, b.rate) == (30, 30, 6, 0.2)
    assert b.impact_ratio == pytest.approx(0.4)
    # c: 2 people, 100% selected: not a finding, so it does not set the bar
    assert (c.finding, c.counted, c.impact_ratio) == (False, True, 2.0)
    assert frame.unknown == 3
    assert frame.min_impact_ratio == pytest.approx(0.4)
    out = frame.as_dict()
    assert out["groups"]["a"]["ci95"] == [round(x, 6) for x in wilson(30, 60)]


def test_one_group_that_is_a_finding_is_no_comparison() -> None:
    obs = [Observation("old", f"o{i}", i < 15) for i in range(40)]
    obs += [Observation("new", f"n{i}", True) for i in range(5)]  # 5 people: not a finding
    frame = rate_frame(obs)
    assert frame.by_group["old"].impact_ratio == 1.0
    assert math.isnan(frame.min_impact_ratio)  # not "1.000": nothing was compared
    assert frame.as_dict()["min_impact_ratio"] is None


def test_rate_frame_leaves_groups_under_two_percent_out() -> None:
    obs = [Observation("a", f"a{i}", i < 10) for i in range(60)]
    obs += [Observation("b", f"b{i}", i < 30) for i in range(60)]
    obs += [Observation("x", "x0", True)]  # 1 of 121: under 2%
    frame = rate_frame(obs)
    assert not frame.by_group["x"].counted
    assert frame.by_group["a"].impact_ratio == pytest.approx(1 / 3)


def test_exposure_by_hand() -> None:
    groups = ["a", "a", "b", "b"]
    relevance = [1.0, 2 / 3, 1 / 3, 0.0]
    pairs = enumerate(zip(groups, relevance, strict=True))
    rows = exposure_frame(Appearance(g, f"p{i}", i + 1, r) for i, (g, r) in pairs)
    seen_a = 1 + 1 / math.log2(3)
    total = seen_a + 0.5 + 1 / math.log2(5)
    assert rows["a"].exposure_share == pytest.approx(seen_a / total)
    assert rows["a"].relevance_share == pytest.approx((5 / 3) / 2)
    assert rows["a"].ratio == pytest.approx((seen_a / total) / (5 / 6))
    assert rows["b"].relevance_share == pytest.approx(1 / 6)


def test_skew_and_ndkl_by_hand() -> None:
    rep = representation([(["a", "b"], ["a", "b", "b", "b", None])], k=1)
    assert rep.by_group["a"].skew == pytest.approx(math.log(4))
    assert rep.by_group["b"].skew == -math.inf
    kl2 = 0.5 * math.log(0.5 / 0.25) + 0.5 * math.log(0.5 / 0.75)
    assert rep.ndkl == pytest.approx((math.log(4) + kl2 / math.log2(3)) / (1 + 1 / math.log2(3)))
    assert rep.by_group["b"].candidates == 3  # the unknown candidate is left out


# -- the report's sections --------------------------------------------------------------------
def _people() -> dict[str, Person]:
    return {
        "p1": Person({"gender": "woman", "region": "north"}, OLD, True),
        "p2": Person({"gender": "woman"}, NOW - timedelta(days=10), True),  # newcomer: joined
        "p3": Person({"gender": "man", "region": "south"}, OLD, False),  # newcomer: no reviews
        "p4": Person({"gender": "man", "region": "north"}, OLD, True),
    }


def test_scoring_rate_is_above_the_lists_median() -> None:
    served = [Served(NOW, "m1", (), (("p1", 4.0), ("p2", 3.0), ("p3", 2.0), ("p4", 1.0)))]
    people = _people()
    out = scoring(served, lambda p, _ts: people[p].attributes["gender"])
    assert out["groups"]["woman"]["hits"] == 2 and out["groups"]["man"]["hits"] == 0
    assert out["groups"]["woman"]["n"] == 2


def test_selection_per_stage_among_applicants() -> None:
    apps = [
        Application("p1", NOW, frozenset({"shortlist", "interview", "hire"})),
        Application("p2", NOW, frozenset({"shortlist"})),
        Application("p3", NOW, frozenset()),
        Application("p4", NOW, frozenset({"shortlist", "interview"})),
        Application("ghost", NOW, frozenset({"hire"})),
    ]
    people = _people()
    out = selection(apps, lambda p, _ts: people[p].attributes["gender"] if p in people else None)
    assert out["shortlist"]["groups"]["woman"]["rate"] == 1.0
    assert out["shortlist"]["groups"]["man"]["rate"] == 0.5
    assert out["hire"]["groups"]["woman"]["hits"] == 1 and out["hire"]["unknown"] == 1


def test_intersections_and_newcomers() -> None:
    people = _people()
    cross = by_intersection(people, "gender", "region")
    assert cross("p1", NOW) == "woman & north"
    assert cross("p2", NOW) is None  # region not disclosed
    fresh = by_newcomer(people)
    assert [fresh(p, NOW) for p in ("p1", "p2", "p3", "p4")] == [
        "established",
        "newcomer",
        "newcomer",
        "established",
    ]
    assert fresh("p2", NOW + timedelta(days=100)) == "established"


def test_proxy_check_finds_a_separating_feature_and_ignores_small_groups() -> None:
    persons = [f"w{i}" for i in range(30)] + [f"m{i}" for i in range(30)] + ["x0"]
    groups: list[str | None] = ["woman"] * 30 + ["man"] * 30 + ["other"]
    rows = [[float(i < 30), 1.0] for i in range(61)]  # column 0 separates, column 1 is constant
    out = proxy_check(rows, groups, persons, [("rating", "record"), ("flat", "skills")])
    assert out["record"].auc == 1.0 and out["record"].feature == "rating"
    assert out["skills"].auc == 0.5
    assert out["record"].group in {"woman", "man"}  # "other" (1 person) is not tested


def test_the_report_holds_no_person_key() -> None:
    people = _people()
    served = [Served(NOW, "m1", ("p1", "p2", "p3", "p4"), (("p3", 0.9), ("p1", 0.5), ("p4", 0.1)))]
    apps = [Application("p1", NOW, frozenset({"hire"}))]
    report = build_report(ReportInput(served, apps, people, k=2))
    text = json.dumps(report)
    assert not any(p in text for p in people)
    assert set(report["attributes"]) == {"gender", "region"}
    assert set(report["intersections"]) == {"gender & region"}
    assert report["data"]["people_ranked"] == 3


def test_groups_under_five_people_show_counts_only() -> None:
    people = {f"w{i}": Person({"gender": "woman"}, OLD, True) for i in range(6)}
    people |= {"x0": Person({"gender": "other"}, OLD, True)}
    ranked = tuple((p, float(i)) for i, p in enumerate(people))
    served = [Served(NOW, "m1", tuple(people), ranked)]
    apps = [Application("x0", NOW, frozenset({"hire"})), Application("w0", NOW, frozenset())]
    sec = section(served, apps, by_attribute(people, "gender"), k=3)
    hired = sec["selection"]["hire"]["groups"]["other"]
    assert hired["suppressed"] and hired["rate"] is None and hired["hits"] is None
    assert (hired["n"], hired["people"]) == (1, 1)
    assert sec["exposure"]["other"] == {
        "appearances": 1,
        "exposure_share": None,
        "relevance_share": None,
        "ratio": None,
        "suppressed": True,
    }
    assert sec["representation"]["groups"]["other"]["top"] is None
    assert "suppressed" not in sec["scoring"]["groups"]["woman"]
    assert sec["scoring"]["groups"]["woman"]["rate"] is not None


def test_positives_in_top_counts_missed_positives_as_misses() -> None:
    people = _people()
    served = [
        Served(
            NOW,
            "m1",
            ("p1", "p2", "p3", "p4"),
            (("p3", 0.9), ("p1", 0.5), ("p4", 0.1)),  # p2 not shown at all
            frozenset({"p1", "p2", "p4"}),
        )
    ]
    out = positives_in_top(served, lambda p, _ts: people[p].attributes["gender"], k=2)
    woman, man = out["groups"]["woman"], out["groups"]["man"]
    assert (woman["n"], woman["hits"]) == (2, 1)  # p1 in the top 2, p2 missed
    assert (man["n"], man["hits"]) == (1, 0)  # p4 third


def test_combined_proxy_finds_what_no_single_feature_shows() -> None:
    # group = the sign of a + b: each feature alone is a weak proxy, both together a strong one
    import random

    rng = random.Random(1)
    rows, groups, persons = [], [], []
    for i in range(400):
        a, b = rng.gauss(0, 1), rng.gauss(0, 1)
        rows.append([a, b, rng.gauss(0, 1)])
        groups.append("x" if a + b > 0 else "y")
        persons.append(f"p{i}")
    cols = [("a", "record"), ("b", "record"), ("noise", "skills")]
    out = proxy_check(rows, groups, persons, cols)
    assert out["record"].combined > 0.95 > out["record"].auc > 0.7
    assert out["skills"].combined < 0.6 and out["skills"].auc < 0.6
    assert out["all"].combined > 0.95


# -- counting on: the running counts against a count from the start --------------------------
_GROUPS = ("a", "b", None)


@st.composite
def _market(draw: st.DrawFn) -> tuple[dict[str, Person], list[Served], list[Application]]:
    """People with a few groups, lists of them with scores and positives, and applications."""
    size = draw(st.integers(3, 12))
    people = {
        f"p{i}": Person(
            {k: v for k, v in (("g", draw(st.sampled_from(_GROUPS))),) if v},
            OLD + timedelta(days=draw(st.integers(0, 400))),
            draw(st.booleans()),
        )
        for i in range(size)
    }
    ids = sorted(people) + ["gone"]  # a person no longer in the store: unknown
    served = []
    for n in range(draw(st.integers(0, 8))):
        shown = draw(st.lists(st.sampled_from(ids), min_size=0, max_size=8, unique=True))
        scores = draw(st.lists(st.floats(0, 1), min_size=len(shown), max_size=len(shown)))
        pool = draw(st.lists(st.sampled_from(ids), max_size=10, unique=True))
        hits = frozenset(draw(st.lists(st.sampled_from(ids), max_size=3)))
        ranked = tuple(sorted(zip(shown, scores, strict=True), key=lambda r: -r[1]))
        served.append(Served(NOW + timedelta(hours=n), "m1", tuple(pool), ranked, hits))
    outcomes = st.frozensets(st.sampled_from(("shortlist", "interview", "hire")), max_size=3)
    applications = [
        Application(draw(st.sampled_from(ids)), NOW, draw(outcomes))
        for _ in range(draw(st.integers(0, 12)))
    ]
    return people, served, applications


@given(_market(), st.data())
def test_counts_fed_in_parts_are_the_counts_fed_at_once(
    market: tuple[dict[str, Person], list[Served], list[Application]], data: st.DataObject
) -> None:
    """A report counted through list N, then fed the lists after it, is the whole count."""
    people, served, applications = market
    cut = data.draw(st.integers(0, len(served)))
    whole = build_report(ReportInput(served, applications, people, k=3))
    running = ReportCounts(people, applications, 3, attribute_names(people))
    for s in served[:cut]:
        running.add(s)
    running.report()  # a view in between leaves the counts as they were
    for s in served[cut:]:
        running.add(s)
    assert json.dumps(running.report(), sort_keys=True) == json.dumps(whole, sort_keys=True)


def _rows_under(report: object, least: int) -> list[dict[str, object]]:
    """Every per-group rate row of ``report`` describing fewer than ``least`` people."""
    found: list[dict[str, object]] = []
    if isinstance(report, dict):
        people = report.get("people")
        if isinstance(people, int) and people < least and "n" in report:
            found.append(report)
        for value in report.values():
            found += _rows_under(value, least)
    elif isinstance(report, list):
        for value in report:
            found += _rows_under(value, least)
    return found


def _four_shown_of_many() -> tuple[list[Served], dict[str, Person]]:
    """Non-binary: 8 candidates, 4 of them ever ranked, 3 of those positives (trial 19)."""
    people = {f"w{i}": Person({"gender": "woman"}, OLD, True) for i in range(40)}
    people |= {f"m{i}": Person({"gender": "man"}, OLD, True) for i in range(40)}
    people |= {f"x{i}": Person({"gender": "non-binary"}, OLD, True) for i in range(8)}
    shown = [*(f"w{i}" for i in range(40)), *(f"m{i}" for i in range(40)), "x0", "x1", "x2", "x3"]
    served = [
        Served(
            NOW,
            "m1",
            tuple(people),
            tuple((p, float((i * 7 + j) % 13)) for i, p in enumerate(shown)),
            frozenset({"x0", "x1", "x2", "w1", "w2", "m1"}),
        )
        for j in range(3)
    ]
    return served, people


def test_a_rate_over_fewer_than_five_people_is_suppressed_whatever_the_section_holds() -> None:
    served, people = _four_shown_of_many()
    sec = section(served, [], by_attribute(people, "gender"), k=10)
    for part in ("scoring", "positives_in_top"):
        row = sec[part]["groups"]["non-binary"]
        assert row["people"] < 5 and row["suppressed"] is True, (part, row)
        assert row["rate"] is None and row["ci95"] is None and row["impact_ratio"] is None
        assert row["hits"] is None and row["n"] > 0  # counts only
    assert "suppressed" not in sec["scoring"]["groups"]["woman"]  # 40 people
    assert sec["positives_in_top"]["groups"]["woman"]["suppressed"]  # 2 positives: too few
    exposure = sec["exposure"]["non-binary"]  # 4 people shown: their attention is theirs
    assert exposure["suppressed"] is True and exposure["exposure_share"] is None
    # 8 candidates: the share of the candidates is not about fewer than five people
    assert "suppressed" not in sec["representation"]["groups"]["non-binary"]


def test_the_impact_ratio_minimum_never_reads_a_suppressed_rate() -> None:
    served, people = _four_shown_of_many()
    report = build_report(ReportInput(served, [], people, k=10))
    for frame in (
        report["attributes"]["gender"]["scoring"],
        report["attributes"]["gender"]["positives_in_top"],
    ):
        shown = [r for r in frame["groups"].values() if not r.get("suppressed")]
        ratios = [r["impact_ratio"] for r in shown if r["counted"] and r["finding"]]
        ratios = [r for r in ratios if r is not None]
        expected = min(ratios) if len(ratios) >= 2 else None
        assert frame["min_impact_ratio"] == expected
    assert _rows_under(report, 5)  # the market has such groups, and each is suppressed:
    for row in _rows_under(report, 5):
        assert row["suppressed"] is True and row["rate"] is None and row["ci95"] is None
