"""The public projection of a profile is an allowlist, nested items included."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tandem.access import PRIVATE_FIELDS, PUBLIC_FIELDS, Identity, profile_for, public_profile
from tandem.domain import Freelancer

BASE = {
    "id": "f1",
    "name": "Ada",
    "email": "ada@mail.test",
    "phone": "+1 202 555 0147",
    "hourly_rate": 40,
    "country": "DE",
    "joined_at": "2026-01-01T00:00:00Z",
    "attributes": {"gender": "f"},
    "consent": {"model_training": False},
    "languages": [{"code": "en", "level": "fluent", "notes": "private"}],
    "portfolio": [{"title": "Ledger", "client_email": "c@mail.test"}],
    "secondary_email": "second@mail.test",
    "home_address": "1 Private Road",
    "date_of_birth": "1990-02-03",
}


def test_every_field_of_a_profile_is_either_public_or_private() -> None:
    assert set(Freelancer.model_fields) == set(PUBLIC_FIELDS) | PRIVATE_FIELDS
    assert not set(PUBLIC_FIELDS) & PRIVATE_FIELDS


def test_unknown_and_private_fields_are_left_out_at_every_level() -> None:
    shown = public_profile(Freelancer.model_validate(BASE))
    assert shown == {
        "id": "f1",
        "name": "Ada",
        "hourly_rate": 40.0,
        "country": "DE",
        "joined_at": "2026-01-01T00:00:00Z",
        "languages": [{"code": "en", "level": "fluent"}],
        "portfolio": [{"title": "Ledger"}],
    }


@given(
    st.dictionaries(
        st.text(min_size=1).filter(lambda k: k not in Freelancer.model_fields),
        st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"))),  # the text rule's
    )
)
def test_no_unknown_key_is_ever_public(extra: dict[str, str]) -> None:
    shown = public_profile(Freelancer.model_validate({**BASE, **extra}))
    assert set(shown) <= set(PUBLIC_FIELDS)


def test_the_person_sees_the_whole_record_and_operators_all_but_the_attributes() -> None:
    f = Freelancer.model_validate(BASE)
    assert f.attributes  # the fixture has some
    whole = f.to_json_dict()
    assert profile_for(Identity("u2", "freelancer", freelancer_id="f1"), f) == whole
    without = {k: v for k, v in whole.items() if k != "attributes"}
    assert profile_for(Identity("u1", "operator"), f) == without
    for who in (
        Identity("u3", "auditor"),
        Identity("u4", "client", client_id="c1"),
        Identity("u5", "freelancer", freelancer_id="f2"),
    ):
        assert profile_for(who, f) == public_profile(f)


def test_contact_details_typed_into_profile_text_are_redacted_for_others() -> None:
    typed = BASE | {
        "title": "Bookkeeper (call +1 202 555 0147)",
        "overview": "Write to ada@mail.test or see www.ada.example for references.",
        "portfolio": [{"title": "Ledger", "description": "Ask me: ada@mail.test"}],
    }
    person = Freelancer.model_validate(typed)
    shown = public_profile(person)
    text = repr(shown)
    assert "ada@mail.test" not in text and "555" not in text and "ada.example" not in text
    assert shown["overview"] == "Write to [email] or see [link] for references."
    assert shown["portfolio"] == [{"title": "Ledger", "description": "Ask me: [email]"}]
    own = profile_for(Identity("u1", "freelancer", freelancer_id="f1"), person)
    assert own["overview"] == typed["overview"]  # the person sees what they wrote
