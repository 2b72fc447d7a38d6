"""The :class:`Engine`: every layer of the facade, in one class (see ``tandem.engine``)."""

from tandem.engine.access import AccessLayer


class Engine(AccessLayer):
    """Tandem, wired from :class:`tandem.settings.Settings`."""
