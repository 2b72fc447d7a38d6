"""Fair re-ranking: every top of a list holds each group close to its share of the candidates.

Why Geyik et al.'s deterministic algorithms (KDD 2019) and not FA*IR (Zehlike et al.,
CIKM 2017): FA*IR protects *one* group with a one-sided binomial test, so it only promises the
protected group a minimum that sits below its share (the test's lower quantile) and says
nothing of a third group. Protected attributes here have several values (a gender field holds
"woman", "man", "non-binary", ...) and the target is two-sided: in every prefix of length k each
group g holds about ``k * p_g`` people, ``p_g`` its share among the list's candidates whose
attribute is known. Geyik's algorithms enforce, for every k, ``count_g(k) >= floor(k * p_g)``
and (DetCons) ``count_g(k) <= ceil(k * p_g)``.

Three variants are offered, chosen by name; all enforce the minimums, and differ in who gets
a slot no minimum claims (a *leftover*):

- ``proportional`` (the default): the group furthest below its share (largest
  ``k p_g - count_g``), best score first on ties. It is DetCons with a different leftover
  rule, and the leftover rule is what matters for short tops: with 3 known people in a top 5
  and shares 0.4 / 0.4 / 0.2, the floors guarantee one slot to each of the first two groups
  and none to the third. A rule that fills leftovers by score (``detconstsort``) hands them
  to whichever group the (possibly biased) model scores highest; pooled over many lists that
  kept a simulated woman/man impact ratio at 0.68 (3,000 lists of 2-150 applicants, 60%
  disclosing, women's scores shifted down 0.6 sd). DetCons's rule (the soonest next deadline,
  ``ceil(k p) / p``) ties often in short prefixes and then falls back to score: woman/man 0.96
  but non-binary/man 0.78. The largest-deficit rule gave 0.95 and 0.94, every group's
  top-5 rate within 0.19-0.21. Order *within* a group always stays the model's.
- ``detcons``: Geyik's DetCons as published.
- ``detconstsort``: Geyik's Algorithm 3: the same minimums, and higher scores move up past
  people whose deadline allows it: closest to score order, loosest on shares.

People whose attribute is unknown keep their exact positions (they are neither lifted nor
pushed down); the known people are reordered among the remaining slots. Nobody is added or
removed. Everything is integer arithmetic on counts (``k * n_g // n``), so the last position
always ends exactly at the group sizes, with no floating-point drift.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Final, Literal, NamedTuple

from tandem.errors import ValidationError

FairMethod = Literal["proportional", "detcons", "detgreedy", "detconstsort"]
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
    "proportional": proportional,
    "detcons": detcons,
    "detgreedy": detgreedy,
    "detconstsort": detconstsort,
}


def fair_order(groups: Sequence[str | None], method: str = "proportional") -> list[Placement]:
    """The fair order of a list given in score order, one :class:`Placement` per person.

    ``groups[i]`` is the group of the person ranked ``i + 1`` by score, ``None`` when unknown.
    The result is in served order.
    """
    if method not in FAIR_METHODS:
        raise ValidationError(
            f"unknown fairness method {method!r}: use one of {', '.join(FAIR_METHODS)}"
        )
    slots = [i for i, g in enumerate(groups) if g is not None]
    known = [g for g in groups if g is not None]
    order = list(range(len(groups)))
    for slot, j in zip(slots, FAIR_METHODS[method](known), strict=True):
        order[slot] = slots[j]
    return [Placement(i, i + 1, at) for at, i in enumerate(order, start=1)]
