"""How packs contribute to mieruka.

A pack is a `Pack` value published under the entry-point group `mieruka.packs`. The
built-in packs register exactly this way, so a third-party pack has the same powers:
dataset schemas, spec files (indicators, targets, rules), Python functions for math SQL
does badly, domain checks run when a dataset is loaded, demo data, CLI commands and pages.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from mieruka.core.issues import Issue, MierukaError
from mieruka.core.schema import DatasetSchema, Labels

ENTRY_POINT_GROUP = "mieruka.packs"

# (duckdb connection, table name, file label) -> issues found in the loaded table
DatasetCheck = Callable[[Any, str, str], list[Issue]]
# (evaluation context) -> pyarrow table shaped like a formula's output
IndicatorFunction = Callable[[Any], Any]


@dataclass(frozen=True)
class Pack:
    name: str
    label: Labels
    datasets: Sequence[DatasetSchema] = ()
    spec_files: Sequence[Path] = ()
    functions: Mapping[str, IndicatorFunction] = field(default_factory=dict)
    checks: Mapping[str, Sequence[DatasetCheck]] = field(default_factory=dict)
    demo: Callable[..., Any] | None = None  # (workspace, size) -> None: writes and loads demo data
    cli: Any = None  # a click.Group added under `mieruka <name>`
    pages: Any = None  # web pages, registered by the dashboard


_extra: list[Pack] = []


def register(pack: Pack) -> None:
    """Register a pack in this process (for tests and embedding); entry points need no call."""
    if any(p.name == pack.name for p in _extra):
        raise MierukaError(f"pack '{pack.name}' is already registered")
    _extra.append(pack)


def unregister(name: str) -> None:
    _extra[:] = [p for p in _extra if p.name != name]


def installed_packs(only: Collection[str] | None = None) -> list[Pack]:
    """Installed packs: entry points first (in name order), then packs registered in process.

    With `only`, other packs are not even imported, so a workspace is not affected by a
    pack it does not use. A pack that fails to import is an error naming the pack.
    """
    packs: list[Pack] = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if only is not None and ep.name not in only:
            continue
        try:
            obj = ep.load()
        except Exception as exc:
            raise MierukaError(
                f"pack '{ep.name}' ({ep.value}) failed to load: {type(exc).__name__}: {exc}"
            ) from exc
        pack = obj() if callable(obj) and not isinstance(obj, Pack) else obj
        if not isinstance(pack, Pack):
            raise MierukaError(
                f"entry point '{ep.name}' in {ENTRY_POINT_GROUP} is not a mieruka Pack"
            )
        packs.append(pack)
    names = [p.name for p in packs]
    packs.extend(p for p in _extra if p.name not in names and (only is None or p.name in only))
    return packs


def installed_pack_names() -> list[str]:
    """Names of every installed pack, without importing any of them."""
    names = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    return sorted(names | {p.name for p in _extra})
