"""A record stored before the ``Id`` rule (no control or invisible characters) still shows.

The rule is checked at the door only (``context=STORED`` reads skip it): an id saved when it
was still accepted ("f<ZERO WIDTH SPACE>1") must not turn its profile page, or the companion's
view of it, into a server error.
"""

from __future__ import annotations

from fastapi import FastAPI

from tandem.domain import Freelancer
from tandem.domain.fields import STORED
from tandem.engine import Engine
from tests.api.conftest import signed_in_browser
from tests.conftest import Cast

OLD_ID = "f\u200bold"  # a zero-width space inside: accepted before the Id rule


def _store_old_profile(engine: Engine, cast: Cast) -> Freelancer:
    """A profile as an earlier version saved it (the id read back as stored)."""
    base = engine.store.freelancers.get(cast.freelancer_id).to_json_dict()
    old = Freelancer.model_validate(base | {"id": OLD_ID, "name": "Olde Ids"}, context=STORED)
    engine.save_freelancer(old)
    return old


def test_a_profile_stored_with_an_id_now_refused_still_shows(
    app: FastAPI, engine: Engine, cast: Cast
) -> None:
    old = _store_old_profile(engine, cast)
    browser, _ = signed_in_browser(app, cast.tokens["client-own"])
    page = browser.get(f"/freelancers/{OLD_ID}")
    assert page.status_code == 200
    assert "Olde Ids" in page.text
    client = engine.as_user(engine.identify_token(cast.tokens["client-own"]), "api")  # type: ignore[arg-type]
    assert client.person(OLD_ID).id == old.id
    assert set(client.people([OLD_ID])) == {OLD_ID}
