"""Understanding text: linking free text to a skill label space (ESCO or the built-in taxonomy)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from tandem.batch import Batch, Work
from tandem.batch.work import ReadAndEmbed
from tandem.embed import Vectors
from tandem.engine.core import EngineCore
from tandem.engine.types import Progress
from tandem.errors import ValidationError
from tandem.rank.matcher import Matcher
from tandem.search.documents import DESCRIBED, Document
from tandem.skills.importers import ESCO_HOWTO
from tandem.skills.linker import LinkedSkill, LinkerConfig, SkillLinker, taxonomy_linker
from tandem.skills.reader import SkillReader

if TYPE_CHECKING:
    from tandem.skills.benchmark import SkillScores

TaxonomyName = Literal["builtin", "esco"]
#: Labels the reader scores phrases against per text: those most similar to the whole text,
#: plus those written out (the full phrase x label product was most of the indexing cost).
READER_CANDIDATES = 96


class UnderstandingLayer(EngineCore):
    """Skill linking over a label space, with label embeddings cached under ``TANDEM_HOME``."""

    _reader: SkillReader | None = None

    @property
    def reader(self) -> SkillReader:
        """The one skill extractor of the product: job posts, profiles, letters, requests."""
        if self._reader is None or self._reader.extractor is not self.extractor:
            config = LinkerConfig(candidates=READER_CANDIDATES)
            self._reader = SkillReader(
                self.extractor, lambda: self.linker(taxonomy="builtin", config=config)
            )
        return self._reader

    def _read_documents(self, kind: str, docs: list[Document]) -> Vectors | None:
        """Profiles: embed them and read the skills their words describe, in one pass."""
        if kind != "talent" or not docs:
            return None
        work = Work(
            here=lambda texts: Batch(*self.reader.read_and_embed(texts)),
            recipe=ReadAndEmbed(
                self.settings.encoder,
                self.settings.cache_dir,
                self.taxonomy,
                self.settings.home / "cache" / "skills",
                LinkerConfig(candidates=READER_CANDIDATES),
            ),
        )
        read = self.executor.run(work, [d.embed_text for d in docs])
        vectors, found = read.vectors, read.found or [[] for _ in docs]
        for doc, skills in zip(docs, found, strict=True):
            listed = {s.lower() for s in doc.skills}
            for f in skills:
                if f.how == "described" and f.name.lower() not in listed:
                    where = _free_text_field(doc.embed_text, f.span)
                    if where is not None:  # evidence from the skills list itself is not new
                        doc.mentions.setdefault(f.name, f"{where}: '{f.span}'{DESCRIBED}")
        return vectors

    def linker(
        self,
        labels: Sequence[str] | None = None,
        *,
        taxonomy: TaxonomyName = "esco",
        config: LinkerConfig | None = None,
        progress: Progress | None = None,
    ) -> SkillLinker:
        """A linker over ``labels`` (default: every skill of ``taxonomy``).

        The first linker over a label space embeds every label (minutes for ESCO; then
        cached under ``TANDEM_HOME/cache/skills``): ``progress`` reports it.
        """
        # The built-in reader keeps the main encoder: its texts' vectors are indexed as they are
        # read, and its score floor is calibrated on it. ESCO links use the skill encoder.
        encoder = self.skill_encoder if labels is not None or taxonomy == "esco" else self.encoder
        if labels is None:
            wanted = "esco" if taxonomy == "esco" else "builtin"
            labels = [s.name for s in self.taxonomy if s.source == wanted]
            if not labels:
                raise ValidationError(
                    "no ESCO skills in the taxonomy yet. First run 'tandem taxonomy import esco "
                    f"DIR': {ESCO_HOWTO}. Or link to Tandem's own skills now with "
                    "'--taxonomy builtin'"
                    if taxonomy == "esco"
                    else "the built-in taxonomy is empty"
                )
        return taxonomy_linker(
            self.taxonomy,
            labels,
            encoder,
            cache_dir=self.settings.home / "cache" / "skills",
            config=config,
            progress=(lambda n, total: progress("embed skill labels", n, total))
            if progress
            else None,
        )

    @property
    def matcher(self) -> Matcher:
        """The matcher over the current collections (rebuilt when they change)."""
        talent, jobs = self.collection("talent"), self.collection("jobs")
        self.note_imports()
        current = self._matcher
        if current is None or current.talent is not talent or current.jobs is not jobs:
            current = Matcher(
                taxonomy=self.taxonomy,
                normaliser=self.normaliser,
                reader=self.reader,
                talent=talent,
                jobs=jobs,
                client_timezone=self._client_timezone,
                history=self.history.as_of,
            )
            self._matcher = current
        return current

    def extract_skills(
        self, text: str, *, taxonomy: TaxonomyName = "esco", top_k: int = 10
    ) -> list[LinkedSkill]:
        """The ``top_k`` skills a text is about, with the phrase that supports each."""
        if not text.strip():
            raise ValidationError("there is no text to extract skills from")
        if not 1 <= top_k <= 1000:
            raise ValidationError(f"top_k must be between 1 and 1000, got {top_k}")
        return self.linker(taxonomy=taxonomy).rank(text, top_k)

    def evaluate_skills(
        self, benchmark: Path, labels: Path, config: LinkerConfig | None = None
    ) -> SkillScores:
        """The benchmark protocol of :mod:`tandem.skills.benchmark` over the full label space."""
        from tandem.skills.benchmark import evaluate_linker, load_benchmark, load_labels

        queries = load_benchmark(benchmark)
        linker = self.linker(load_labels(labels), config=config)
        linker.rank("warm up")
        return evaluate_linker(linker.order, queries)


def _free_text_field(embed_text: str, span: str) -> str | None:
    """Where ``span`` sits in a profile's embedded text: title, overview, or only its skills list.

    The text is ``"{title}. Skills: {skills}. {overview}"`` (see ``freelancer_document``).
    """
    head = embed_text.find(". Skills: ")
    tail = embed_text.find(". ", head + 10) if head >= 0 else -1
    at = embed_text.find(span)
    while at >= 0:
        if head < 0 or at + len(span) <= head:
            return "title"
        if tail >= 0 and at > tail:
            return "overview"
        at = embed_text.find(span, at + 1)
    return None
