"""HTTP channel: a thin adapter over the assistant core."""

from assistant.api.app import create_app

__all__ = ["create_app"]
