"""Companion benchmark: draft-job field accuracy on the labelled requests, and latency.

Run: ``python bench/bench_companion.py`` (default deterministic backend). The labelled set
(``bench/data/companion_requests.jsonl``, written by the project) follows these conventions:
one amount gives min = max (unless "up to" / "at least"); a currency only when the text names
one; hourly on a per-hour cue, fixed on a total/fixed cue or an amount of 250 or more without a
cue, otherwise null (per word, per video: null); months are 4.345 weeks, a range takes its
upper end; skills list what the post must include (a subset check). Expected skills are read
through the taxonomy's normaliser ("AWS" is Amazon Web Services), so a label writer's spelling
of a known skill is not a miss; names the taxonomy does not know stay as written. A row may
carry ``skills_absent``: skills a careless reader would add (Java for a JavaScript post); the
"no false skill" row counts drafts whose skills hold none of them (not in the mean).

``--data bench/data/companion_requests_dev.jsonl``: 60 requests written by an outside helper
(2026-11-26) without seeing the parser, with the same shape and these further conventions:
per-month, per-unit and per-word prices give budget_type null (the amount is still recorded);
"$" or "dollars" alone is USD; a number of days or weeks to a deadline is the duration (days / 7),
a calendar date or a vague word is not, and "est 80 hours" of work is no duration; "lead" and
"entry" count only as levels of the person ("lead generation", "data entry" do not);
"experienced" alone is no level; a skill is expected only when its name or an alias is in the
text. The parser's misses on it were fixed by general rules, so it is no longer independent.

``--data bench/data/companion_requests_multi.jsonl``: 40 requests (2026-11-27) with several
skills in one request and short or dotted names (Go, Qt, R, C, .NET, Chart.js), and requests in
Spanish, French, German, Portuguese and Italian that name their trade in words that are no
cognates (traductor, comptable, Buchhalter, diseñador gráfico); written before the fix and tuned
on. ``companion_requests_multi_check.jsonl``: 24 more of the same kinds, written after the fix
by the same author, who knew its rules; its scored fields were not tuned on (two rules came
after its first run: one for misses on the Upwork posts, one from a title it showed; its
scores did not move), so not independent either.
Both label ``languages`` on translation requests (the pair's two languages, as codes); that
field is scored only on the rows that label it and counts toward "all fields right".
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tandem.companion import draft_job
from tandem.engine import Engine
from tandem.settings import Settings

DATA = Path(__file__).parent / "data" / "companion_requests.jsonl"
FIELDS = (
    "budget_type",
    "budget_min",
    "budget_max",
    "currency",
    "duration_weeks",
    "experience_level",
    "skills",
    "no_pii",
)

#: The grounding guard's problem phrases -> what the table calls them.
PROBLEM_KINDS = {
    "number": "an invented number",
    "skill": "an invented skill",
    "name": "an invented name",
    "adds": "an invented unit or claim (per month, certified...)",
    "words are not": "mostly new words (added content)",
    "talks about": "talk about the draft instead of a draft",
    "contact": "a contact detail",
    "link": "an invented link",
    "failed": "a timeout or error",
}


def _same_number(a: Any, b: Any, tolerance: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=tolerance)


def check(
    draft: dict[str, Any],
    expected: dict[str, Any],
    banned: list[str],
    canonical: Callable[[str], str | None] = lambda name: None,
) -> dict[str, bool]:
    """Which fields of one draft are right (``canonical``: a skill's taxonomy name, if any)."""
    out = {k: draft[k] == expected[k] for k in ("budget_type", "currency", "experience_level")}
    out["budget_min"] = _same_number(draft["budget_min"], expected["budget_min"], 1e-6)
    out["budget_max"] = _same_number(draft["budget_max"], expected["budget_max"], 1e-6)
    out["duration_weeks"] = _same_number(draft["duration_weeks"], expected["duration_weeks"], 0.15)
    out["skills"] = {canonical(s) or s for s in expected["skills"]} <= set(draft["skills"])
    text = json.dumps(draft, ensure_ascii=False)
    out["no_pii"] = not any(b in text for b in banned)
    if "languages" in expected:  # scored only on the rows that label it (a translation's pair)
        out["languages"] = set(expected["languages"]) <= set(draft["languages"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--encoder", default="minilm")
    parser.add_argument(
        "--llm-url", help="OpenAI-compatible API: also measure the LLM backend behind the guard"
    )
    parser.add_argument("--llm-model", default="default")
    parser.add_argument(
        "--sessions", type=int, default=0, help="also time N scripted multi-turn sessions"
    )
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines()]
    home = Path(tempfile.mkdtemp(prefix="tandem-companion-"))
    engine = Engine(Settings(home=home, encoder=args.encoder))
    accuracy(engine, rows, args.encoder, args.show_misses)
    if args.llm_url:
        settings = Settings(
            home=home / "llm", encoder=args.encoder, llm_base_url=args.llm_url,
            llm_model=args.llm_model, llm_timeout=120,
        )  # fmt: skip
        guarded(engine, Engine(settings), rows)
    if args.sessions:
        sessions(engine, args.sessions)


def accuracy(engine: Engine, rows: list[dict[str, Any]], encoder: str, show_misses: bool) -> None:
    """Field accuracy and latency of draft-job on the labelled requests."""
    draft_job(engine, "warm up: a Python developer for 3 weeks, $40/hr")
    right = dict.fromkeys(FIELDS, 0)
    labelled = dict.fromkeys(FIELDS, len(rows))
    perfect = 0
    false_free = absent_rows = 0
    times = []
    for row in rows:
        start = time.perf_counter()
        draft = draft_job(engine, row["text"]).as_dict()
        times.append((time.perf_counter() - start) * 1000)
        canonical = engine.normaliser.canonical
        result = check(draft, row["expected"], row["must_not_appear"], canonical)
        if row.get("skills_absent") is not None:
            absent_rows += 1
            wrong = {canonical(s) or s for s in row["skills_absent"]} & set(draft["skills"])
            false_free += not wrong
            if wrong and show_misses:
                print(f"{row['id']} false skills: {sorted(wrong)}  <- {row['text'][:70]}")
        for field, ok in result.items():
            if field not in labelled:
                right[field], labelled[field] = 0, 0
            right[field] += ok
            labelled[field] += field == "languages"
            if not ok and show_misses:
                got = draft.get(field) if field != "no_pii" else "leak"
                print(
                    f"{row['id']} {field}: got {got!r}, want {row['expected'].get(field)!r}"
                    f"  <- {row['text'][:70]}"
                )
        perfect += all(result.values())
    n = len(rows)
    print(f"\n## Companion draft-job ({n} labelled requests, encoder {encoder})\n")
    print("| field | accuracy |\n|---|---|")
    for field in FIELDS:
        print(f"| {field} | {100 * right[field] / n:.1f}% |")
    mean = sum(right[f] for f in FIELDS) / (n * len(FIELDS))
    print(f"| fields right (mean of the rows above) | {100 * mean:.1f}% |")
    print(f"| all fields of a request right | {100 * perfect / n:.1f}% |")
    if absent_rows:
        print(f"| no false skill (of {absent_rows} rows) | {100 * false_free / absent_rows:.1f}% |")
    if labelled.get("languages"):
        share = 100 * right["languages"] / labelled["languages"]
        print(f"| languages (the {labelled['languages']} rows that label them) | {share:.1f}% |")
    print(
        f"\nLatency: p50 {statistics.median(times):.1f} ms, "
        f"p95 {sorted(times)[int(0.95 * (n - 1))]:.1f} ms (warm, in-process)"
    )


def guarded(plain: Engine, with_llm: Engine, rows: list[dict[str, Any]]) -> None:
    """How often the model's wording passes the grounding guard, and that fields never move."""
    used = fell_back = moved = 0
    problems: dict[str, int] = {}
    times = []
    for row in rows:
        base = draft_job(plain, row["text"]).as_dict()
        start = time.perf_counter()
        draft = draft_job(with_llm, row["text"]).as_dict()
        times.append((time.perf_counter() - start) * 1000)
        moved += any(draft[k] != base[k] for k in ("title", "skills", "budget_max", "currency"))
        note = draft["notes"][-1]
        if note.startswith("Worded by"):
            used += 1
        else:
            fell_back += 1
            cited = note.split(": ", 1)[-1].split(". Showing")[0].split("; ")
            for kind in {next((k for k in PROBLEM_KINDS if k in p), "other") for p in cited}:
                problems[kind] = problems.get(kind, 0) + 1
    n = len(rows)
    print(f"\n## LLM backend behind the grounding guard ({n} requests)\n")
    print("| outcome | share |\n|---|---|")
    print(f"| model's wording used (passed the guard) | {100 * used / n:.1f}% |")
    print(f"| fell back to the built-in draft | {100 * fell_back / n:.1f}% |")
    print(f"| fields changed by the model | {100 * moved / n:.1f}% |")
    for kind, count in sorted(problems.items(), key=lambda kv: -kv[1]):
        print(f"| requests refused for {PROBLEM_KINDS.get(kind, kind)} | {100 * count / n:.1f}% |")
    print(f"\nLatency with the model: p50 {statistics.median(times):.0f} ms")


def sessions(engine: Engine, n: int) -> None:
    """Per-turn latency of scripted sessions on a generated marketplace."""
    from tandem.bundle import Generator, VocabSkill
    from tandem.companion.dialogue import Companion
    from tandem.engine import Requester
    from tandem.skills.taxonomy import builtin_skills

    bundle = engine.settings.home / "bundle"
    vocab = [VocabSkill(s.name, s.category, s.group, s.aliases) for s in builtin_skills()]
    Generator(vocab, seed=5).write(bundle, 2000, 1000)
    engine.import_bundle(bundle)
    companion = Companion(engine)
    roles = ["Django developer", "logo designer", "bookkeeper", "translator", "SEO writer"]
    script = [
        ("find", "find me a {role} under $60/h who overlaps with CET"),
        ("refine", "cheaper"),
        ("refine", "show newcomers too"),
        ("explain", "why is the first above the second?"),
        ("draft_job", "I need a {role} for 3 weeks, budget $900"),
        ("confirm", "yes"),
    ]
    timings: dict[str, list[float]] = {}
    who = Requester("bench", "api")
    for i in range(n):
        start = time.perf_counter()
        conv, _ = companion.open("bench")
        timings.setdefault("open", []).append((time.perf_counter() - start) * 1000)
        for intent, text in script:
            start = time.perf_counter()
            turn = companion.say(conv.id, text.format(role=roles[i % len(roles)]), who)
            timings.setdefault(intent, []).append((time.perf_counter() - start) * 1000)
            assert turn.reply.payload["intent"] != "error", turn.reply.text
    print(f"\n## Companion sessions ({n} scripted sessions, 2,000 freelancers / 1,000 jobs)\n")
    print("| turn | p50 ms | p95 ms |\n|---|---|---|")
    for intent, ms in timings.items():
        ms.sort()
        print(f"| {intent} | {statistics.median(ms):.1f} | {ms[int(0.95 * (len(ms) - 1))]:.1f} |")


if __name__ == "__main__":
    main()
