"""Response shapes of the API that are not domain models themselves."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

from tandem.domain import Freelancer

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A list envelope with pagination."""

    items: list[T]
    total: int
    offset: int
    limit: int


class Ranked(BaseModel, Generic[T]):
    """Ranked results (search, match, recommend), paginated."""

    results: list[T]
    offset: int
    limit: int


PRIVATE_FIELDS = frozenset({"email", "phone", "attributes"})


def public_profile(f: Freelancer) -> dict[str, object]:
    """A freelancer as other users may see them: no email, phone or self-reported attributes."""
    data = f.to_json_dict()
    return {k: v for k, v in data.items() if k not in PRIVATE_FIELDS}
