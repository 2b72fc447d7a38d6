"""Search reasons claim similarity only above the calibrated cosine, and scores people can read."""

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tandem.cli import app
from tandem.engine import Engine, JobQuery, TalentQuery
from tandem.explain.search import SIMILAR_COSINE, relevance, search_reasons
from tandem.search import SearchHit, Synonym, WordsMatched


def _hit(cosine: float | None, lexical_rank: int | None = None) -> SearchHit:
    lexical = None if lexical_rank is None else 3.2
    semantic_rank = None if cosine is None else 1
    return SearchHit("f1", 0.032, lexical, cosine, lexical_rank, semantic_rank)


def test_a_low_cosine_is_never_called_similar_in_meaning() -> None:
    reasons = search_reasons(_hit(0.01), "logo design", [])
    assert "semantic_match" not in {r.code for r in reasons}
    assert not any("in meaning to" in r.text for r in reasons)
    weak = next(r for r in reasons if r.code == "weak_match")
    assert weak.kind == "neutral" and "0.01" in weak.evidence[0]
    just_under = search_reasons(_hit(SIMILAR_COSINE - 0.01), "logo design", [])
    assert "semantic_match" not in {r.code for r in just_under}


def test_a_cosine_above_the_threshold_is_similar_and_a_high_one_close() -> None:
    similar = search_reasons(_hit(SIMILAR_COSINE), "logo design", [])
    assert [r.text for r in similar if r.code == "semantic_match"] == [
        "Similar in meaning to 'logo design' (semantic rank 1)"
    ]
    close = search_reasons(_hit(0.8), "logo design", [])
    assert any(r.text.startswith("Close in meaning") for r in close)


def test_a_keyword_match_alone_is_not_called_weak() -> None:
    reasons = search_reasons(_hit(0.02, lexical_rank=1), "logo", ["available now"])
    assert [r.code for r in reasons] == ["keyword_match", "filter"]


def test_relevance_is_0_to_100_within_the_list() -> None:
    assert relevance([0.0328, 0.0164, 0.0082]) == [100, 50, 25]
    assert relevance([0.0328, 0.03279]) == [100, 99]  # only the best shows 100
    assert relevance([0.0, 0.0]) == [None, None]  # browsing: no query, no relevance
    assert relevance([]) == []


def test_search_results_carry_relevance_and_keep_the_raw_score(loaded_engine: Engine) -> None:
    talent = loaded_engine.search_talent(TalentQuery("developer", top=20))
    assert talent[0].relevance == 100
    assert all(r.relevance is not None and 0 <= r.relevance <= 100 for r in talent)
    assert [r.relevance for r in talent] == sorted((r.relevance or 0 for r in talent), reverse=True)
    assert 0 < talent[0].score < 0.05  # the fused score is still there, for machines
    jobs = loaded_engine.search_jobs(JobQuery("logo design", top=5))
    assert jobs[0].relevance == 100
    browse = loaded_engine.search_jobs(JobQuery("", top=5))
    assert all(r.relevance is None for r in browse)


def test_cli_search_shows_relevance_and_json_keeps_score(home: Path, small_bundle: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(small_bundle)]).exit_code == 0
    table = runner.invoke(app, ["search", "talent", "developer", "--top", "3"])
    assert table.exit_code == 0 and "relevance" in table.output and "100" in table.output
    shown = runner.invoke(app, ["search", "jobs", "logo design", "--top", "3", "--json"])
    result = json.loads(shown.stdout)["results"][0]
    assert result["relevance"] == 100 and "score" in result


@given(st.lists(st.floats(0.0001, 0.04), min_size=1, max_size=50))
def test_relevance_keeps_the_order_and_only_the_best_is_100(scores: list[float]) -> None:
    shown = relevance(scores)
    assert all(r is not None and 0 <= r <= 100 for r in shown)
    assert shown[scores.index(max(scores))] == 100
    pairs = list(zip(scores, [r or 0 for r in shown], strict=True))
    assert all(ra >= rb for a, ra in pairs for b, rb in pairs if a > b)  # never reorders


def test_a_keyword_reason_names_the_words_the_record_holds() -> None:
    # "Matches the words of 'python developer'" was said of profiles holding only "developer"
    some = WordsMatched(("python", "developer"), ("developer",))
    hit = _hit(None, lexical_rank=13)._replace(words=some)
    [reason] = [r for r in search_reasons(hit, "python developer", []) if r.code == "keyword_match"]
    assert reason.text == "Matches 'developer' of 'python developer' (keyword rank 13)"
    every = hit._replace(words=WordsMatched(("python", "developer"), ("python", "developer")))
    [reason] = [
        r for r in search_reasons(every, "python developer", []) if r.code == "keyword_match"
    ]
    assert reason.text == "Matches the words of 'python developer' (keyword rank 13)"


def test_a_word_held_through_a_skills_name_says_so() -> None:
    seo = Synonym("seo", "Search Engine Optimization")
    hit = _hit(None, lexical_rank=1)._replace(words=WordsMatched(("seo",), ("seo",), (seo,)))
    [reason] = [r for r in search_reasons(hit, "seo", []) if r.code == "keyword_match"]
    assert reason.text == "Matches the words of 'seo' (keyword rank 1)"
    assert "'seo' as Search Engine Optimization" in reason.evidence
