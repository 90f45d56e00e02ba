"""Every pack hook and every workspace setting is documented; a new one fails here until it is."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from mieruka.core.registry import Pack
from mieruka.core.workspace import KNOWN_KEYS

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_pack_field_is_documented():
    text = (DOCS / "packs.md").read_text(encoding="utf-8")
    missing = [f.name for f in dataclasses.fields(Pack) if f"| `{f.name}` |" not in text]
    assert missing == [], f"document these Pack fields in docs/packs.md: {missing}"


def test_every_workspace_setting_is_documented():
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    missing = [k for k in sorted(KNOWN_KEYS) if f"| `{k}` |" not in text]
    assert missing == [], f"document these settings in docs/settings.md: {missing}"
