"""Imports run interfaces → packs → core: a pack never imports another pack or an interface.

Layers, lowest first: `japan`, `core`, `render` (charts and PDF printing shared by packs
and interfaces), then the packs, then the interfaces (`report`, `web`, `cli`, `demo`).
Imports inside functions count too: a late import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "mieruka"

ALLOWED = {
    "japan": {"japan"},
    "core": {"japan", "core"},
    "render": {"japan", "core", "render"},
}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    # `mieruka` itself (its __version__) belongs to no layer
    return [(line, name) for line, name in found if name.startswith("mieruka.")]


def _layer(path: Path) -> tuple[str, str | None]:
    parts = path.relative_to(SRC).parts
    if parts[0] == "packs" and len(parts) > 2:
        return "packs", parts[1]
    return parts[0], None


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_follow_the_layers(path: Path) -> None:
    layer, pack = _layer(path)
    wrong = []
    for line, name in _imports(path):
        target = name.split(".")[1] if "." in name else ""
        if layer in ALLOWED and target not in ALLOWED[layer]:
            wrong.append(f"{path.name}:{line} imports {name}")
        if layer == "packs":
            parts = name.split(".")
            other_pack = target == "packs" and len(parts) > 2 and parts[2] != pack
            if other_pack or target not in {"japan", "core", "render", "packs"}:
                wrong.append(f"{path.name}:{line} (pack {pack}) imports {name}")
    assert not wrong, wrong
