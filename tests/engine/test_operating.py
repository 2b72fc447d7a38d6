"""An operator's side of the engine: the import log (whoever imports), users, roles, tokens.

Who may: operators only (``import``, ``users.manage``). What nobody may: take away the last
active operator, or their own operator access (role, user, last token).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tandem.access import Identity
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.engine.access import identity_of
from tandem.errors import ConflictError, PermissionDeniedError, ValidationError
from tests.conftest import Cast, make_settings, view_of


def _broken_bundle(small_bundle: Path, root: Path) -> Path:
    """The small bundle with one bad job line (no title) and one proposal of nobody."""
    bundle = root / "broken"
    shutil.copytree(small_bundle, bundle)
    with (bundle / "jobs.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps({"id": "bad-job", "created_at": "2026-01-01T00:00:00Z"}) + "\n")
    return bundle


def test_every_import_is_logged_with_who_counts_and_each_rejected_line(
    engine: Engine, cast: Cast, small_bundle: Path, tmp_path: Path
) -> None:
    cli = engine.store.imports.page(0, 100)[0][-1]  # the fixture's import, as the CLI does it
    assert cli.actor.startswith("local:") and cli.surface == "cli" and cli.status == "complete"
    assert cli.source == str(small_bundle) and cli.error_count == 0
    assert cli.counts["jobs"]["inserted"] == 150 and cli.imported >= 450

    operator = cast.view(engine, "operator", "web")
    bundle = _broken_bundle(small_bundle, tmp_path)
    report = operator.import_bundle(bundle, source="upload: jobs.jsonl")
    entry = operator.import_entry(report.import_id)
    assert entry.actor == operator.who.user_id and entry.surface == "web"
    assert entry.status == "completed_with_skipped_lines" and entry.error_count == 1
    assert entry.errors[0].startswith("jobs.jsonl:151: ") and "title" in entry.errors[0]
    assert entry.counts["jobs"]["unchanged"] == 150 and entry.source == "upload: jobs.jsonl"
    newest, total = operator.imports_page(0, 1)
    assert newest[0].id == entry.id and total >= 2


def test_a_refused_import_is_logged_as_failed_with_its_reason(
    engine: Engine, cast: Cast, small_bundle: Path, tmp_path: Path
) -> None:
    operator = cast.view(engine, "operator", "web")
    bundle = _broken_bundle(small_bundle, tmp_path)
    with pytest.raises(ValidationError, match="--strict"):
        operator.import_bundle(bundle, strict=True)
    entry = operator.imports_page(0, 1)[0][0]
    assert entry.status == "failed" and entry.imported == 0
    assert "jobs.jsonl:151" in entry.message and "nothing imported" in entry.message


@pytest.mark.parametrize("who", ["auditor", "client-own", "freelancer-own"])
def test_only_operators_read_imports_and_manage_users(engine: Engine, cast: Cast, who: str) -> None:
    user = cast.view(engine, who, "web")
    op_id = cast.view(engine, "operator", "web").who.user_id
    for attempt in (
        lambda: user.imports_page(0, 10),
        lambda: user.users_page(0, 10),
        lambda: user.create_user("sneaky", "operator"),
        lambda: user.change_role(user.who.user_id, "operator"),
        lambda: user.issue_token(op_id),
        lambda: user.disable_user(op_id),
    ):
        with pytest.raises(PermissionDeniedError):
            attempt()


def test_an_operator_adds_a_user_changes_its_role_and_manages_its_tokens(
    engine: Engine, cast: Cast
) -> None:
    operator = cast.view(engine, "operator", "web")
    user, first = operator.create_user("ops-made-client", "client", client_id=cast.client_id)
    assert engine.identify_token(first.secret) == identity_of(user)
    assert [t.id for t in operator.user_detail(user.id).tokens] == [first.info.id]
    with pytest.raises(ValidationError, match="client id"):
        operator.change_role(user.id, "client")
    with pytest.raises(ValidationError, match="not in the store"):
        operator.change_role(user.id, "freelancer", freelancer_id="nobody-at-all")
    operator.change_role(user.id, "auditor")
    seen = engine.identify_token(first.secret)
    assert seen == Identity(user.id, "auditor")  # the token follows the new role at once

    second = operator.issue_token(user.id)
    assert engine.identify_token(second.secret) is not None
    operator.revoke_token(user.id, first.info.id)
    assert engine.identify_token(first.secret) is None  # revoked: refused at once
    assert engine.identify_token(second.secret) is not None  # the other still works
    operator.disable_user(user.id)
    assert engine.identify_token(second.secret) is None
    assert operator.user_detail(user.id).user.revoked_at is not None


def test_nobody_takes_away_their_own_or_the_last_operator_access(
    tmp_path: Path, small_bundle: Path
) -> None:
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    try:
        first, token = engine.add_user("only-op", "operator")
        me = view_of(engine, token, "web")
        with pytest.raises(ConflictError, match="yourself"):
            me.disable_user(first.id)
        with pytest.raises(ConflictError, match="yourself"):
            me.change_role(first.id, "auditor")
        with pytest.raises(ConflictError, match="last API token"):
            me.revoke_token(first.id, me.user_detail(first.id).tokens[0].id)
        extra = me.issue_token(first.id)  # with a second token, the first may go
        me.revoke_token(first.id, me.user_detail(first.id).tokens[0].id)
        assert engine.identify_token(extra.secret) is not None

        second, other_token = me.create_user("second-op", "operator")
        other = view_of(engine, other_token.secret, "web")
        other.disable_user(first.id)  # two operators: one disables the other
        assert engine.identify_token(extra.secret) is None
        third, _ = other.create_user("third-op", "operator")
        other.change_role(third.id, "auditor")
        with pytest.raises(ConflictError, match="yourself"):
            other.disable_user(second.id)
    finally:
        engine.store.close()


def test_the_last_operator_is_kept_even_from_another_identity(tmp_path: Path) -> None:
    """The CLI's local operator is no stored user: it still may not remove the last one."""
    engine = Engine(make_settings(tmp_path / "home"), encoder=HashingEncoder())
    try:
        only, token = engine.add_user("only-op", "operator")
        local = engine.as_user(engine.local_operator(), "cli")
        with pytest.raises(ConflictError, match="last active operator"):
            local.disable_user(only.id)
        with pytest.raises(ConflictError, match="last active operator"):
            local.change_role(only.id, "auditor")
        assert engine.identify_token(token) is not None
    finally:
        engine.store.close()
