"""The web UI's sign-in, sessions, cookies, CSRF and sign-out; the demo users."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tandem.api import create_app
from tandem.engine import Engine
from tests.conftest import sign_in


@pytest.fixture
def client(bare_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine=bare_engine), raise_server_exceptions=False) as c:
        yield c


def test_pages_need_a_sign_in(client: TestClient) -> None:
    for url in ("/", "/jobs", "/talent", "/jobs/new", "/freelancers/x"):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/signin")
    assert client.get("/api/jobs").status_code == 401


def test_sign_in_sets_a_safe_cookie_and_sign_out_ends_the_session(
    client: TestClient, bare_engine: Engine
) -> None:
    user, token = bare_engine.add_user("web", "operator")
    page = client.get("/signin").text
    field = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert field is not None
    wrong = client.post("/signin", data={"csrf_token": field.group(1), "token": "nope"})
    assert wrong.status_code == 401
    field = re.search(r'name="csrf_token" value="([^"]+)"', wrong.text)  # a fresh form
    assert field is not None
    done = client.post(
        "/signin", data={"csrf_token": field.group(1), "token": token}, follow_redirects=False
    )
    cookie = next(
        v for k, v in done.headers.multi_items() if k == "set-cookie" and "tandem_session" in v
    ).lower()
    assert "tandem_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # plain http here; https gets Secure
    meta = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/jobs").text)
    assert meta is not None
    assert client.get("/api/jobs").status_code == 200  # the session is an identity
    out = client.post("/signout", data={"csrf_token": meta.group(1)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/api/jobs").status_code == 401


def test_a_cross_site_post_without_the_csrf_token_is_refused(
    client: TestClient,
    bare_engine: Engine,
    small_bundle,  # type: ignore[no-untyped-def]
) -> None:
    csrf = sign_in(client, bare_engine.add_user("web", "operator")[1])
    files = [
        ("files", (name, (small_bundle / name).read_bytes(), "text/plain"))
        for name in ("freelancers.jsonl", "jobs.jsonl")
    ]
    assert client.post("/api/imports", files=files).status_code == 403  # what another site sends
    assert bare_engine.store.jobs.count() == 0
    assert client.post("/signout", data={}).status_code == 403
    ok = client.post("/api/imports", files=files, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200


def test_a_sign_in_form_from_elsewhere_is_refused(client: TestClient, bare_engine: Engine) -> None:
    token = bare_engine.add_user("web", "operator")[1]
    assert client.post("/signin", data={"token": token, "csrf_token": "x"}).status_code == 403


def test_revoking_a_user_ends_its_web_sessions(client: TestClient, bare_engine: Engine) -> None:
    user, token = bare_engine.add_user("web", "operator")
    sign_in(client, token)
    bare_engine.revoke_user(user.id)
    assert client.get("/api/jobs").status_code == 401


def test_demo_users_are_offered_in_demo_mode_only(
    client: TestClient,
    bare_engine: Engine,
    small_bundle,  # type: ignore[no-untyped-def]
) -> None:
    bare_engine.import_bundle(small_bundle)
    assert len(bare_engine.ensure_demo_users()) == 4
    assert bare_engine.ensure_demo_users() == []  # first run only
    assert "demo-client" not in client.get("/signin").text
    field = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text)
    assert field is not None
    form = {"csrf_token": field.group(1), "demo_user": "demo-operator"}
    assert client.post("/signin", data=form).status_code == 401
    bare_engine.settings.demo = True
    page = client.get("/signin").text
    assert all(f"demo-{role}" in page for role in ("operator", "auditor", "client", "freelancer"))
    field = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert field is not None
    form["csrf_token"] = field.group(1)
    assert client.post("/signin", data=form, follow_redirects=False).status_code == 303


def test_a_demo_user_erased_through_the_web_is_no_longer_offered(
    client: TestClient,
    bare_engine: Engine,
    small_bundle,  # type: ignore[no-untyped-def]
) -> None:
    bare_engine.import_bundle(small_bundle)
    bare_engine.ensure_demo_users()
    bare_engine.settings.demo = True
    field = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text)
    assert field is not None
    form = {"csrf_token": field.group(1), "demo_user": "demo-freelancer"}
    assert client.post("/signin", data=form, follow_redirects=False).status_code == 303
    meta = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/me/data").text)
    assert meta is not None
    erased = client.post("/me/data/erase", data={"csrf_token": meta.group(1), "confirm": "erase"})
    assert erased.status_code == 200, erased.text

    page = client.get("/signin").text
    assert 'value="demo-freelancer"' not in page  # its freelancer and user are gone
    assert all(f'value="demo-{r}"' in page for r in ("operator", "auditor", "client"))
    assert bare_engine.demo_sign_ins() == ["demo-operator", "demo-auditor", "demo-client"]
