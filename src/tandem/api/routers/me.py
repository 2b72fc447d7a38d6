"""The signed-in person's own data: subject access."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tandem.api.deps import UserDep
from tandem.api.problems import problem_response

router = APIRouter(prefix="/api/me", tags=["me"])


@router.get(
    "/export",
    response_model=dict[str, Any],
    responses={404: problem_response(404) | {"description": "You are bound to no person."}},
)
def export_me(user: UserDep) -> dict[str, Any]:
    """Everything stored about the client or freelancer you are (GDPR Art. 15), as one document.

    Profile, proposals, events, companion sessions, every logged ranking you appeared in
    (position, score, reasons) and the model versions trained on your data.
    """
    return user.export_me()
