"""Pages of a web list: which results ``?page=N`` shows, and counts that are true.

A search is ranked ``MAX_TOP`` deep at most, so a list longer than that says how many
it found and that only the first ``MAX_TOP`` can be paged through (narrow the search to
reach the rest), rather than offering pages that would come back empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from tandem.engine.types import MAX_TOP

#: Results per page on the web lists.
PER_PAGE = 20
#: The last page a ranked list may ask for (its first result is still within ``MAX_TOP``).
LAST_PAGE = MAX_TOP // PER_PAGE
#: The furthest page a stored list (users, imports) may be asked for: all of it is reachable.
STORED_LAST_PAGE = 1_000_000


@dataclass(frozen=True)
class Pager:
    """Page ``page`` (1-based) of ``total`` results, ``shown`` of them on this page."""

    page: int
    total: int
    shown: int
    per_page: int = PER_PAGE

    @property
    def offset(self) -> int:
        """Results before this page."""
        return (self.page - 1) * self.per_page

    @property
    def first(self) -> int:
        """The 1-based number of the first result shown (0: none shown)."""
        return self.offset + 1 if self.shown else 0

    @property
    def last(self) -> int:
        """The 1-based number of the last result shown."""
        return self.offset + self.shown

    @property
    def reachable(self) -> int:
        """How many results paging can reach (a ranking is at most ``MAX_TOP`` deep)."""
        return min(self.total, MAX_TOP)

    @property
    def pages(self) -> int:
        """How many pages the reachable results fill."""
        return max(1, -(-self.reachable // self.per_page))

    @property
    def past_end(self) -> bool:
        """Whether this page is after the last one that holds results (``?page=99``)."""
        return self.total > 0 and self.page > self.pages

    @property
    def has_prev(self) -> bool:
        """Whether a previous page exists (past the end, the way back is page 1 or the last)."""
        return 1 < self.page <= self.pages

    @property
    def has_next(self) -> bool:
        """Whether a next page holds results."""
        return self.last < self.reachable and self.page < self.pages


@dataclass(frozen=True)
class StoredPager(Pager):
    """A page of a list read from the store (users, imports): every row of it reachable."""

    @property
    def reachable(self) -> int:
        """Every row (a stored list is not a ranking cut at a depth)."""
        return self.total


def depth(page: int, per_page: int = PER_PAGE) -> int:
    """How deep to rank for page ``page``: to its end, never past ``MAX_TOP``."""
    return min(page * per_page, MAX_TOP)


def page_asked(params: QueryParams, page: int) -> int:
    """The page the person asked for (``?page=999``), to say it back when it is past the end.

    A ranked list is only ranked :data:`LAST_PAGE` pages deep, so it reads page 999 as its
    furthest page; saying "page 50 is past the end" to whoever typed 999 would be untrue.
    ``page`` (the page read) when the query holds no larger number.
    """
    raw = params.get("page", "")
    asked = int(raw) if raw.isdigit() and len(raw) <= 10 else 0
    return max(asked, page)


def page_link(params: QueryParams, page: int) -> str:
    """The query string of the same list at page ``page`` (every other parameter kept)."""
    kept = [(k, v) for k, v in params.multi_items() if k != "page"]
    return "?" + urlencode([*kept, *([("page", str(page))] if page > 1 else [])])
