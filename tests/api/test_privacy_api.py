"""Subject access and erasure over HTTP: the person themself, through their own token."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import cast_users, make_settings


def test_a_freelancer_exports_then_erases_themself(tmp_path: Path, small_bundle: Path) -> None:
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    cast = cast_users(engine)
    me, other = cast.freelancer_id, cast.other_freelancer_id
    with TestClient(create_app(engine=engine), raise_server_exceptions=False) as client:
        mine, theirs = cast.auth("freelancer-own"), cast.auth("freelancer-other")
        served = client.get(f"/api/freelancers/{me}/recommendations", headers=mine).json()
        export = client.get("/api/me/export", headers=mine).json()
        assert (
            export["id"] == me
            and export["profile"] == engine.store.freelancers.get(me).to_json_dict()
        )
        assert [r["request_id"] for r in export["rankings"]] == [served["request_id"]]
        assert client.get("/api/me/export", headers=theirs).json()["id"] == other

        assert client.delete(f"/api/freelancers/{other}", headers=mine).status_code == 403
        erased = client.delete(f"/api/freelancers/{me}", headers=mine)
        assert erased.status_code == 200 and erased.json()["rows"]["freelancers"] == 1
        assert client.get("/api/me/export", headers=mine).status_code == 401  # user gone too
        operator = cast.auth("operator")
        assert client.get(f"/api/freelancers/{me}", headers=operator).status_code == 404
        assert client.get("/api/me/export", headers=theirs).status_code == 200
    assert engine.verify_log().ok
    engine.store.close()
