"""The one facade that wires Tandem's parts from settings.

CLI, API, web UI and library users all go through :class:`Engine`. It holds
no ranking or parsing logic of its own: it connects the store, the taxonomy,
the encoder, the search collections, the matcher and the learners, and turns
their outputs into the served result types. It is built in layers, one module
each: ``core`` (wiring, records, indexes) < ``queries`` (search, match) <
``serving`` (decision log, events, replay) < ``learning`` (train, learn, eval).
"""

from tandem.engine.learning import LearningLayer
from tandem.engine.types import CandidateSource, JobQuery, Requester, TalentQuery


class Engine(LearningLayer):
    """Tandem, wired from :class:`tandem.settings.Settings`."""


__all__ = ["CandidateSource", "Engine", "JobQuery", "Requester", "TalentQuery"]
