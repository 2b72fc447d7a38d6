"""What each freelancer's events say about them before a given moment (no peeking ahead)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from tandem.rank.features import PastOutcomes

#: The outcomes of a freelancer with no recorded hire or review (frozen, so shared).
NOTHING_YET = PastOutcomes()


class EventLike(Protocol):
    """What history reads of an event (an :class:`~tandem.domain.Event` or a store outcome)."""

    @property
    def freelancer_id(self) -> str | None: ...  # noqa: D102

    @property
    def type(self) -> str: ...  # noqa: D102

    @property
    def ts(self) -> datetime: ...  # noqa: D102

    @property
    def rating(self) -> float | None: ...  # noqa: D102


class History:
    """Hires and review ratings per freelancer, in time order, queried as of a time."""

    def __init__(self, events: Iterable[EventLike]) -> None:
        hires: dict[str, list[float]] = {}
        reviews: dict[str, list[tuple[float, float]]] = {}
        for e in events:
            if not e.freelancer_id:
                continue
            if e.type == "hire":
                hires.setdefault(e.freelancer_id, []).append(e.ts.timestamp())
            elif e.type == "review" and e.rating is not None:
                reviews.setdefault(e.freelancer_id, []).append((e.ts.timestamp(), e.rating))
        self._hires = {k: sorted(v) for k, v in hires.items()}
        self._reviews: dict[str, tuple[list[float], list[float]]] = {}
        for fid, items in reviews.items():
            items.sort()
            times = [t for t, _ in items]
            running: list[float] = []
            total = 0.0
            for _, rating in items:
                total += rating
                running.append(total)
            self._reviews[fid] = (times, running)

    def as_of(self, freelancer_id: str, when: datetime) -> PastOutcomes:
        """Outcomes recorded strictly before ``when``.

        Most freelancers have none (569 of 10k were ever hired in the benchmark market) and
        a match asks for 300 of them: those get one shared empty record, no search.
        """
        hired = self._hires.get(freelancer_id)
        reviewed = self._reviews.get(freelancer_id)
        if hired is None and reviewed is None:
            return NOTHING_YET
        t = when.timestamp()
        hires = bisect.bisect_left(hired, t) if hired is not None else 0
        times, running = reviewed if reviewed is not None else ([], [])
        n = bisect.bisect_left(times, t)
        mean = running[n - 1] / n if n else None
        return PastOutcomes(hires=hires, reviews=n, mean_review=mean)
