"""The text tools the companion drafts with: what it needs of the engine that reads no records.

Drafting a job post, editing it and reading a search request only read the words someone
typed (skills, levels, budgets) and may ask a language model to word the result. They need
no identity, so they take anything with these tools: the engine itself (a library user) or
the identity-bound :class:`tandem.engine.UserView` the companion acts through. Everything
that reads or writes a record goes through the view, where the access table is enforced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tandem.llm import ChatBackend
    from tandem.skills import Normaliser, PhraseExtractor, Taxonomy
    from tandem.skills.reader import SkillReader


class Tools(Protocol):
    """Skill reading, the taxonomy and the optional language model."""

    @property
    def reader(self) -> SkillReader:
        """Skills named in free text."""
        ...

    @property
    def extractor(self) -> PhraseExtractor:
        """Skill phrases in text."""
        ...

    @property
    def taxonomy(self) -> Taxonomy:
        """The skill taxonomy."""
        ...

    @property
    def normaliser(self) -> Normaliser:
        """Skill names to the taxonomy's."""
        ...

    @property
    def llm(self) -> ChatBackend | None:
        """The optional language model (``None``: none configured)."""
        ...
