import tandem.domain
import tandem.search
import tandem.skills


def test_public_names_are_what_we_mean_to_export() -> None:
    assert set(tandem.domain.__all__) >= {
        "Freelancer",
        "Job",
        "Proposal",
        "Event",
        "Client",
        "Reason",
    }
    assert set(tandem.skills.__all__) == {
        "Mention",
        "Normaliser",
        "PhraseExtractor",
        "Skill",
        "SkillMatch",
        "Taxonomy",
        "skill_key",
    }
    for module in (tandem.domain, tandem.search, tandem.skills):
        for name in module.__all__:
            assert hasattr(module, name), name
