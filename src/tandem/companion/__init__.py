"""The companion: a grounded assistant for clients and freelancers (deterministic by default)."""

from tandem.companion.drafts import JobDraft, draft_job

__all__ = ["JobDraft", "draft_job"]
