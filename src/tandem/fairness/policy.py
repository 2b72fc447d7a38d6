"""Fair re-ranking: every top of a list holds each group close to its share of the candidates.

Why Geyik et al.'s deterministic algorithms (KDD 2019) and not FA*IR (Zehlike et al.,
CIKM 2017): FA*IR protects *one* group with a one-sided binomial test, so it only promises the
protected group a minimum that sits below its share (the test's lower quantile) and says
nothing of a third group. Protected attributes here have several values (a gender field holds
"woman", "man", "non-binary", ...) and the target is two-sided: in every prefix of length k each
group g holds about ``k * p_g`` people, ``p_g`` its share among the list's candidates whose
attribute is known. Geyik's algorithms enforce, for every k, ``count_g(k) >= floor(k * p_g)``
and (all but DetConstSort) ``count_g(k) <= ceil(k * p_g)``: within one person of the share.

Five variants are offered, chosen by name. All keep every prefix within those bounds; they
differ in who gets a slot no minimum claims (a *leftover*), and that is what decides both the
cost in ranking quality and how far pooled selection rates move:

- ``aligned`` (the default): DetGreedy over scores with each group's offset removed (see
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

FairMethod = Literal["aligned", "detgreedy", "proportional", "detcons", "detconstsort"]
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


def _constrained(groups: Sequence[str], leftover: _Leftover) -> list[int]:
    """Geyik et al.'s constrained greedy skeleton over a list in score order.

    At each position k the best-scored group below its minimum ``floor(k p)`` takes the slot;
    if none is, ``leftover`` picks among the groups below their maximum ``ceil(k p)``.
    ``sum(count) = k - 1 < k <= sum(ceil(k p))``, so some live group is always below its
    maximum and the loop never stalls.
    """
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
            pick = min(below_max, key=lambda g: (leftover(k, n, size[g], count[g]), queues[g][0]))
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


FAIR_METHODS: Final[dict[str, Callable[[Sequence[str]], list[int]]]] = {
    "aligned": detgreedy,  # over the aligned order: see fair_order
    "detgreedy": detgreedy,
    "proportional": proportional,
    "detcons": detcons,
    "detconstsort": detconstsort,
}


def fair_order(
    groups: Sequence[str | None],
    method: str = "aligned",
    *,
    scores: Sequence[float] | None = None,
    offsets: Mapping[str, float] | None = None,
) -> list[Placement]:
    """The fair order of a list given in score order, one :class:`Placement` per person.

    ``groups[i]`` is the group of the person ranked ``i + 1`` by score, ``None`` when unknown.
    ``aligned`` first re-sorts the known people by ``scores[i] - offsets[group]`` (a group
    without an offset keeps its score; without scores nothing moves, so it is ``detgreedy``);
    the other methods read the score order only. The result is in served order.
    """
    if method not in FAIR_METHODS:
        raise ValidationError(
            f"unknown fairness method {method!r}: use one of {', '.join(FAIR_METHODS)}"
        )
    slots = [i for i, g in enumerate(groups) if g is not None]
    if method == "aligned" and scores is not None and offsets:
        shift = offsets
        # a constant per group: each group's own order stays the model's (ties by score order)
        known = sorted(slots, key=lambda i: (-(scores[i] - shift.get(groups[i] or "", 0.0)), i))
    else:
        known = slots
    order = list(range(len(groups)))
    picked = FAIR_METHODS[method]([groups[i] or "" for i in known])
    for slot, j in zip(slots, picked, strict=True):
        order[slot] = known[j]
    return [Placement(i, i + 1, at) for at, i in enumerate(order, start=1)]
