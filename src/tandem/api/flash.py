"""One-read messages across a Post/Redirect/Get: signed, short-lived, bound to the session.

A form's POST changes something and answers 303 to a page; that page says what changed,
once. The message travels in a cookie like the other pages' flashes (set by the POST, read
and cleared by the next GET, gone within a minute if never read) but, because the users
page's message may carry a new API token's secret, this cookie is also:

- signed with an HMAC keyed by the session's own CSRF token (a per-session secret the server
  keeps), so only the session that made it reads it, and nobody can plant a message (a
  forged or another session's cookie reads as no message);
- ``HttpOnly`` (no script reads it), ``SameSite=Strict`` and scoped to the pages that read
  it (``path``), so it is sent only where it is shown;
- never in a URL: a reload, the history or a shared link shows nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from fastapi import Request
from fastapi.responses import Response

#: Seconds a flash waits to be read (the redirect's GET follows at once).
FLASH_TTL = 60
#: The largest cookie value read back (browsers keep about 4 KB per cookie).
MAX_FLASH = 3500


def _sign(key: str, name: str, payload: str) -> str:
    mac = hmac.new(key.encode(), f"{name}.{payload}".encode(), hashlib.sha256)
    return mac.hexdigest()


def set_flash(
    request: Request, response: Response, name: str, data: dict[str, Any], *, key: str, path: str
) -> None:
    """Put ``data`` (JSON) in the flash cookie ``name``, signed with ``key`` (the session's)."""
    payload = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
    response.set_cookie(
        name, f"{payload}.{_sign(key, name, payload)}", max_age=FLASH_TTL, httponly=True,
        samesite="strict", secure=request.url.scheme == "https", path=path,
    )  # fmt: skip


def read_flash(request: Request, name: str, *, key: str) -> dict[str, Any]:
    """The flash ``name`` this session left (``{}``: none, or not this session's).

    The page that shows it clears it with :func:`clear_flash`: it is read once.
    """
    payload, _, mac = request.cookies.get(name, "")[:MAX_FLASH].rpartition(".")
    if not payload or not key:
        return {}
    if not hmac.compare_digest(mac.encode(), _sign(key, name, payload).encode()):
        return {}
    try:
        data = json.loads(base64.urlsafe_b64decode(payload.encode()))
    except (ValueError, binascii.Error):
        return {}
    return data if isinstance(data, dict) else {}


def clear_flash(request: Request, response: Response, name: str, *, path: str) -> None:
    """Delete the flash cookie ``name`` (if the browser sent one): it was read."""
    if name in request.cookies:
        response.delete_cookie(name, path=path, httponly=True, samesite="strict")
