"""Structured filters, evaluated as numpy masks over a collection's columns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AtMost:
    """A number column at most ``value``; unknown values fail."""

    column: str
    value: float


@dataclass(frozen=True)
class AtLeast:
    """A number column at least ``value``; unknown values fail."""

    column: str
    value: float


@dataclass(frozen=True)
class TagIn:
    """A tag column equal to one of ``values``."""

    column: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class HasSkills:
    """Documents listing every one of ``skills`` (canonical names)."""

    skills: tuple[str, ...]


Filter = AtMost | AtLeast | TagIn | HasSkills
