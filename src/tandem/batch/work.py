"""The batch work of an index sync, as recipes a worker can rebuild: read and embed, embed.

A recipe carries names and the taxonomy, never a loaded model: a worker on another machine
creates the encoder from its name (the bundled weights, never downloaded) and builds the same
skill reader the engine builds (:func:`tandem.skills.linker.taxonomy_linker`), so its vectors
and skills are the ones the local executor would have produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tandem.batch.base import Batch, BatchFn
from tandem.embed import create_encoder
from tandem.skills.extract import PhraseExtractor
from tandem.skills.linker import LinkerConfig, taxonomy_linker
from tandem.skills.reader import SkillReader
from tandem.skills.taxonomy import Taxonomy


@dataclass(frozen=True)
class Embed:
    """Embed texts with the encoder called ``encoder`` (jobs: nothing is read from them)."""

    encoder: str
    cache_dir: Path

    def load(self) -> BatchFn:
        """Create the encoder once; the function embeds a batch with it."""
        encoder = create_encoder(self.encoder, cache_dir=self.cache_dir)
        return lambda texts: Batch(encoder.encode(texts))


@dataclass(frozen=True)
class ReadAndEmbed:
    """Profiles: embed them and read their skills in one encoder pass (see SkillReader)."""

    encoder: str
    cache_dir: Path
    taxonomy: Taxonomy
    #: Where the built-in labels' vectors are cached (rebuilt where the cache is not there).
    label_cache: Path
    config: LinkerConfig

    def load(self) -> BatchFn:
        """Build the encoder and the built-in reader once; the function reads a batch."""
        encoder = create_encoder(self.encoder, cache_dir=self.cache_dir)
        labels = [s.name for s in self.taxonomy if s.source == "builtin"]
        reader = SkillReader(
            PhraseExtractor(self.taxonomy),
            lambda: taxonomy_linker(
                self.taxonomy, labels, encoder, cache_dir=self.label_cache, config=self.config
            ),
        )

        def run(texts: list[str]) -> Batch:
            vectors, found = reader.read_and_embed(texts)
            return Batch(vectors, found)

        return run
