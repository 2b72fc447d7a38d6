"""The one facade that wires Tandem's parts from settings.

CLI, API, web UI and library users all go through :class:`Engine`. It holds
no ranking or parsing logic of its own: it connects the store, the taxonomy,
the encoder, the search collections, the matcher and the learners, and turns
their outputs into the served result types. It is built in layers, one module
each: ``core`` (wiring, records, indexes) < ``queries`` (search, match) <
``serving`` (decision log, events, replay) < ``learning`` (train, learn, eval) <
``auditing`` (fairness audits) < ``privacy`` (erasure, subject access, retention) <
``access`` (users, tokens, sessions, and :meth:`Engine.as_user`: the engine acting for
one identity under the access table).

Importing this package is cheap: its names load on first use (PEP 562), so a command can
start loading the sentence encoder (:mod:`tandem.engine.prefetch`) while the engine's own
imports (the store, the search indexes, the rankers) are still running.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tandem.engine.acting import UserView
    from tandem.engine.core import upgrade_store
    from tandem.engine.facade import Engine
    from tandem.engine.types import CandidateSource, JobQuery, Requester, TalentQuery
    from tandem.store.conversations import Conversation, Message

_HOME = {
    "Engine": "tandem.engine.facade",
    "CandidateSource": "tandem.engine.types",
    "Conversation": "tandem.store.conversations",  # a companion session, as the engine keeps it
    "Message": "tandem.store.conversations",
    "JobQuery": "tandem.engine.types",
    "Requester": "tandem.engine.types",
    "TalentQuery": "tandem.engine.types",
    "UserView": "tandem.engine.acting",
    "upgrade_store": "tandem.engine.core",
}


def __getattr__(name: str) -> Any:
    """A public name of the engine, imported from its module on first use."""
    if name not in _HOME:
        raise AttributeError(f"module 'tandem.engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "CandidateSource",
    "Conversation",
    "Engine",
    "JobQuery",
    "Message",
    "Requester",
    "TalentQuery",
    "UserView",
    "upgrade_store",
]
