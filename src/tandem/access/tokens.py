"""API tokens and session ids: random, shown once, stored as SHA-256.

A 32-byte random token has no need of a slow password hash: nobody can guess its
preimage. Lookups go by hash, and the hash found is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    """A fresh random secret (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_hash(token: str, stored: str) -> bool:
    """Whether ``token`` hashes to ``stored`` (constant time)."""
    return hmac.compare_digest(hash_token(token), stored)
