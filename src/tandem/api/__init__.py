"""The HTTP API (FastAPI) and the web UI it serves."""

from tandem.api.app import create_app

__all__ = ["create_app"]
