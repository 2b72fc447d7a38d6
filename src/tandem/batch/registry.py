"""Executors by name (``--executor``): a dict, so an unknown name is refused up front."""

from __future__ import annotations

from collections.abc import Callable

from tandem.batch.base import Executor
from tandem.errors import ValidationError


def _local(address: str | None) -> Executor:
    from tandem.batch.local import LocalExecutor

    if address is not None:
        raise ValidationError("--ray-address needs --executor ray")
    return LocalExecutor()


def _ray(address: str | None) -> Executor:
    from tandem.batch.raydata import RayExecutor  # ray itself is imported on first use

    return RayExecutor(address=address)


EXECUTORS: dict[str, Callable[[str | None], Executor]] = {"local": _local, "ray": _ray}


def create_executor(name: str, address: str | None = None) -> Executor:
    """The executor called ``name``; ``address`` is a Ray cluster's (``None``: a local Ray)."""
    if name not in EXECUTORS:
        raise ValidationError(f"unknown executor {name!r}; known: {', '.join(EXECUTORS)}")
    return EXECUTORS[name](address)
