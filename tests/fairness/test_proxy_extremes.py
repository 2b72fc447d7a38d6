"""The proxy check stays a number when a feature holds huge or infinite values (trial 18)."""

from __future__ import annotations

import math
import warnings

from tandem.fairness.proxy import proxy_check


def test_huge_and_infinite_feature_values_keep_the_combined_check_a_number() -> None:
    persons = [f"w{i}" for i in range(30)] + [f"m{i}" for i in range(30)]
    groups: list[str | None] = ["woman"] * 30 + ["man"] * 30
    # column 0 separates the groups; column 1 is a rate ratio with absurd stored values
    rows = [
        [float(i < 30), 1e308 if i % 7 == 0 else math.inf if i == 3 else 1.0] for i in range(60)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's overflow warnings fail the test
        out = proxy_check(rows, groups, persons, [("rating", "record"), ("rate", "rate")])
    assert out["record"].auc == 1.0
    for family in ("record", "rate", "all"):
        assert math.isfinite(out[family].combined), (family, out[family])
    assert out["all"].combined > 0.9
