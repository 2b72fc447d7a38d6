"""Skills: taxonomy, normaliser (typed name -> canonical) and extractor (text -> skills)."""

from tandem.skills.extract import Mention, PhraseExtractor
from tandem.skills.keys import skill_key
from tandem.skills.normalise import Normaliser, SkillMatch
from tandem.skills.taxonomy import Skill, Taxonomy

__all__ = [
    "Mention",
    "Normaliser",
    "PhraseExtractor",
    "Skill",
    "SkillMatch",
    "Taxonomy",
    "skill_key",
]
