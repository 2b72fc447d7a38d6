"""``tandem users``: add prints the token once, list never shows it, revoke stops it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandem.cli import app
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.conftest import make_settings


def test_users_add_list_revoke(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_bundle: Path
) -> None:
    monkeypatch.setenv("TANDEM_HOME", str(tmp_path))
    monkeypatch.setenv("TANDEM_ENCODER", "hashing")
    engine = Engine(make_settings(tmp_path), encoder=HashingEncoder())
    engine.store.freelancers.save(
        next(engine.store.freelancers.iter_all(), None) or _one(small_bundle)
    )
    fid = next(engine.store.freelancers.iter_all()).id
    runner = CliRunner()
    added = runner.invoke(
        app, ["users", "add", "ana", "--role", "freelancer", "--freelancer-id", fid, "--json"]
    )
    assert added.exit_code == 0, added.output
    body = json.loads(added.stdout)
    assert set(body) == {"user_id", "token"} and len(body["token"]) >= 43
    assert engine.identify_token(body["token"]) is not None
    listed = runner.invoke(app, ["users", "list", "--json"])
    assert (
        body["token"] not in listed.stdout and json.loads(listed.stdout)[0]["role"] == "freelancer"
    )
    assert runner.invoke(app, ["users", "revoke", body["user_id"]]).exit_code == 0
    assert engine.identify_token(body["token"]) is None


@pytest.mark.parametrize(
    "args",
    [
        ["bo", "--role", "client"],  # a client needs a client id
        ["bo", "--role", "client", "--client-id", "ghost"],  # an existing one
        ["bo", "--role", "auditor", "--client-id", "c1"],  # others take neither
        ["bo", "--role", "king"],
    ],
)
def test_users_add_refuses_a_bad_binding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.setenv("TANDEM_HOME", str(tmp_path))
    monkeypatch.setenv("TANDEM_ENCODER", "hashing")
    done = CliRunner().invoke(app, ["users", "add", *args, "--json"])
    assert done.exit_code == 2 and "error" in done.output


def _one(bundle: Path):  # type: ignore[no-untyped-def]
    from tandem.domain import Freelancer

    return Freelancer.model_validate_json(
        (bundle / "freelancers.jsonl").read_text().splitlines()[0]
    )


def test_users_revoke_keeps_the_last_operator_unless_forced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web's rule holds in the CLI; ``--force`` is the documented repair path."""
    monkeypatch.setenv("TANDEM_HOME", str(tmp_path))
    monkeypatch.setenv("TANDEM_ENCODER", "hashing")
    runner = CliRunner()
    added = runner.invoke(app, ["users", "add", "root", "--role", "operator", "--json"])
    body = json.loads(added.stdout)
    refused = runner.invoke(app, ["users", "revoke", body["user_id"]])
    assert refused.exit_code == 2 and "last active operator" in refused.output
    assert "--force" in refused.output
    engine = Engine(make_settings(tmp_path), encoder=HashingEncoder())
    assert engine.identify_token(body["token"]) is not None
    forced = runner.invoke(app, ["users", "revoke", body["user_id"], "--force"])
    assert forced.exit_code == 0, forced.output
    assert engine.identify_token(body["token"]) is None
