"""Refusals name the rule in plain words."""

from __future__ import annotations

import pytest

from tandem.access import Identity
from tandem.access.rules import Action, decide
from tandem.errors import PermissionDeniedError


def test_a_refusal_reads_as_english() -> None:
    with pytest.raises(PermissionDeniedError, match="^an auditor may not do import$"):
        decide(Identity("u1", "auditor"), Action.IMPORT)
    with pytest.raises(PermissionDeniedError, match="^a client may not do import$"):
        decide(Identity("u2", "client", client_id="c1"), Action.IMPORT)
