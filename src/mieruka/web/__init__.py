"""The web dashboard and JSON API (`mieruka serve`): see docs/web.md."""

from __future__ import annotations

from mieruka.web.app import create_app

__all__ = ["create_app"]
