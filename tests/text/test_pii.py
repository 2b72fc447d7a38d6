import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.text import find_pii, redact
from tests.conftest import deadline

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")

local = st.text("abcdefghijklmnopqrstuvwxyz0123456789._+-", min_size=1, max_size=12)
domain = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=10)
emails = st.builds(
    lambda a, b, t: f"{a}@{b}.{t}", local, domain, st.sampled_from(["com", "io", "co.uk"])
)
phones = st.builds(
    lambda cc, parts, sep: f"+{cc} " + sep.join(parts),
    st.integers(1, 99),
    st.lists(st.text("0123456789", min_size=3, max_size=4), min_size=3, max_size=3),
    st.sampled_from([" ", "-", "."]),
)
filler = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=300)
@given(before=filler, email=emails, middle=filler, phone=phones, after=filler)
def test_redaction_never_leaves_an_email_or_phone(
    before: str, email: str, middle: str, phone: str, after: str
) -> None:
    text = f"{before} {email} {middle} {phone} {after}"
    clean = redact(text)
    assert email not in clean
    assert phone not in clean
    assert not EMAIL_RE.search(clean.replace("[email]", ""))


def test_money_years_and_ranges_are_not_phone_numbers() -> None:
    text = "Budget $1,500-2,000, from 2019-2023, 40 h/week, rate 25.50"
    assert find_pii(text) == []


def test_links_are_redacted() -> None:
    assert redact("see https://example.com/me and www.x.io") == "see [link] and [link]"


def test_dates_are_not_phone_numbers_but_a_phone_beside_one_is() -> None:
    text = "Start 2026-11-26, due 26.11.2026 or 1-12-2026; call +44 20 7946 0958"
    assert [s.kind for s in find_pii(text)] == ["phone"]
    assert redact(text).endswith("call [phone]")


def test_emails_with_unusual_local_parts_are_redacted() -> None:
    for email in ("*ops@a.ac", "o'brien@mail.ie", "a&b@firm.co", "x!y@z.org"):
        assert redact(f"mail {email} now") == "mail [email] now"


@pytest.mark.parametrize("unit", ["x", "a.", "'", "a-b", "a1"])
def test_a_long_run_without_an_at_sign_is_read_in_linear_time(unit: str) -> None:
    """Every character an address's local part may hold, 400,000 of them and no "@".

    Tried from every position of the run, the email pattern read the rest of it each time:
    n²/2 steps, 2.5 s at 40,000 characters, so about 250 s here; one pass takes milliseconds.
    """
    text = unit * (400_000 // len(unit))
    with deadline(20, "find_pii"):
        assert find_pii(text) == []
    assert redact(f"{text} o'brien@example.com") == f"{text} [email]"
