"""lrkb's web face: `create_app(corpus)` returns the ASGI app `lrkb serve` runs."""

from .app import create_app

__all__ = ["create_app"]
