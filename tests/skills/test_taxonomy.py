from tandem.skills import Taxonomy
from tandem.skills.keys import skill_key
from tandem.skills.taxonomy import (
    EXPLICIT_RELATED,
    SAME_GROUP,
    Skill,
    builtin_skills,
    parse_builtin_file,
)


def test_builtin_taxonomy_is_broad() -> None:
    taxonomy = Taxonomy.builtin()
    assert len(taxonomy) >= 1000
    categories = taxonomy.categories()
    assert len(categories) >= 12
    per_category = {c: sum(1 for s in taxonomy if s.category == c) for c in categories}
    assert min(per_category.values()) >= 50
    assert sum(1 for s in taxonomy if s.aliases) > 500


def test_related_links_are_symmetric_and_weighted() -> None:
    taxonomy = Taxonomy.builtin()
    assert taxonomy.related("React")["Redux"] == EXPLICIT_RELATED
    assert taxonomy.related("Redux")["React"] == EXPLICIT_RELATED
    assert taxonomy.related("React")["Vue.js"] == SAME_GROUP
    assert "Logo Design" not in taxonomy.related("React")


def test_no_two_canonical_skills_share_a_key() -> None:
    keys = [skill_key(s.name) for s in Taxonomy.builtin()]
    assert len(keys) == len(set(keys))


def test_adding_a_known_skill_merges_aliases() -> None:
    taxonomy = Taxonomy.builtin()
    before = len(taxonomy)
    added = taxonomy.add([Skill("react", "X", aliases=["React Framework"])])
    assert added == 0 and len(taxonomy) == before
    assert taxonomy.canonical_for_key(skill_key("react framework")) == "React"


def test_parser_reads_the_documented_format() -> None:
    text = "@category Things\n# group\nAlpha | a1, a2 ; Beta\nBeta\n"
    skills = list(parse_builtin_file(text, "x.txt"))
    assert [s.name for s in skills] == ["Alpha", "Beta"]
    assert skills[0].aliases == ["a1", "a2"] and skills[0].related == ["Beta"]
    assert skills[0].group == "Things/group"


def test_a_double_hash_heading_lists_skills_that_form_no_family() -> None:
    text = "@category Things\n## odds and ends\nAlpha ; Gamma\nBeta\n# family\nGamma\nDelta\n"
    taxonomy = Taxonomy(parse_builtin_file(text, "x.txt"))
    assert "Beta" not in taxonomy.related("Alpha")  # listed together, not related
    assert taxonomy.related("Alpha") == {"Gamma": EXPLICIT_RELATED}
    assert taxonomy.related("Gamma")["Delta"] == SAME_GROUP


def test_miscellany_in_the_builtin_files_gives_no_related_skill() -> None:
    # "Expo: related skill 'SQLAlchemy'" was a false reason (a fresh-clone walk found it)
    taxonomy = Taxonomy.builtin()
    assert "SQLAlchemy" not in taxonomy.related("Expo")
    assert taxonomy.related("Expo")["React Native"] == EXPLICIT_RELATED
    assert "Julia" not in taxonomy.related("Apache Flink")


def test_a_marked_link_is_also_an_implication_followed_through() -> None:
    text = (
        "@category Dev\n# web\nPython | py ;\nDjango | ; >Python, Flask\n"
        "Django REST Framework | DRF ; >Django\nFlask | ; Python\n"
    )
    taxonomy = Taxonomy(parse_builtin_file(text, "t.txt"))
    assert taxonomy.implied("Django REST Framework") == ["Django", "Python"]
    assert taxonomy.implied("Django") == ["Python"]
    assert taxonomy.implied("Python") == [] and taxonomy.implied("Flask") == []
    assert "Python" in taxonomy.related("Django")  # still an ordinary related link too
    django = taxonomy.get("Django")
    assert django is not None and Skill.from_dict(django.to_dict()).implies == ["Python"]


def test_builtin_implications_point_at_real_skills() -> None:
    taxonomy = Taxonomy.builtin()
    assert taxonomy.implied("Laravel") == ["PHP"]
    assert {"C#", "Game Development"} <= set(taxonomy.implied("Unity"))
    for skill in taxonomy:
        for other in skill.implies:
            assert taxonomy.canonical_for_key(skill_key(other)), (skill.name, other)


def test_builtin_tools_imply_their_discipline_and_libraries_their_language() -> None:
    taxonomy = Taxonomy.builtin()
    for tool in ("Power BI", "Tableau", "Looker", "Metabase"):
        assert "Data Visualization" in taxonomy.implied(tool), tool
    for tool in ("QuickBooks", "Xero", "FreshBooks"):
        assert taxonomy.implied(tool) == ["Bookkeeping"], tool
    assert taxonomy.implied("Klaviyo") == ["Email Marketing"]
    assert "Python" in taxonomy.implied("NumPy") and "Python" in taxonomy.implied("Pydantic")
    assert taxonomy.implied("SwiftUI") == ["Swift"]
    assert taxonomy.implied("Expo")[:1] == ["React Native"]
    # the well-known framework links the drafts rely on were already there
    assert "React" in taxonomy.implied("Next.js") and "Ruby" in taxonomy.implied("Ruby on Rails")
    assert "JavaScript" in taxonomy.implied("Nuxt.js") and taxonomy.implied("Flask") == ["Python"]


