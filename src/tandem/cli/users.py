"""User commands: add a user (its API token is printed once), list, revoke."""

from __future__ import annotations

from typing import Annotated

import typer

from tandem.cli.common import acting_as, app, err, fail, open_engine, out, print_json
from tandem.errors import ConflictError, TandemError

users_app = typer.Typer(help="Users, their roles and API tokens.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="A unique name for the user.")],
    role: Annotated[str, typer.Option(help="operator, auditor, client or freelancer.")],
    client_id: Annotated[
        str | None, typer.Option(help="The client a client user acts for.")
    ] = None,
    freelancer_id: Annotated[
        str | None, typer.Option(help="The freelancer a freelancer user is.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Add a user and print its API token (shown this once; only its hash is stored)."""
    try:
        user, token = open_engine().add_user(
            name, role, client_id=client_id, freelancer_id=freelancer_id
        )
    except TandemError as exc:
        fail(exc)
        return
    if as_json:
        print_json({"user_id": user.id, "token": token})
        return
    out.print(f"user [bold]{user.id}[/] ({user.role}) added. Its API token, shown once:")
    out.print(token, highlight=False, soft_wrap=True)


@users_app.command("list")
def list_users(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every user with its role and binding (never a token)."""
    rows = [
        {
            "user_id": u.id,
            "name": u.name,
            "role": u.role,
            "client_id": u.client_id,
            "freelancer_id": u.freelancer_id,
            "created_at": u.created_at.isoformat(),
            "revoked": u.revoked_at is not None,
        }
        for u in open_engine().users()
    ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        bound = r["client_id"] or r["freelancer_id"] or "-"
        state = "revoked" if r["revoked"] else "active"
        out.print(f"{r['user_id']}  {r['name']}  {r['role']}  {bound}  {state}", highlight=False)


@users_app.command("revoke")
def revoke(
    user_id: Annotated[str, typer.Argument(help="The user's id.")],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Repair path: revoke even the last active operator (e.g. its token leaked); "
            "add another operator with `tandem users add` to manage users from the web again.",
        ),
    ] = False,
) -> None:
    """Revoke a user: its API tokens and web sessions stop working at once.

    The same rule as the web's Disable: the last active operator is refused (add another
    operator first), unless --force.
    """
    try:
        user = acting_as(open_engine(), None, "cli").disable_user(user_id, force=force)
    except ConflictError as exc:
        err.print("to revoke it anyway (a leaked token): tandem users revoke --force", style="dim")
        fail(exc)
        return
    except TandemError as exc:
        fail(exc)
        return
    out.print(f"user {user.id} ({user.name}) revoked: its tokens and sessions no longer work")
