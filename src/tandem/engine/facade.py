"""The :class:`Engine`: every layer of the facade, in one class (see ``tandem.engine``)."""

from tandem.engine.learning import LearningLayer


class Engine(LearningLayer):
    """Tandem, wired from :class:`tandem.settings.Settings`."""
