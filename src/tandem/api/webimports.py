"""The imports page: every bundle import with its validation report; operators upload one.

Each import is listed, newest first, whoever ran it (``tandem import``, the API, this page,
``tandem demo``): when, who, what bundle, the records imported and the lines rejected, and
one click away the report itself (which lines failed and why). An operator uploads bundle
files here too: a multipart form with the session's CSRF token, under the same size limit
as ``POST /api/imports`` (``TANDEM_MAX_UPLOAD_BYTES``), imported by the same engine call, so
the result is the same report. Reading and importing are the engine's rule ``import``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tandem.access import Action
from tandem.api.deps import EngineDep
from tandem.api.pages import (
    PageNumber,
    allowed_page,
    refusal,
    render,
    signed_in,
    stored_page,
    to_signin,
)
from tandem.api.routers.ops import ALLOWED, UPLOAD_CHUNK
from tandem.api.webforms import form_user
from tandem.engine import UserView
from tandem.errors import TandemError, ValidationError

router = APIRouter(include_in_schema=False)


def _list(
    request: Request, user: UserView, page: str | int, status: int = 200, error: str = ""
) -> Response:
    entries, pager = stored_page(page, user.imports_page)
    files = sorted(ALLOWED)
    names = user.import_actors(entries)
    return render(
        request, "imports.html", status, entries=entries, pager=pager, files=files, error=error,
        names=names,
    )  # fmt: skip


@router.get("/imports", response_class=HTMLResponse)
def imports_page(request: Request, engine: EngineDep, page: PageNumber = "1") -> Response:
    """Past imports, newest first, ``?page=N``, and the upload form."""
    user = allowed_page(request, engine, Action.IMPORT)
    return _list(request, user, page) if isinstance(user, UserView) else user


@router.get("/imports/{import_id}", response_class=HTMLResponse)
def import_page(request: Request, engine: EngineDep, import_id: str) -> Response:
    """One import's validation report: counts per file, and each rejected line and why."""
    user = signed_in(request, engine)
    if user is None:
        return to_signin(request)
    try:
        entry = user.import_entry(import_id)
    except TandemError as exc:
        return render(
            request,
            "error.html",
            exc.status_code,
            message=str(exc),
            back="/imports",
            back_label="Back to imports",
        )
    return render(
        request, "import_entry.html", entry=entry, new=request.query_params.get("new"),
        names=user.import_actors([entry]),
    )  # fmt: skip


@router.post("/imports", response_model=None)
def upload(
    request: Request,
    engine: EngineDep,
    files: Annotated[list[UploadFile | str] | None, File()] = None,
    strict: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Import the uploaded bundle files; show the new import's report (or why it failed)."""
    user = form_user(request, engine, csrf_token, "/imports")
    if not isinstance(user, UserView):
        return user
    try:
        user.require(Action.IMPORT)  # before the upload is written anywhere
        chosen = [f for f in files or [] if not isinstance(f, str)]  # "": none chosen
        import_id = _import(user, chosen, strict=bool(strict))
    except TandemError as exc:
        if exc.status_code == 403:
            return refusal(request, exc)
        return _list(request, user, 1, exc.status_code, error=str(exc))
    return RedirectResponse(f"/imports/{import_id}?new=1", status_code=303)


def _import(user: UserView, files: list[UploadFile], *, strict: bool) -> str:
    """Write the uploads to a temporary bundle directory, import it; the new import's id."""
    names: list[str] = []
    with tempfile.TemporaryDirectory(prefix="tandem-import-") as tmp:
        for upload in files:
            name = Path(upload.filename or "").name
            if not name:
                continue
            if name not in ALLOWED:
                raise ValidationError(
                    f"{name!r} is not a bundle file; they are named {', '.join(sorted(ALLOWED))}"
                )
            with (Path(tmp) / name).open("wb") as out:  # in chunks, never whole in memory
                shutil.copyfileobj(upload.file, out, UPLOAD_CHUNK)
            names.append(name)
        if not names:
            raise ValidationError(
                "choose the bundle's files to import (at least freelancers.jsonl and jobs.jsonl)"
            )
        report = user.import_bundle(Path(tmp), strict=strict, source="upload: " + ", ".join(names))
    return report.import_id
