"""Fair re-ranking: every top of a list holds each group close to its share of the candidates.

Why Geyik et al.'s deterministic algorithms (KDD 2019) and not FA*IR (Zehlike et al.,
CIKM 2017): FA*IR protects *one* group with a one-sided binomial test, so it only promises the
protected group a minimum that sits below its share (the test's lower quantile) and says
nothing of a third group. Protected attributes here have several values (a gender field holds
"woman", "man", "non-binary", ...) and the target is two-sided: in every prefix of length k each
group g holds about ``k * p_g`` people, ``p_g`` its share among the list's candidates whose
attribute is known. Geyik's algorithms enforce, for every k, ``count_g(k) >= floor(k * p_g)``
and (all but DetConstSort) ``count_g(k) <= ceil(k * p_g)``: within one person of the share.

Six variants are offered, chosen by name. All keep every prefix within those bounds; they
differ in who gets a slot no minimum claims (a *leftover*), and that is what decides both the
cost in ranking quality and how far pooled selection rates move:

- ``amortised`` (the default): ``aligned``, and in the top 5 and the top 10 one more leftover
  slot (the latest one that can) goes to a group whose selection rate, pooled over the
  rankings already served under the policy, is below 0.9 of the best group's (see
  :mod:`tandem.fairness.tally`; the engine counts the 200 most recent ones in the decision log,
  which in a ``tandem rank`` batch is the batch so far). Why: an audit pools, and no per-list
  rule corrects a pooled rate by exactly the right amount whatever the bias; ``aligned``'s
  mean gap understates a strong bias (0.75-0.77 at bias 0.9 on two of three seeds) and
  ``proportional`` over-corrects at 5-6% NDCG. Steering by the pooled rate itself lifts a group
  as long as it is behind and no longer, so the result does not depend on the bias strength.
  Measured (``bench/bench_fairness.py``, table in bench/README): on seed 1, where it was
  chosen, 0.94 at bias 0.9 against ``aligned``'s 0.85 in the same run, NDCG@10 against
  unbiased outcomes +0.1% relative to no policy; held out (seeds 4 and 5 at 0.9, seed 1 at
  the generator's maximum 1.0): 0.92-0.94 where ``aligned`` gave 0.77-0.84, minimum over all
  groups 0.90-0.92, NDCG@10 -0.2% to +1.6% relative to no policy (-0.4% to +0.1% relative to
  ``aligned``). With no bias (seed 4, bias 0) it cost 1.5% NDCG@10 (``aligned`` 1.1%): the
  tally still acts on chance differences early in a batch and on the smallest group. It reads
  no outcome: only scores, groups and served positions.
  With nothing behind, or no tally (talent search, which logs no ranking of people per job),
  it is exactly ``aligned``.
- ``aligned``: DetGreedy over scores with each group's offset removed (see
  :mod:`tandem.fairness.alignment`: the gap the model puts between a group and the rest of a
  list, estimated once over many lists). The bounds are the guarantee; the alignment decides
  the leftovers, which DetGreedy alone hands to the group the biased model favours. Why it is
  needed: ``floor(k p)`` promises nothing to a group with a small share of a short list (one
  woman among eight applicants: ``floor(5/8) = 0`` seats in the top 5), so pooled selection
  rates stay low wherever lists are short. Measured (``bench/bench_fairness.py``, table in
  bench/README): on every biased market measured it lifted the women/men impact ratio in the
  top 5 above ``detgreedy``'s by 0.07-0.11 (seed 1, where it was chosen: 0.87 / 0.83 / 0.75
  at bias 0.3 / 0.6 / 0.9, against 0.81 / 0.75 / 0.65; held-out seeds 2 and 3: 0.89 / 0.85
  at 0.6, 0.82 / 0.77 at 0.9) while NDCG@10 against unbiased outcomes moved by -0.1% to +1.0%:
  removing the gap removes bias, not information. It does not guarantee 0.80 at strong bias
  (0.75 and 0.77 at 0.9 on seeds 1 and 3): the mean gap understates how rarely the model
  scores the depressed group at the very top. Without offsets (none given, or a group seen too
  rarely) it is exactly ``detgreedy``.
- ``detgreedy``: Geyik's DetGreedy, the best next score among groups under their maximum.
  Least cost among the unaligned ones: applied to the *ideal* order (applicants sorted by what
  unbiased clients decided) it lost 0.6-1.1% NDCG@10 on two generated markets (bias 0.6); on the
  learned ranker it cost 0.2% or less (``bench/bench_fairness.py``, 136 held-out jobs per
  market). It corrects only as
  far as the bounds force it: women/men impact ratio in the top 5 went 0.68 -> 0.84 at bias
  0.3, but only 0.61 -> 0.75 at bias 0.6, because leftovers still go to the group the biased
  model scores highest.
- ``proportional``: the group furthest below its share (largest ``k p_g - count_g``), best
  score first on ties: DetCons with a different leftover rule. Pooled rates come out nearly
  equal (impact ratio 0.90-0.94 at every bias level measured) but leftovers ignore scores, so
  it cost 5-6% NDCG@10 against unbiased outcomes, even on a market with no bias at all, and
  7.8-8.7% on the ideal order (same two markets): per-list proportions are stricter than
  what unbiased clients produce list by list, since their picks vary by chance.
- ``detcons``: Geyik's DetCons as published (the soonest next deadline ``ceil(k p) / p``; it
  ties often in short prefixes and then falls back to score).
- ``detconstsort``: Geyik's Algorithm 3: the same minimums, no maximum, and higher scores move
  up past people whose deadline allows it: closest to score order, least correction.

Order *within* a group always stays the model's.

People whose attribute is unknown keep their exact positions (they are neither lifted nor
pushed down); the known people are reordered among the remaining slots. Nobody is added or
removed. Everything is integer arithmetic on counts (``k * n_g // n``), so the last position
always ends exactly at the group sizes, with no floating-point drift.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Final, Literal, NamedTuple

from tandem.errors import ValidationError

FairMethod = Literal["amortised", "aligned", "detgreedy", "proportional", "detcons", "detconstsort"]
_Leftover = Callable[[int, int, int, int], Fraction]


class Placement(NamedTuple):
    """Where one person ends up: the 1-based position by score and the one served."""

    item: int
    by_score: int
    served: int

    @property
    def moved(self) -> bool:
        """Whether the policy changed this person's position."""
        return self.by_score != self.served


