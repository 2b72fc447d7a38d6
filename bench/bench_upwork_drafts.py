"""draft-job on real job posts nobody tuned the companion on: 770 Upwork posts (June 2024).

Run: ``python bench/bench_upwork_drafts.py --split dev [--show-misses]``. The posts are read at
run time from ``../shared/data/jobs/upwork_rss_jobs_2024-06.csv`` (beside the repository; pass
``--csv`` for another place); nothing of them is copied into the repository, and without the
file the benchmark says so and exits. Each post is split once, by a SHA-256 of its link, into
``dev`` (about half: look at its misses, improve general rules) and ``test`` (run once, at the
end, and never looked at for tuning).

Input: the post's description as the client wrote it, without its title, its tags, its budget
fields and the feed's trailer ("Posted On ... Skills ... click to apply"). Scored against what
the post's author entered separately:

- **budget**: when the description writes the post's own amount (the fixed price, or both ends
  of the hourly range), the draft must have that kind (fixed / hourly) and those amounts; when
  the description writes no money at all (no currency sign, code or word next to a number) the
  draft must have no budget (nothing invented); otherwise (other amounts: milestones, a monthly
  salary) the post is not scored for budget.
- **skills**: the author's tags, normalised to the taxonomy by name, alias or written variant
  (no typo guessing); a post with no tag in the taxonomy is not scored. A draft skill is
  *supported* when it is one of those tags, is linked to one in the taxonomy (explicit or same
  family), is written in the description under its name or an alias, or is implied (in the
  taxonomy) by a draft skill that is one of those; otherwise it is *outlandish*. The field
  is right when at least one tag is found and nothing is outlandish.
  Recall (tags found / tags), strict precision (draft skills that are tags / draft skills) and
  supported precision are reported beside it, and the field on the posts whose description
  writes at least one of their tags (many authors tag skills the text never mentions, which
  no reader of the text can find). Implied skills count like any other.
- **title**: right when it is at most 80 characters, is not the bare fallback "Freelancer"
  and shares a content word (or a tagged skill's word) with the author's own title: a coarse
  check of sense, not of quality.

The posts have no experience level, duration or currency field to score, and drafts have no
category, so those are not scored here (``bench_companion.py`` scores them on its own sets).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tandem.companion import draft_job
from tandem.engine import Engine
from tandem.settings import Settings
from tandem.skills.taxonomy import Taxonomy

CSV = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "jobs" / "upwork_rss_jobs_2024-06.csv"
)
TRAILER = re.compile(r"\n\s*Posted On\s*\n\s*:")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
#: Money in a description, written independently of the companion's parser on purpose.
MONEY = re.compile(
    r"[$€£₹]\s?\d|\d[\d,.]*\s?(?:k\b)?\s?(?:usd|eur|gbp|inr|usdt|usdc|dollars?|euros?|pounds?)\b"
    r"|\b(?:usd|eur|gbp|inr)\s?\d",
    re.IGNORECASE,
)
STOP = frozenset(
    {
        "a", "an", "and", "the", "for", "to", "of", "in", "on", "with", "by", "from", "or", "at",
        "as", "is", "are", "be", "our", "my", "your", "we", "i", "need", "needed", "looking",
        "seeking", "wanted", "help", "expert", "specialist", "developer", "freelancer", "project",
        "job", "work", "required", "new", "create", "build", "upwork",
    }
)  # fmt: skip
FIELDS = ("budget", "skills", "title")


@dataclass(frozen=True)
class Post:
    """One post: what the client typed and what the author entered beside it."""

    key: str
    title: str
    text: str
    tags: list[str]
    kind: str | None
    low: float | None
    high: float | None


def _money(value: str) -> float | None:
    value = value.replace("$", "").replace(",", "").strip()
    return float(value) if value else None


def load(path: Path) -> list[Post]:
    """Every post of the feed's CSV (see the module docstring for what is kept)."""
    posts = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = html.unescape(TRAILER.split(row["description"], maxsplit=1)[0]).strip()
            fixed = _money(row["budget"])
            low, high = _money(row["hourly_range_min"]), _money(row["hourly_range_max"])
            kind = "fixed" if fixed is not None else "hourly" if low is not None else None
            posts.append(
                Post(
                    key=row["url"].split("?")[0],
                    title=html.unescape(row["title"]).removesuffix(" - Upwork").strip(),
                    text=text,
                    tags=[t.strip() for t in row["skills"].split(",") if t.strip()],
                    kind=kind,
                    low=fixed if fixed is not None else low,
                    high=fixed if fixed is not None else high,
                )
            )
    return posts


def split_of(post: Post) -> str:
    """``dev`` or ``test``, fixed forever by a hash of the post's link."""
    return "dev" if int(hashlib.sha256(post.key.encode()).hexdigest()[:8], 16) % 2 == 0 else "test"


def score_budget(post: Post, draft: dict[str, Any]) -> bool | None:
    """Right / wrong / not scored (see the module docstring)."""
    written = {float(n.replace(",", "")) for n in NUMBER.findall(post.text) if n.strip(",")}
    stated = post.kind is not None and post.low in written and post.high in written
    if stated:
        return (draft["budget_type"], draft["budget_min"], draft["budget_max"]) == (
            post.kind, post.low, post.high,
        )  # fmt: skip
    if not MONEY.search(post.text):
        return draft["budget_min"] is None and draft["budget_max"] is None
    return None


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[-_/]", " ", text.lower()).split())


