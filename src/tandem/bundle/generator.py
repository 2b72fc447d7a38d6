"""A realistic, deterministic sample marketplace in the bundle format.

Clients post jobs in twelve categories; freelancers with a hidden quality,
skills typed the way people type them (aliases, typos, case), rates that vary
by category, experience and country, and histories (or none: newcomers) apply
and get invited; clients shortlist, interview and hire by a noisy utility of
skill fit, rate fit, experience, language and the freelancer's hidden quality.
No protected attribute enters the hiring model unless asked: with ``bias`` the clients
penalise one group (see :mod:`tandem.bundle.generator_bias`) and the generator also writes,
beside the bundle, what an unbiased client would have decided.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from tandem.bundle import generator_params as P
from tandem.bundle import generator_text as T
from tandem.bundle.generator_bias import GRADES, Bias, Trace, unbiased_grades
from tandem.bundle.generator_style import STYLES, LetterStyle, MarketStyle, Segment
from tandem.text.articles import article, with_article

START = datetime(2025, 11, 1, tzinfo=UTC)
SPAN_DAYS = 365
END = START + timedelta(days=SPAN_DAYS)


class VocabSkill(NamedTuple):
    """A skill the generator may use: the taxonomy's name, category, family and aliases."""

    name: str
    category: str
    group: str
    aliases: Sequence[str]


@dataclass
class _Person:
    record: dict[str, Any]
    category: str
    skills: set[str]
    quality: float
    rate_usd: float
    penalised: bool = False
    fair_success: float = 85.0  # job success before any bias depressed it (the default if none)


@dataclass
class _Job:
    record: dict[str, Any]
    category: str
    skills: list[str]
    created: datetime
    budget_max_usd: float | None
    languages: list[str]
    level: str
    applicants: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)  # the client's must-haves (all, if unmarked)
    nice: list[str] = field(default_factory=list)  # nice-to-haves the post marks
    segment: Segment = field(default_factory=Segment)
    project: str = ""


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs], k=1)[0]


def _gumbel(rng: random.Random, scale: float) -> float:
    return -scale * math.log(-math.log(max(rng.random(), 1e-12)))


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