def _queues(groups: Sequence[str]) -> dict[str, deque[int]]:
    queues: dict[str, deque[int]] = {}
    for i, g in enumerate(groups):
        queues.setdefault(g, deque()).append(i)
    return queues


def _constrained(
    groups: Sequence[str], leftover: _Leftover, favour: Mapping[int, Sequence[str]] | None = None
) -> list[int]:
    """Geyik et al.'s constrained greedy skeleton over a list in score order.

    At each position k the best-scored group below its minimum ``floor(k p)`` takes the slot;
    if none is, ``leftover`` picks among the groups below their maximum ``ceil(k p)``, after
    the groups ``favour[k]`` names (in that order; ``amortised`` uses it), if any is below.
    ``sum(count) = k - 1 < k <= sum(ceil(k p))``, so some live group is always below its
    maximum and the loop never stalls.
    """
    favoured = favour or {}
    n = len(groups)
    queues = _queues(groups)
    size = {g: len(q) for g, q in queues.items()}
    count = dict.fromkeys(queues, 0)
    out: list[int] = []
    for k in range(1, n + 1):
        live = [g for g, q in queues.items() if q]
        below_min = [g for g in live if count[g] < k * size[g] // n]
        if below_min:
            pick = min(below_min, key=lambda g: queues[g][0])
        else:
            below_max = [g for g in live if count[g] < -(-k * size[g] // n)]
            first = favoured.get(k, ())

            pick = min(
                below_max,
                key=lambda g: (
                    first.index(g) if g in first else len(first),
                    leftover(k, n, size[g], count[g]),
                    queues[g][0],
                ),
            )
        out.append(queues[pick].popleft())
        count[pick] += 1
    return out


def _soonest_deadline(k: int, n: int, size: int, count: int) -> Fraction:
    """DetCons: the group whose next minimum comes soonest, ``ceil(k p) / p``."""
    return Fraction(-(-k * size // n) * n, size)


def _largest_deficit(k: int, n: int, size: int, count: int) -> Fraction:
    """The group furthest below its share ``k p - count`` (negated: smaller is picked)."""
    return Fraction(count * n - k * size, n)


def _best_score(k: int, n: int, size: int, count: int) -> Fraction:
    """DetGreedy: no preference between groups, so the best next score takes the slot."""
    return Fraction(0)


def proportional(groups: Sequence[str]) -> list[int]:
    """Minimums by score, then each leftover slot to the group furthest below its share."""
    return _constrained(groups, _largest_deficit)


def detcons(groups: Sequence[str]) -> list[int]:
    """Geyik et al.'s DetCons over a list in score order; returns the indices in fair order."""
    return _constrained(groups, _soonest_deadline)


def detgreedy(groups: Sequence[str]) -> list[int]:
    """Geyik et al.'s DetGreedy: minimums first, leftovers to the best score under its maximum."""
    return _constrained(groups, _best_score)


def detconstsort(groups: Sequence[str]) -> list[int]:
    """Geyik et al.'s DetConstSort (Algorithm 3) over a list in score order."""
    n = len(groups)
    queues = _queues(groups)
    size = {g: len(q) for g, q in queues.items()}
    mins = dict.fromkeys(queues, 0)
    placed: list[int] = []
    deadline: list[int] = []  # the last 1-based position each placed person may sink to
    for k in range(1, n + 1):
        due = {g: k * size[g] // n for g in queues}
        for g in sorted((g for g in queues if due[g] > mins[g]), key=lambda g: queues[g][0]):
            for _ in range(due[g] - mins[g]):
                placed.append(queues[g].popleft())
                deadline.append(k)
                at = len(placed) - 1
                # move up while the one above may sink a place and scores lower (larger index)
                while at > 0 and deadline[at - 1] >= at + 1 and placed[at - 1] > placed[at]:
                    placed[at - 1], placed[at] = placed[at], placed[at - 1]
                    deadline[at - 1], deadline[at] = deadline[at], deadline[at - 1]
                    at -= 1
        mins = due
    return placed


def amortised(
    groups: Sequence[str], behind: Mapping[int, Sequence[str]] | None = None
) -> list[int]:
    """DetGreedy, with a leftover slot in the top ``k`` given to each group ``behind[k]`` names.

    ``behind`` maps a cut ``k`` to the groups whose pooled rate is behind at that cut (see
    :mod:`tandem.fairness.tally`), furthest behind first. For each, the *latest* leftover slot
    at or above ``k`` that brings one more of its members into the top ``k`` goes to it (a
    slot at ``k`` costs the least: everyone above keeps their place; on seed 1 at bias 0.9,
    favouring every leftover slot of the top 5 instead cost 0.6% more NDCG@10 for the same
    ratio). If no slot can (the group is at its maximum ``ceil(k p)``, or out of people), the
    list is DetGreedy's. A lift never undoes an earlier one, and a cut's lifts never touch the
    top of the cut before it. Every bound of :func:`detgreedy` holds: only leftovers change
    hands.
    """
    favour: dict[int, list[str]] = {}
    above = 0
    for cut in sorted(behind or {}):
        if cut >= len(groups):
            break  # the whole list is selected: nothing to lift
        lifted: dict[str, int] = {}
        for g in (behind or {})[cut]:
            if g in lifted or g not in groups:
                continue
            top = [groups[i] for i in _constrained(groups, _best_score, favour)[:cut]]
            lifted[g] = top.count(g)
            for slot in range(cut, above, -1):
                trial = {**favour, slot: [*favour.get(slot, []), g]}
                top = [groups[i] for i in _constrained(groups, _best_score, trial)[:cut]]
                if top.count(g) > lifted[g] and all(top.count(h) >= c for h, c in lifted.items()):
                    favour, lifted[g] = trial, top.count(g)
                    break
        above = cut
    return _constrained(groups, _best_score, favour)


FAIR_METHODS: Final[dict[str, Callable[[Sequence[str]], list[int]]]] = {
    "amortised": amortised,  # over the aligned order, with the tally's groups: see fair_order
    "aligned": detgreedy,  # over the aligned order: see fair_order
    "detgreedy": detgreedy,
    "proportional": proportional,
    "detcons": detcons,
    "detconstsort": detconstsort,
}


def fair_order(
    groups: Sequence[str | None],
    method: str = "amortised",
    *,
    scores: Sequence[float] | None = None,
    offsets: Mapping[str, float] | None = None,
    behind: Mapping[int, Sequence[str]] | None = None,
) -> list[Placement]:
    """The fair order of a list given in score order, one :class:`Placement` per person.

    ``groups[i]`` is the group of the person ranked ``i + 1`` by score, ``None`` when unknown.
    ``aligned`` and ``amortised`` first re-sort the known people by ``scores[i] -
    offsets[group]`` (a group without an offset keeps its score; without scores nothing moves,
    so it is ``detgreedy``); the other methods read the score order only. ``behind``
    (``amortised`` only): per cut ``k`` (served positions, unknowns included), the groups
    whose pooled rate is behind (:func:`tandem.fairness.tally.behind`). The result is in
    served order.
    """
    if method not in FAIR_METHODS:
        raise ValidationError(
            f"unknown fairness method {method!r}: use one of {', '.join(FAIR_METHODS)}"
        )
    slots = [i for i, g in enumerate(groups) if g is not None]
    if method in ("aligned", "amortised") and scores is not None and offsets:
        shift = offsets
        # a constant per group: each group's own order stays the model's (ties by score order)
        known = sorted(slots, key=lambda i: (-(scores[i] - shift.get(groups[i] or "", 0.0)), i))
    else:
        known = slots
    order = list(range(len(groups)))
    known_groups = [groups[i] or "" for i in known]
    if method == "amortised":
        # a cut counts served positions; unknowns keep theirs, so it holds fewer known slots
        cuts: dict[int, list[str]] = {}
        for k, gs in sorted((behind or {}).items()):
            cuts.setdefault(sum(1 for s in slots if s < k), []).extend(gs)
        picked = amortised(known_groups, cuts)
    else:
        picked = FAIR_METHODS[method](known_groups)
    for slot, j in zip(slots, picked, strict=True):
        order[slot] = known[j]
    return [Placement(i, i + 1, at) for at, i in enumerate(order, start=1)]
