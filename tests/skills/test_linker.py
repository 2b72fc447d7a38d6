"""The linker's phrases: the fast walks give the obvious definitions' phrases, in order."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.embed import HashingEncoder
from tandem.skills.keys import skill_key
from tandem.skills.linker import _WORD, STOP, SkillLinker, span_offsets, taxonomy_linker
from tandem.skills.taxonomy import Taxonomy


def _plain_offsets(text: str, max_words: int) -> dict[str, tuple[int, int]]:
    """Every n-gram of up to ``max_words`` words, in text order, without stop-word edges."""
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    out: dict[str, tuple[int, int]] = {}
    for i in range(len(words)):
        for n in range(1, max_words + 1):
            chunk = words[i : i + n]
            if len(chunk) < n or chunk[0][0].lower() in STOP or chunk[-1][0].lower() in STOP:
                continue
            out.setdefault(" ".join(w for w, _, _ in chunk), (chunk[0][1], chunk[-1][2]))
    return out


def test_phrases_skip_stop_word_edges_and_keep_their_first_range() -> None:
    text = "Logo design and the logo design of a brand"
    found = span_offsets(text, 3)
    assert found["Logo design"] == (0, 11) and found["logo design"] == (20, 31)
    assert "design and" not in found and "and the logo" not in found
    assert list(found) == list(_plain_offsets(text, 3))


_WORDS = st.sampled_from(["Logo", "design", "and", "the", "C++", "Node.js", "of", "a", "SQL"])


@given(st.lists(_WORDS, max_size=14), st.sampled_from([" ", ", ", ". "]), st.integers(1, 6))
def test_phrases_are_the_definitions_in_the_same_order(
    words: list[str], sep: str, max_words: int
) -> None:
    text = sep.join(words)
    assert list(span_offsets(text, max_words).items()) == list(
        _plain_offsets(text, max_words).items()
    )


@pytest.fixture(scope="module")
def builtin_linker() -> SkillLinker:
    taxonomy = Taxonomy.builtin()
    labels = [s.name for s in taxonomy if s.source == "builtin"]
    return taxonomy_linker(taxonomy, labels, HashingEncoder())


def _plain_written(linker: SkillLinker, text: str) -> list[tuple[str, list[int]]]:
    """Every 1-6 word phrase keyed in full and looked up (no walk that stops early)."""
    out = []
    for phrase in _plain_offsets(text, 6):
        key = skill_key(phrase)
        hits = linker._by_key.get(key)  # noqa: SLF001
        if hits is not None and linker._forms.allows(phrase, key):  # noqa: SLF001
            out.append((phrase, hits))
    return out


def test_written_labels_are_found_with_their_indexes(builtin_linker: SkillLinker) -> None:
    text = "I build REST APIs with Node.js and C++; Machine Learning, SQL and sql, diseño UX"
    found = dict(builtin_linker.written(text))
    assert {"Node.js", "C++", "Machine Learning", "SQL"} <= set(found)
    assert found == dict(_plain_written(builtin_linker, text))


_PROSE = st.sampled_from(
    ["Machine", "Learning", "machine", "learning", "of", "and", "React", "Native", "Node.js",
     "C++", "C#", "SQL", "Server", "Google", "Ads", "Adobe", "Photo", "shop", "Diseño",
     "gráfico", "Ruby", "on", "Rails", "ASP.NET", "CI/CD", "UX", "Design", "logo", "the",
     "Übersetzung", "ﬁnance", "Data", "Science", "Amazon", "Web", "Services", "x"]
)  # fmt: skip


@given(st.lists(_PROSE, max_size=16), st.sampled_from([" ", ", ", ". ", " & ", " .", "\u0301 "]))
@settings(max_examples=300, deadline=None)
def test_written_phrases_are_the_definitions_in_the_same_order(
    builtin_linker: SkillLinker, words: list[str], sep: str
) -> None:
    text = sep.join(words)
    assert builtin_linker.written(text) == _plain_written(builtin_linker, text)