class Generator:
    """Builds a marketplace from a seed; :meth:`write` saves it as a bundle."""

    def __init__(
        self,
        vocabulary: Sequence[VocabSkill],
        seed: int = 0,
        bias: Bias | None = None,
        style: MarketStyle | str = "default",
    ) -> None:
        self.rng = random.Random(seed)
        self.bias = bias or Bias()
        if isinstance(style, str):
            if style not in STYLES:
                raise ValueError(f"unknown market style {style!r}; known: {', '.join(STYLES)}")
            style = STYLES[style]
        self.style = style
        # the style's own choices: never drawn from ``rng``, so people and jobs stay the same
        self.style_rng = random.Random(f"style-{style.name}-{seed}")
        # the counterfactual's own noise: never drawn from ``rng``, so the market stays the same
        self.side_rng = random.Random(f"unbiased-{seed}")
        self.truth: list[dict[str, Any]] = []
        self.keep_truth = True  # replay each job with an unbiased client (``write`` may skip it)
        self._trace = Trace()
        self.vocab = {v.name: v for v in vocabulary}
        self.groups: dict[str, dict[str, list[str]]] = {}
        for v in vocabulary:
            self.groups.setdefault(v.category, {}).setdefault(v.group, []).append(v.name)
        self._next_event = 0

    # people ------------------------------------------------------------------------------
    def _typed(self, name: str) -> str:
        rng, aliases = self.rng, self.vocab[name].aliases
        roll = rng.random()
        if roll < P.ALIAS_SHARE and aliases:
            return rng.choice(list(aliases))
        if roll < P.ALIAS_SHARE + P.TYPO_SHARE:
            return _typo(rng, name)
        if roll < P.ALIAS_SHARE + P.TYPO_SHARE + 0.1:
            return name.lower()
        return name

    def _pick_skills(self, category: str, low: int, high: int) -> list[str]:
        rng = self.rng
        groups = self.groups[category]
        group = rng.choices(list(groups), weights=[len(g) for g in groups.values()], k=1)[0]
        core = rng.sample(groups[group], k=min(len(groups[group]), rng.randint(low, high)))
        others = [s for g, names in groups.items() if g != group for s in names]
        extra = rng.sample(others, k=min(len(others), rng.randint(0, 2)))
        return core + extra

    def freelancer(self, i: int) -> _Person:
        """One freelancer with a hidden quality."""
        rng = self.rng
        cats = [(c, v[0]) for c, v in P.CATEGORIES.items() if c in self.groups]
        category = _weighted(rng, cats)
        skills = self._pick_skills(category, 3, 8)
        code, _, mult, tz, native = _weighted(rng, [(c, c[1]) for c in P.FREELANCER_COUNTRIES])
        quality = rng.gauss(0, 1)
        years = round(min(30.0, rng.lognormvariate(math.log(5), 0.7)), 1)
        newcomer = rng.random() < P.NEWCOMER_SHARE
        joined = END - timedelta(days=rng.uniform(0, 120) if newcomer else rng.uniform(120, 2500))
        jobs = 0 if newcomer else max(1, int(rng.expovariate(1 / (2 + 4 * years))))
        role = P.CATEGORIES[category][3]
        base = P.CATEGORIES[category][1] * 1.25 * mult * (0.7 + 0.06 * min(years, 15))
        rate = round(max(3.0, base * rng.lognormvariate(0.08 * quality, 0.3)), 0)
        title = " ".join(x for x in (rng.choice(T.SENIORITY), T.headline(skills[0], role)) if x)
        mentioned = self._pick_skills(category, 1, 3)
        overview = " ".join(
            T.fill(
                rng,
                T.OVERVIEW,
                # the article by the title as written: "an expert", "an HTML developer"
                a_title=f"{article(title)} {title.lower()}",
                years=int(years),
                skills=T.join_skills(rng.sample(skills + mentioned, k=min(3, len(skills)))),
                extra=rng.choice(mentioned),
                project=rng.choice(T.PROJECTS[category]),
            )
            for _ in range(rng.randint(2, 4))
        )
        langs = [{"code": native, "level": "native"}]
        if native != "en":
            langs.append(
                {"code": "en", "level": rng.choice(["conversational", "fluent", "fluent"])}
            )
        record: dict[str, Any] = {
            "id": f"f{i:06d}",
            "name": f"Freelancer {i}",
            "email": f"freelancer{i}@example.com",
            "phone": f"+1 555 {i % 10000:04d}",
            "title": title,
            "overview": overview,
            "skills": [self._typed(s) for s in skills],
            "hourly_rate": rate,
            "currency": "USD",
            "country": code,
            "timezone": tz,
            "languages": langs,
            "experience_years": years,
            "availability_hours_per_week": 0
            if rng.random() < P.UNAVAILABLE_SHARE
            else rng.choice([10, 20, 30, 40]),
            "total_jobs": jobs,
            "total_hours": jobs * rng.randint(5, 120),
            "joined_at": _iso(joined),
            "consent": {"model_training": rng.random() >= P.NO_TRAINING_CONSENT_SHARE},
        }
        if not newcomer:
            record["job_success"] = round(min(100.0, max(40.0, 88 + 6 * quality + rng.gauss(0, 4))))
            record["rating"] = round(
                min(5.0, max(1.0, 4.6 + 0.25 * quality + rng.gauss(0, 0.2))), 2
            )
        if rng.random() < 0.6:
            record["attributes"] = {
                "gender": rng.choice(["woman", "man", "woman", "man", "non-binary"])
            }
        if rng.random() < 0.4:
            record["portfolio"] = [
                {
                    "title": f"{rng.choice(skills)} work for {rng.choice(T.PROJECTS[category])}",
                    "description": f"Delivered with {T.join_skills(skills[:2])}.",
                    "skills": skills[:2],
                }
            ]
        fair_success = float(record.get("job_success", 85))
        penalised = self.bias.hits(record)
        if penalised:
            self.bias.depress(record)
        return _Person(record, category, set(skills), quality, rate, penalised, fair_success)

    # clients and jobs -------------------------------------------------------------------
    def client(self, i: int) -> dict[str, Any]:
        """One client."""
        rng = self.rng
        code, _, tz = _weighted(rng, [(c, c[1]) for c in P.CLIENT_COUNTRIES])
        hires = int(rng.expovariate(1 / 6))
        record: dict[str, Any] = {
            "id": f"c{i:05d}",
            "name": f"Client {i}",
            "country": code,
            "timezone": tz,
            "industry": rng.choice(P.INDUSTRIES),
            "company_size": rng.choice(P.COMPANY_SIZES),
            "payment_verified": rng.random() < 0.8,
            "total_spent": round(hires * rng.lognormvariate(math.log(800), 1.0), 2),
            "hires": hires,
            "joined_at": _iso(START - timedelta(days=rng.uniform(0, 2000))),
        }
        if hires:
            record["rating"] = round(min(5.0, max(1.0, rng.gauss(4.7, 0.3))), 2)
        return record

    def _budget(
        self, category: str, level: str
    ) -> tuple[dict[str, Any] | None, float | None, float]:
        """The budget, its hourly top (for the hiring model) and a fixed price's spread.

        A fixed price needs the job's hours, drawn later; its spread is drawn here, where it
        always was, so every other draw of the market (and so the hiring) stays the same.
        """
        rng = self.rng
        kind = _weighted(rng, list(P.BUDGET_TYPE_SHARES.items()))
        mult = P.LEVEL_BUDGET_MULT[level]
        if kind == "hourly":
            low = round(P.CATEGORIES[category][1] * mult * rng.lognormvariate(0, 0.35))
            high = round(low * rng.uniform(1.3, 2.2))
            budget = {"type": "hourly", "min": low, "max": high, "currency": "USD"}
            return budget, float(high), 1.0
        if kind == "fixed":
            spread = rng.lognormvariate(0, P.FIXED_DRAW_SIGMA)
            return {"type": "fixed", "currency": "USD"}, None, spread
        return None, None, 1.0

    @staticmethod
    def _fixed_price(category: str, level: str, hours: float, spread: float) -> float:
        """A fixed price a client could offer for ``hours`` of work: hours x a market rate.

        The rate is the category's median hourly budget at the job's level, spread like
        hourly budgets (sigma 0.35): the lognormal ``spread`` drawn with sigma 0.9 is
        rescaled to that. So a fixed job's price per stated hour looks like an hourly post.
        """
        normal = math.log(spread) / P.FIXED_DRAW_SIGMA
        rate = P.CATEGORIES[category][1] * P.LEVEL_BUDGET_MULT[level]
        return max(10.0, round(hours * rate * math.exp(P.FIXED_RATE_SIGMA * normal), -1))

    def job(self, i: int, client: dict[str, Any]) -> _Job:
        """One job post."""
        rng = self.rng
        cats = [(c, v[0]) for c, v in P.CATEGORIES.items() if c in self.groups]
        category = _weighted(rng, cats)
        skills = self._pick_skills(category, 2, 6)
        level = _weighted(rng, list(P.EXPERIENCE_SHARES.items()))
        budget, max_usd, spread = self._budget(category, level)
        created = START + timedelta(days=rng.uniform(0, SPAN_DAYS), minutes=rng.uniform(0, 1440))
        role = P.CATEGORIES[category][3]
        project = rng.choice(T.PROJECTS[category])
        wanted = T.headline(skills[0], role.lower())
        lines = [
            T.fill(rng, T.OPENERS, role=wanted, a_role=with_article(wanted), project=project),
            T.fill(rng, T.SKILL_LINES, skills=T.join_skills(skills)),
            rng.choice(T.CLOSERS),
        ]
        wording = self.style.wording(self.style_rng)
        required, nice = list(skills), list[str]()  # a classic post marks nothing: all required
        if wording != "classic":  # the classic line was drawn all the same: ``rng`` stays put
            required, nice = self.style.split(self.style_rng, skills)
            lines[1] = T.skill_block(self.style_rng, wording, required, nice)
        if rng.random() < P.PII_IN_DESCRIPTION_SHARE:
            lines.append(
                f"Contact me at client{client['id']}@example.com or +44 20 7946 {i % 10000:04d}."
            )
        if rng.random() < P.NOTE_SHARE:
            lines.append(rng.choice(T.NOTES))
        languages = ["en"]
        names = {v: k for k, v in P.LANGUAGE_NAMES.items()}
        languages += [names[s] for s in skills if s in names and names[s] != "en"][:1]
        record: dict[str, Any] = {
            "id": f"j{i:06d}",
            "client_id": client["id"],
            "title": f"{T.headline(skills[0], role)} for {project}",
            "description": _tidy(" ".join(x for x in lines if x)),
            "skills": []
            if rng.random() < P.NO_SKILLS_LIST_SHARE
            else self._field(skills, set(required) if wording == "field_only" else None),
            "category": category,
            "duration_weeks": _weighted(rng, P.DURATIONS),
            "hours_per_week": _weighted(rng, P.HOURS_PER_WEEK),
            "experience_level": level,
            "languages": languages,
            "created_at": _iso(created),
            "status": "open" if created > END - timedelta(days=30) else "closed",
        }
        if budget and budget["type"] == "fixed":
            hours = float(record["duration_weeks"]) * float(record["hours_per_week"])
            budget["max"] = self._fixed_price(category, level, hours, spread)
        if budget:
            record["budget"] = budget
        segment = self.style.segment(client.get("company_size"))
        return _Job(
            record, category, skills, created, max_usd, languages, level,
            required=required, nice=nice, segment=segment, project=project,
        )  # fmt: skip

    def _field(self, skills: list[str], only: set[str] | None) -> list[str]:
        """The skills field as typed; ``only``: keep just these.

        Every skill is typed all the same, so ``rng`` draws the same whichever are kept.
        """
        typed = [self._typed(s) for s in skills]
        return [t for s, t in zip(skills, typed, strict=True) if only is None or s in only]

    # the hiring process -----------------------------------------------------------------
    def _event(self, ts: datetime, kind: str, job: _Job, fid: str, **extra: Any) -> dict[str, Any]:
        self._next_event += 1
        event = {
            "id": f"e{self._next_event:08d}",
            "ts": _iso(ts),
            "type": kind,
            "job_id": job.record["id"],
            "freelancer_id": fid,
        }
        event.update(extra)
        return event

    def utility(
        self,
        job: _Job,
        person: _Person,
        bid_usd: float,
        *,
        fair: bool = False,
        tailored: bool = False,
    ) -> float:
        """How much a client values an applicant (before noise): the hidden hiring model.

        ``fair``: as an unbiased client would, on the undepressed record and with no penalty.
        ``tailored``: the applicant's letter addresses the job. The weights are the client
        segment's (:mod:`tandem.bundle.generator_style`); the default style's are the classic.
        """
        required = job.required or job.skills
        coverage = len(person.skills & set(required)) / max(1, len(required))
        nice = len(person.skills & set(job.nice)) / len(job.nice) if job.nice else 0.0
        slope = self.style.price_sensitivity
        rate_fit = (
            1.0
            if job.budget_max_usd is None or bid_usd <= job.budget_max_usd
            else max(0.0, 1.0 - slope * (bid_usd - job.budget_max_usd) / job.budget_max_usd)
        )
        years = float(person.record["experience_years"])
        need = {"entry": 0.0, "intermediate": 2.0, "expert": 5.0}[job.level]
        exp_fit = 1.0 if years >= need else years / need
        spoken = {lang["code"] for lang in person.record["languages"]}
        lang_ok = 1.0 if set(job.languages) <= spoken else 0.0
        track = (person.fair_success if fair else float(person.record.get("job_success", 85))) / 100
        penalty = 0.0 if fair or not person.penalised else self.bias.penalty
        w = job.segment.weight
        return (
            w("coverage") * coverage
            + w("quality") * person.quality
            + w("rate") * rate_fit
            + w("experience") * exp_fit
            + w("language") * lang_ok
            + w("track") * track
            + w("nice") * nice
            + w("letter") * float(tailored)
            - penalty
        )

    def _bid(self, job: _Job, person: _Person) -> tuple[dict[str, Any] | None, float]:
        rng = self.rng
        budget = job.record.get("budget")
        if budget is None or budget["type"] == "hourly":
            amount = round(person.rate_usd * rng.uniform(0.85, 1.1), 0)
            return {"amount": amount, "type": "hourly", "currency": "USD"}, amount
        amount = round(float(budget["max"]) * rng.uniform(0.7, 1.3), 0)
        hourly_equiv = person.rate_usd
        return {"amount": amount, "type": "fixed", "currency": "USD"}, hourly_equiv

    def _letter(self, job: _Job, person: _Person) -> tuple[str, LetterStyle]:
        """A cover letter and its style (the classic letter is drawn all the same)."""
        rng = self.rng
        shared = sorted(person.skills & set(job.skills)) or sorted(person.skills)[:2]
        years = int(person.record["experience_years"])
        closing = rng.choice(T.LETTER_CLOSINGS)
        classic = T.fill(
            rng, T.LETTERS, years=years, skills=T.join_skills(shared[:3]), closing=closing
        )
        style = self.style.letter_style(self.style_rng, person.quality)
        if style == "classic":
            return classic, style
        srng = self.style_rng
        if style == "generic":
            return T.fill(srng, T.GENERIC_LETTERS, years=years, closing=closing), style
        return T.fill(
            srng,
            T.TAILORED_LETTERS,
            project=T.addressed(job.project),
            first=(job.required or job.skills)[0],
            skills=T.join_skills(shared[:3]),
            closing=closing,
        ), style

    def process(
        self, job: _Job, pool: list[_Person], next_proposal: int
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Applications, invitations and the client's decisions for one job."""
        rng = self.rng
        sample = rng.sample(pool, k=min(len(pool), 150))

        def appeal(p: _Person) -> float:
            fit = len(p.skills & set(job.skills)) / max(1, len(job.skills))
            busy = 0.15 if p.record["availability_hours_per_week"] == 0 else 1.0
            return (0.15 + fit) * busy

        n_apply = min(len(sample), max(1, round(rng.lognormvariate(*self.style.applicants))))
        weights = [appeal(p) for p in sample]
        applicants: dict[str, _Person] = {}
        while len(applicants) < n_apply and any(weights):
            idx = rng.choices(range(len(sample)), weights=weights, k=1)[0]
            applicants[sample[idx].record["id"]] = sample[idx]
            weights[idx] = 0.0
        invited = sorted(sample, key=lambda p: -(appeal(p) + 0.3 * p.quality))[: rng.randint(0, 2)]
        proposals, events = [], []
        for p in invited:
            if p.record["id"] not in applicants and rng.random() < 0.6:
                events.append(
                    self._event(
                        job.created + timedelta(hours=rng.uniform(1, 48)),
                        "invite",
                        job,
                        p.record["id"],
                        actor="client",
                    )
                )
                applicants[p.record["id"]] = p
        scored, fair = [], {}
        for n, (fid, person) in enumerate(sorted(applicants.items())):
            bid, bid_usd = self._bid(job, person)
            created = _iso(job.created + timedelta(hours=rng.uniform(2, 120)))
            letter, letter_style = self._letter(job, person)  # drawn after the time, as always
            tailored = letter_style == "tailored"
            source = "invited" if any(e["freelancer_id"] == fid for e in events) else "organic"
            proposals.append(
                {
                    "id": f"p{next_proposal + n:07d}",
                    "job_id": job.record["id"],
                    "freelancer_id": fid,
                    "created_at": created,
                    "cover_letter": letter,
                    "bid": bid,
                    "source": source,
                }
            )
            scored.append((self.utility(job, person, bid_usd, tailored=tailored), fid, person))
            fair[fid] = self.utility(job, person, bid_usd, fair=True, tailored=tailored)
        job.applicants = list(applicants)
        self._trace = Trace()
        invited_ids = {e["freelancer_id"] for e in events}
        events += self._decisions(job, scored)
        if self.keep_truth:
            self._record_truth(job, fair, invited_ids)
        return proposals, events

    def _record_truth(self, job: _Job, fair: dict[str, float], invited: set[str]) -> None:
        """What an unbiased client would have decided for this job (kept for ``truth/``)."""
        outcomes = unbiased_grades(
            fair,
            self._trace,
            shortlist_size=_shortlist_size(len(fair)),
            closed=job.record["status"] == "closed",
            invited=invited,
            rng=self.side_rng,
        )
        self.truth += [
            {"job_id": job.record["id"], "freelancer_id": fid, "outcome": o, "grade": GRADES[o]}
            for fid, o in sorted(outcomes.items())
        ]

    def _stage(
        self, pool: list[tuple[float, str, _Person]], noise: float, name: str
    ) -> list[tuple[float, str, _Person]]:
        """The pool re-ranked by what the client sees at one stage: utility plus that stage's noise.

        Each stage looks closer than the one before (a profile, then messages, then an
        interview), so its noise is smaller: later decisions track true fit better.
        """
        drawn = {fid: _gumbel(self.rng, noise) for _, fid, _ in pool}
        self._trace.noise[name] = drawn
        noisy = [(u + drawn[fid], fid, p) for u, fid, p in pool]
        order = sorted(range(len(pool)), key=lambda i: (-noisy[i][0], noisy[i][1]))
        return [pool[i] for i in order]

    def _decisions(
        self, job: _Job, scored: list[tuple[float, str, _Person]]
    ) -> list[dict[str, Any]]:
        rng, t0 = self.rng, job.created
        out: list[dict[str, Any]] = []
        shortlist = self._stage(scored, 0.9, "shortlist")[: _shortlist_size(len(scored))]
        for _, fid, _ in shortlist:
            when = t0 + timedelta(days=rng.uniform(2, 5))
            out.append(self._event(when, "shortlist", job, fid, actor="client"))
            if rng.random() < 0.5:
                when = t0 + timedelta(days=rng.uniform(3, 6))
                out.append(self._event(when, "message", job, fid, actor="client"))
        if job.record["status"] != "closed" or not shortlist:
            return out
        interviewed = self._stage(shortlist, 0.5, "interview")[: rng.randint(1, 3)]
        self._trace.interviews = len(interviewed)
        for _, fid, _ in interviewed:
            when = t0 + timedelta(days=rng.uniform(5, 9))
            out.append(self._event(when, "interview", job, fid, actor="client"))
        if rng.random() >= 0.8:
            return out
        ranked = self._stage(interviewed, 0.3, "hire")
        self._trace.hired = True
        _, fid, person = ranked[0]
        hired_at = t0 + timedelta(days=rng.uniform(8, 14))
        out.append(self._event(hired_at, "hire", job, fid, actor="client"))
        out += self._after_hire(job, fid, person, hired_at)
        others = [x for x in (ranked[1:] + shortlist) if x[1] != fid]
        for other in dict.fromkeys(x[1] for x in others[:3]):
            when = hired_at + timedelta(hours=2)
            out.append(self._event(when, "decline", job, other, actor="client"))
        return out

    def _after_hire(
        self, job: _Job, fid: str, person: _Person, hired_at: datetime
    ) -> list[dict[str, Any]]:
        done = hired_at + timedelta(weeks=float(job.record["duration_weeks"]))
        if done >= END:
            return []
        rng = self.rng
        rating = round(min(5.0, max(1.0, 4.4 + 0.4 * person.quality + rng.gauss(0, 0.3))), 1)
        if person.penalised:
            rating = round(max(1.0, rating - self.bias.review_cut), 1)
        comment = "Great work." if rating >= 4.5 else "OK."
        return [
            self._event(done, "end_contract", job, fid, actor="client"),
            self._event(
                done + timedelta(days=1),
                "review",
                job,
                fid,
                actor="client",
                rating=rating,
                comment=comment,
            ),
        ]

    # the whole marketplace --------------------------------------------------------------
    def write(
        self,
        out_dir: Path,
        n_freelancers: int,
        n_jobs: int,
        progress: Callable[[str, int], None] | None = None,
        *,
        truth: bool = False,
    ) -> dict[str, int]:
        """Generate and write a bundle; returns records written per file.

        ``truth``: also write ``truth/unbiased_outcomes.jsonl`` and ``truth/bias.json`` in
        ``out_dir`` (a folder the importer never reads): every applicant's outcome had the
        clients been unbiased, and the bias parameters.
        """
        out_dir.mkdir(parents=True, exist_ok=True)
        self.truth, self.keep_truth = [], truth
        people = [self.freelancer(i + 1) for i in range(n_freelancers)]
        if progress:
            progress("freelancers", n_freelancers)
        by_category: dict[str, list[_Person]] = {}
        for p in people:
            by_category.setdefault(p.category, []).append(p)
        clients = [self.client(i + 1) for i in range(max(1, n_jobs // 3))]
        jobs: list[dict[str, Any]] = []
        proposals: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for i in range(n_jobs):
            job = self.job(i + 1, self.rng.choice(clients))
            pool = by_category.get(job.category) or people
            props, evs = self.process(job, pool, len(proposals) + 1)
            jobs.append(job.record)
            proposals += props
            events += evs
            if progress and (i + 1) % 500 == 0:
                progress("jobs", 500)
        if progress:
            progress("jobs", n_jobs % 500)
        events.sort(key=lambda e: (e["ts"], e["id"]))
        files = {
            "clients": clients,
            "freelancers": [p.record for p in people],
            "jobs": jobs,
            "proposals": proposals,
            "events": events,
        }
        for name, rows in files.items():
            with (out_dir / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
                for row in rows:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        if truth:
            _write_truth(out_dir / "truth", self.truth, self.bias)
        return {name: len(rows) for name, rows in files.items()}


def _shortlist_size(applicants: int) -> int:
    """A client shortlists a third of the applicants, at least one, at most the maximum."""
    return min(P.MAX_SHORTLIST, max(1, applicants // 3))


def _write_truth(directory: Path, rows: list[dict[str, Any]], bias: Bias) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "unbiased_outcomes.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    (directory / "bias.json").write_text(json.dumps(bias.as_dict(), indent=2) + "\n")


def _tidy(text: str) -> str:
    """No spaces around the line breaks a bulleted block brings into a post."""
    return text.replace(" \n", "\n").replace("\n ", "\n").strip()
