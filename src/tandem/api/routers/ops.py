"""Operations: health and bundle import."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile

from tandem.access import Action
from tandem.api.deps import EngineDep, MaybeIdentityDep, UserDep
from tandem.bundle.format import FILES
from tandem.errors import ValidationError

router = APIRouter(prefix="/api", tags=["operations"])
ALLOWED = {f"{name}.jsonl" for name, _ in FILES}
UPLOAD_CHUNK = 1 << 20


@router.get("/health")
def health(engine: EngineDep, who: MaybeIdentityDep) -> dict[str, object]:
    """Liveness for anyone (the one route open without a token): ``{"status": "ok"}``.

    A signed-in operator also gets what is loaded: how many freelancers and jobs, the
    taxonomy, database, encoder and the models serving each task. A store that cannot answer
    a trivial query makes it a 503 problem (``Store unavailable``), for anyone: a load
    balancer must not keep sending requests to a replica that can only fail them.
    """
    if who is None:
        return engine.liveness()
    return engine.as_user(who, "api").service_health()


@router.post("/imports")
def import_bundle(
    user: UserDep,
    files: Annotated[list[UploadFile], File(description="Bundle files, e.g. jobs.jsonl.")],
    strict: bool = False,
) -> dict[str, Any]:
    """Import uploaded bundle files; bad lines are reported, the rest imported and indexed.

    ``status`` is ``complete``, or ``completed_with_skipped_lines`` when bad lines were
    skipped (``errors`` lists them; the CLI exits 3). Operators only.
    """
    user.require(Action.IMPORT)  # before the upload is written anywhere
    names: list[str] = []
    with tempfile.TemporaryDirectory(prefix="tandem-import-") as tmp:
        for upload in files:
            name = Path(upload.filename or "").name
            if name not in ALLOWED:
                raise ValidationError(
                    f"unexpected file {name!r}; expected one of {sorted(ALLOWED)}"
                )
            with (Path(tmp) / name).open("wb") as out:  # in chunks, never whole in memory
                shutil.copyfileobj(upload.file, out, UPLOAD_CHUNK)
            names.append(name)
        source = "upload: " + ", ".join(names)
        report = user.import_bundle(Path(tmp), strict=strict, source=source)
    return {
        "status": report.status,
        "summary": report.summary(),
        "counts": {k: vars(v) for k, v in report.counts.items()},
        "errors": [str(e) for e in report.errors[:1000]],
        "error_count": len(report.errors),
    }
