"""The documents the indexes hold: where a profile's free text names its skills."""

from tandem.domain import Freelancer
from tandem.search.documents import profile_mentions
from tandem.skills import PhraseExtractor, Taxonomy


def _person(title: str, overview: str, skills: list[str]) -> Freelancer:
    return Freelancer.model_validate(
        {
            "id": "f1",
            "name": "Ada",
            "title": title,
            "overview": overview,
            "skills": skills,
            "hourly_rate": 40,
            "country": "GB",
            "joined_at": "2026-01-01T00:00:00Z",
        }
    )


def _find(extractor: PhraseExtractor):  # type: ignore[no-untyped-def]
    def find(text: str, *, context: str = "") -> list[tuple[str, str]]:
        return [(m.name, m.span) for m in extractor.extract(text, context=context)]

    return find


def test_an_acronym_in_one_field_reads_in_the_sense_the_whole_profile_gives_it() -> None:
    find = _find(PhraseExtractor(Taxonomy.builtin()))
    admin = _person("Windows Server administrator", "Ten years running AD for 500 people", [])
    assert profile_mentions(admin, find)["Active Directory"] == "overview: 'AD'"
    listed = _person("Sysadmin", "Ten years running AD for 500 people", ["GPO", "DNS"])
    assert "Active Directory" in profile_mentions(listed, find)
    writer = _person("Copywriter", "Ten years writing AD copy for 500 brands", ["Copywriting"])
    assert "Active Directory" not in profile_mentions(writer, find)