def test_a_builder_that_spares_its_users_the_code_implies_no_language() -> None:
    # "Dart: implied by 'FlutterFlow' (in skills)": a low-code builder's users need not write
    # Dart, nor Unreal's C++ (Blueprints); the links stay, weaker, as related skills
    taxonomy = Taxonomy.builtin()
    assert taxonomy.implied("FlutterFlow") == []
    assert "FlutterFlow" not in taxonomy.implied_by("Dart")
    assert taxonomy.implied("Unreal Engine") == ["Game Development"]
    assert taxonomy.related("FlutterFlow")["Flutter"] == 1.0
    assert taxonomy.related("Unreal Engine")["C++"] == 1.0
    assert taxonomy.implied("Flutter")[:1] == ["Dart"]  # the framework still implies its language


def test_a_per_taxonomy_memo_is_built_once_and_again_after_an_add() -> None:
    from tandem.skills.taxonomy import per_taxonomy

    built: list[int] = []

    @per_taxonomy
    def names(taxonomy: Taxonomy) -> list[str]:
        built.append(id(taxonomy))
        return sorted(s.name for s in taxonomy)

    one, two = Taxonomy([Skill("Alpha", "X")]), Taxonomy([Skill("Beta", "X")])
    assert names(one) == ["Alpha"] and names(one) is names(one) and names(two) == ["Beta"]
    assert built == [id(one), id(two)]
    one.add([Skill("alpha", "X", aliases=["first letter"])])  # merged: the size is the same
    assert len(one) == 1 and names(one) == ["Alpha"] and len(built) == 3
    one.add([Skill("Gamma", "X")])
    assert names(one) == ["Alpha", "Gamma"] and len(built) == 4


def test_the_readers_indexes_follow_an_alias_merged_into_a_known_skill() -> None:
    """An import that only adds aliases grows no skill count: the cognates' index missed it."""
    from tandem.skills.cognates import cognate_skills

    taxonomy = Taxonomy([Skill("Motion Graphics", "Design")])
    text = "Necesito una animación para el logo de mi empresa"
    assert cognate_skills(taxonomy, text) == []
    taxonomy.add([Skill("Motion Graphics", "Design", aliases=["animation"])])
    assert cognate_skills(taxonomy, text) == [("Motion Graphics", "animación")]


def test_no_alias_is_the_name_or_alias_of_another_skill() -> None:
    """A spelling shared by two skills names one of them wrongly (or is dead: names win).

    Found by the truth check of session 18: Matplotlib's "plotly", Swift's "swift ui".
    """
    owners: dict[str, set[str]] = {}
    for skill in builtin_skills():
        for spelling in (skill.name, *skill.aliases):
            owners.setdefault(skill_key(spelling), set()).add(skill.name)
    shared = {key: names for key, names in owners.items() if len(names) > 1}
    assert not shared


#: Distinct products, each with the names it goes by (a rename, its own parts). Two entries
#: are two products a client tells apart: a freelancer who lists one does not know the other.
_PRODUCTS: tuple[tuple[str, ...], ...] = (
    ("Mixpanel",),
    ("Amplitude",),
    ("Heap Analytics", "heap"),
    ("PostHog",),
    ("XGBoost",),
    ("LightGBM",),
    ("CatBoost",),
    ("Mapbox",),
    ("Leaflet", "leaflet.js"),
    ("Google Maps API", "google maps platform"),
    ("OpenLayers",),
    ("Git",),
    ("GitHub",),
    ("GitLab",),
    ("Bitbucket",),
    ("Looker",),
    ("Looker Studio", "google data studio", "data studio"),
    ("Tableau", "tableau desktop"),
    ("Power BI", "powerbi"),
    ("Matplotlib",),
    ("Seaborn",),
    ("Plotly", "plotly dash"),
    ("ESP32",),
    ("ESP8266",),
    ("Arduino",),
    ("Active Directory",),
    ("Azure AD", "entra id", "microsoft entra id"),
    ("Okta",),
    ("Hadoop", "hdfs"),
    ("Hive", "apache hive"),
    ("Swift",),
    ("SwiftUI",),
    ("Figma",),
    ("Sketch",),
    ("Adobe XD",),
    ("QuickBooks",),
    ("Xero",),
    ("Jira",),
    ("Trello",),
    ("Asana",),
    ("HubSpot",),
    ("Salesforce",),
    ("Shopify",),
    ("WooCommerce",),
    ("Magento", "adobe commerce"),
    ("Docker",),
    ("Podman",),
    ("Kubernetes", "k8s"),
    ("PostgreSQL", "postgres"),
    ("MySQL",),
    ("MariaDB",),
    ("Trados",),
    ("memoQ",),
    ("Adobe Premiere Pro", "premiere"),
    ("Final Cut Pro",),
    ("DaVinci Resolve",),
)


def test_an_alias_of_a_product_names_no_other_product() -> None:
    """A product skill's aliases are that product's names, never a rival's or a neighbour's.

    The truth check of session 18 found "Mixpanel: in skills as 'amplitude'" (and LightGBM
    read as XGBoost, Leaflet as Mapbox): a freelancer who lists one product was said to
    have another.
    """
    product_of = {skill_key(n): i for i, names in enumerate(_PRODUCTS) for n in names}
    wrong = []
    for skill in Taxonomy.builtin():
        own = product_of.get(skill_key(skill.name))
        if own is None:
            continue
        for alias in skill.aliases:
            other = product_of.get(skill_key(alias), own)
            if other != own:
                wrong.append(f"{skill.name}: {alias}")
    assert not wrong
