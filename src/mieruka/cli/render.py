"""How figures look on a terminal: units, Japanese amounts (△ for negatives), tables."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

from mieruka.japan.yen import format_yen

# piped output is not cut to 80 columns: ids and labels stay whole in logs and CI
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)

UNIT_SUFFIX = {
    "percent": "%",
    "yen": "円",
    "people": "人",
    "days": "日",
    "hours": "時間",
    "years": "年",
}


def format_value(value: Decimal | str | None, unit: str | None) -> str:
    if value is None:
        return "—"
    number = Decimal(str(value))
    if unit == "yen" and number == number.to_integral_value():
        return format_yen(int(number)) + "円"
    text = f"{number:,}"
    if number < 0:
        text = "△" + text[1:]
    return text + UNIT_SUFFIX.get(unit or "", "")


def dims_text(dims: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in dims.items()) or "(total)"


def table(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    out = Table(title=title, title_justify="left")
    for col in columns:
        out.add_column(col)
    for row in rows:
        out.add_row(*["" if c is None else str(c) for c in row])
    return out


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
