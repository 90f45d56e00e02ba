"""YAML with source lines: every mapping remembers the line it starts on and each key's line.

PyYAML's SafeLoader is used as is; only mapping construction is extended so that spec
errors can say `specs/hr.yaml:12` instead of "somewhere in the file".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mieruka.core.issues import Issue, MierukaError

LINE = "__line__"
KEY_LINES = "__key_lines__"
VALUE_LINES = "__value_lines__"  # where a value's text starts (the line after `|` for a block)


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(
    loader: _LineLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Any, Any]:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    mapping[KEY_LINES] = {
        k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")
    }
    mapping[VALUE_LINES] = {
        k.value: v.start_mark.line + (2 if getattr(v, "style", None) in ("|", ">") else 1)
        for k, v in node.value
        if hasattr(k, "value")
    }
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, file: str) -> Any:
    """Parse YAML text; a syntax error becomes a MierukaError at file:line."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise MierukaError(
            Issue(f"YAML syntax error: {exc.problem or exc}", file=file, line=line)
        ) from exc


def load_yaml_file(path: Path) -> Any:
    return load_yaml(path.read_text(encoding="utf-8"), str(path))


def strip_lines(value: Any) -> Any:
    """The same data without the line bookkeeping."""
    if isinstance(value, dict):
        return {
            k: strip_lines(v) for k, v in value.items() if k not in (LINE, KEY_LINES, VALUE_LINES)
        }
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def line_of(mapping: Any, key: str | None = None) -> int | None:
    if not isinstance(mapping, dict):
        return None
    if key is not None and key in mapping.get(KEY_LINES, {}):
        return int(mapping[KEY_LINES][key])
    line = mapping.get(LINE)
    return int(line) if line is not None else None
