"""Understanding text: linking free text to a skill label space (ESCO or the built-in taxonomy)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from tandem.engine.core import EngineCore
from tandem.errors import ValidationError
from tandem.rank.matcher import Matcher
from tandem.skills.benchmark import SkillScores, evaluate_linker, load_benchmark, load_labels
from tandem.skills.linker import LinkedSkill, LinkerConfig, SkillLinker, label_text

TaxonomyName = Literal["builtin", "esco"]
INFER_TOP = 5
INFER_MIN_SCORE = 1.5


class UnderstandingLayer(EngineCore):
    """Skill linking over a label space, with label embeddings cached under ``TANDEM_HOME``."""

    _builtin_linker: SkillLinker | None = None

    def linker(
        self,
        labels: Sequence[str] | None = None,
        *,
        taxonomy: TaxonomyName = "esco",
        config: LinkerConfig | None = None,
    ) -> SkillLinker:
        """A linker over ``labels`` (default: every skill of ``taxonomy``)."""
        if labels is None:
            wanted = "esco" if taxonomy == "esco" else "builtin"
            labels = [s.name for s in self.taxonomy if s.source == wanted]
            if not labels:
                raise ValidationError(
                    "no ESCO skills in the taxonomy yet: run 'tandem taxonomy import esco DIR'"
                    if taxonomy == "esco"
                    else "the built-in taxonomy is empty"
                )
        texts, aliases = [], []
        for label in labels:
            skill = self.taxonomy.get(label)
            alts = list(skill.aliases) if skill else []
            texts.append(label_text(label, alts, skill.description if skill else ""))
            aliases.append(alts)
        return SkillLinker(
            labels,
            texts,
            aliases,
            self.encoder,
            cache_dir=self.settings.home / "cache" / "skills",
            config=config,
        )

    @property
    def matcher(self) -> Matcher:
        """The matcher over the current collections and ranker (rebuilt when they change)."""
        talent, jobs, ranker = self.collection("talent"), self.collection("jobs"), self.ranker
        current = self._matcher
        if (
            current is None
            or current.talent is not talent
            or current.jobs is not jobs
            or current.ranker is not ranker
        ):
            current = Matcher(
                taxonomy=self.taxonomy,
                normaliser=self.normaliser,
                extractor=self.extractor,
                talent=talent,
                jobs=jobs,
                ranker=ranker,
                client_timezone=self._client_timezone,
                history=self.history.as_of,
                infer_skills=self.infer_skills,
            )
            self._matcher = current
        return current

    def infer_skills(self, text: str) -> list[str]:
        """Built-in skills a text is about, by the skill linker (used for thin job posts).

        Keeps at most :data:`INFER_TOP` skills, and only those the linker scores at least
        :data:`INFER_MIN_SCORE` (calibrated on the bundled MiniLM; the hashing encoder's
        scores are lower, so it rarely adds anything beyond exact mentions).
        """
        if self._builtin_linker is None:
            self._builtin_linker = self.linker(taxonomy="builtin")
        ranked = self._builtin_linker.rank(text, INFER_TOP)
        return [s.label for s in ranked if s.score >= INFER_MIN_SCORE]

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
        queries = load_benchmark(benchmark)
        linker = self.linker(load_labels(labels), config=config)
        linker.rank("warm up")
        return evaluate_linker(linker.order, queries)
