"""Runs of whitespace are cut to eight characters; shorter runs and other text are kept."""

from hypothesis import given
from hypothesis import strategies as st

from tandem.text.spaces import MAX_RUN, bounded_spaces


def test_a_long_run_keeps_its_first_eight_characters() -> None:
    assert bounded_spaces("a" + " " * 15_000 + "b") == "a" + " " * MAX_RUN + "b"
    assert bounded_spaces("a" + "\n \t" * 10 + "b") == "a" + ("\n \t" * 3)[:MAX_RUN] + "b"


@given(st.text(alphabet=st.sampled_from("ab \t\n\u3000."), max_size=200))
def test_no_run_is_longer_than_eight_and_nothing_else_changes(text: str) -> None:
    out = bounded_spaces(text)
    assert all(len(run) <= MAX_RUN for run in out.replace("a", "b").replace(".", "b").split("b"))
    assert [c for c in out if not c.isspace()] == [c for c in text if not c.isspace()]
    if all(len(r) <= MAX_RUN for r in text.replace("a", "b").replace(".", "b").split("b")):
        assert out == text
