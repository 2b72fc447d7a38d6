"""Skill keys: the cached, ASCII-first key is the plain definition's, for any text."""

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tandem.skills.keys import skill_key


def _plain_key(text: str) -> str:
    """The definition, step by step (no fast path, no cache)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    lowered = folded.lower().strip().replace("&", " and ")
    lowered = re.sub(r"(^|\s)\.net\b", r"\1dotnet", lowered)
    return re.sub(r"[^a-z0-9+#]", "", lowered)


def test_spellings_share_a_key() -> None:
    assert skill_key("React.js") == skill_key("react js") == skill_key("REACTJS") == "reactjs"
    assert skill_key(".NET") == skill_key("asp .net")[-6:] == "dotnet"
    assert skill_key("Diseño") == "diseno" and skill_key("R&D") == "randd"
    assert skill_key("C++") != skill_key("C#") != skill_key("C")


@given(st.text(alphabet=st.sampled_from(list("aZ .net&+#-/é½\u00a0\u2003ß0")), max_size=16))
def test_the_key_is_the_definitions_on_tricky_characters(text: str) -> None:
    assert skill_key(text) == _plain_key(text)


@given(st.text(max_size=24))
def test_the_key_is_the_definitions_on_any_text(text: str) -> None:
    assert skill_key(text) == _plain_key(text)
    assert skill_key(text) == _plain_key(text)  # and again, from the cache