def _written(taxonomy: Taxonomy, name: str, text: str) -> bool:
    """Whether the text writes the skill's name or an alias (hyphens and spaces alike)."""
    skill = taxonomy.get(name)
    forms = [name, *(skill.aliases if skill else [])]
    plain = _plain(text)
    return any(re.search(rf"(?<![\w.+#]){re.escape(_plain(f))}(?![\w+#])", plain) for f in forms)


def score_skills(engine: Engine, post: Post, skills: list[str]) -> dict[str, Any] | None:
    """Tags found, outlandish draft skills and the field's verdict (``None``: not scored)."""
    tags = set()
    for tag in post.tags:
        match = engine.normaliser.match(tag)
        if match.name and match.how in ("exact", "alias", "variant"):
            tags.add(match.name)
    if not tags:
        return None
    taxonomy = engine.taxonomy
    supported = {
        s
        for s in skills
        if s in tags
        or any(t in taxonomy.related_view(s) for t in tags)
        or _written(taxonomy, s, post.text)
    }
    implied = {i for s in supported for i in taxonomy.implied(s)}
    outlandish = [s for s in skills if s not in supported and s not in implied]
    hits = tags & set(skills)
    findable = any(_written(taxonomy, t, post.text) for t in tags)
    return {
        "tags": tags, "hits": hits, "outlandish": outlandish, "findable": findable,
        "right": bool(hits) and not outlandish,
    }  # fmt: skip


def _words(text: str) -> set[str]:
    return {
        w.rstrip("s")
        for w in re.findall(r"[a-z0-9+#.]+", text.lower())
        if w not in STOP and len(w) > 1
    }


def score_title(post: Post, title: str) -> bool:
    """A coarse sense check of the drafted title against the author's."""
    if not title or len(title) > 80 or title.strip() == "Freelancer":
        return False
    theirs = _words(post.title) | {w for t in post.tags for w in _words(t)}
    return bool(_words(title) & theirs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", type=Path, default=CSV)
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--encoder", default="minilm")
    args = parser.parse_args()
    if not args.csv.is_file():
        print(f"skipped: {args.csv} is not there (the posts live beside the repository, not in it)")
        return
    posts = [p for p in load(args.csv) if split_of(p) == args.split and p.text]
    engine = Engine(
        Settings(home=Path(tempfile.mkdtemp(prefix="tandem-upwork-")), encoder=args.encoder)
    )
    run(engine, posts, args.split, args.show_misses)


def run(engine: Engine, posts: list[Post], split: str, show_misses: bool) -> None:
    """Score draft-job on ``posts`` and print the table."""
    right = dict.fromkeys(FIELDS, 0)
    scored = dict.fromkeys(FIELDS, 0)
    n_tags = n_hits = n_skills = n_strict = n_supported = n_findable = n_findable_right = 0
    start = time.perf_counter()
    for post in posts:
        draft = draft_job(engine, post.text).as_dict()
        verdicts: dict[str, bool | None] = {
            "budget": score_budget(post, draft),
            "title": score_title(post, draft["title"]),
        }
        skills = score_skills(engine, post, draft["skills"])
        verdicts["skills"] = None if skills is None else skills["right"]
        if skills is not None:
            n_tags += len(skills["tags"])
            n_hits += len(skills["hits"])
            n_skills += len(draft["skills"])
            n_strict += sum(s in skills["tags"] for s in draft["skills"])
            n_supported += len(draft["skills"]) - len(skills["outlandish"])
            n_findable += skills["findable"]
            n_findable_right += skills["findable"] and skills["right"]
        for field, ok in verdicts.items():
            if ok is None:
                continue
            scored[field] += 1
            right[field] += ok
            if not ok and show_misses:
                detail = {
                    "budget": f"{draft['budget_type']} {draft['budget_min']}-{draft['budget_max']}"
                    f" vs {post.kind} {post.low}-{post.high}",
                    "skills": f"{draft['skills']} vs {sorted(skills['tags']) if skills else ''}"
                    f" outlandish {skills['outlandish'] if skills else ''}",
                    "title": f"{draft['title']!r} vs {post.title!r}",
                }[field]
                print(f"{field}: {detail}  <- {post.text[:80]!r}")
    seconds = time.perf_counter() - start
    print(f"\n## draft-job on Upwork posts, split {split} ({len(posts)} posts)\n")
    print("| field | posts scored | right |\n|---|---|---|")
    for field in FIELDS:
        share = 100 * right[field] / scored[field] if scored[field] else float("nan")
        print(f"| {field} | {scored[field]} | {share:.1f}% |")
    mean = sum(right[f] / scored[f] for f in FIELDS if scored[f]) / len(FIELDS)
    print(f"| fields right (mean of the rows above) | | {100 * mean:.1f}% |")
    print(
        f"\nSkills: recall {100 * n_hits / max(n_tags, 1):.1f}% of {n_tags} tags in the taxonomy;"
        f" precision {100 * n_strict / max(n_skills, 1):.1f}% strict,"
        f" {100 * n_supported / max(n_skills, 1):.1f}% supported, of {n_skills} draft skills."
        f"\nPosts whose description writes one of their tags (name or alias): {n_findable};"
        f" skills right on those: {100 * n_findable_right / max(n_findable, 1):.1f}%."
        f"\n{seconds / max(len(posts), 1) * 1000:.0f} ms per post."
    )


if __name__ == "__main__":
    main()
