"""Executors for bulk work (embedding and skill reading at import and re-index): local, Ray."""

from tandem.batch.base import Batch, Executor, Work
from tandem.batch.registry import EXECUTORS, create_executor

__all__ = ["EXECUTORS", "Batch", "Executor", "Work", "create_executor"]
