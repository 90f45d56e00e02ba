"""Schedules (2) inventories, (8) borrowings and (10) allowances: roll-forwards by line.

They share one shape — a label column, yen amounts that roll forward, a 計 row — so one
small table type serves the three, and the exporters print any of them the same way.
A schedule with no lines is still published, saying so (該当がないため作成していません).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mieruka.japan.yen import truncate_to_unit

NOTHING_TO_REPORT = "該当がないため作成していません。"


@dataclass(frozen=True)
class SimpleSchedule:
    number: int
    title: str
    key: tuple[str, str]  # (column name, heading) of the label column
    columns: tuple[tuple[str, str], ...]  # amount columns (千円)
    plus: tuple[str, ...]  # columns that add to the opening balance
    minus: tuple[str, ...]  # columns that take from it
    text_columns: tuple[tuple[str, str], ...] = ()  # printed as given (rate, due date)
    rows: tuple[dict[str, Any], ...] = ()
    total: dict[str, int] | None = None
    # (line index or -1 for the 計 row, column) of cells under one 千円: printed `0`, not `-`
    below_unit: frozenset[tuple[int, str]] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.rows


INVENTORIES = SimpleSchedule(
    2, "たな卸資産の明細", ("kind", "種類"),
    (("opening", "期首残高"), ("purchased", "当期増加額（当期購入・製造・振替）"),
     ("other_in", "当期増加額（その他）"), ("issued", "当期減少額（払出・振替）"),
     ("other_out", "当期減少額（その他）"), ("closing", "期末残高")),
    ("purchased", "other_in"), ("issued", "other_out"),
)  # fmt: skip
BORROWINGS = SimpleSchedule(
    8, "借入金の明細", ("lender", "区分（借入先）"),
    (("opening", "期首残高"), ("increase", "当期増加"), ("decrease", "当期減少"),
     ("closing", "期末残高"), ("current_portion", "うち1年以内返済予定")),
    ("increase",), ("decrease",),
    (("avg_rate_pct", "平均利率（％）"), ("due", "償還期限")),
)  # fmt: skip
ALLOWANCES = SimpleSchedule(
    10, "引当金の明細", ("name", "区分"),
    (("opening", "期首残高"), ("increase", "当期増加額"), ("used", "当期減少額（目的使用）"),
     ("reversed", "当期減少額（その他）"), ("closing", "期末残高")),
    ("increase",), ("used", "reversed"),
)  # fmt: skip
TEMPLATES = {"inventories": INVENTORIES, "borrowings": BORROWINGS, "allowances": ALLOWANCES}


def build_simple(template: SimpleSchedule, records: Sequence[Mapping[str, Any]]) -> SimpleSchedule:
    """Lines in 千円 (each cell truncated on its own) and a 計 row truncated from the yen sum."""
    names = [c for c, _ in template.columns]
    rows = []
    below: set[tuple[int, str]] = set()
    for index, record in enumerate(records):
        row: dict[str, Any] = {template.key[0]: record[template.key[0]]}
        for c in names:
            yen = int(record.get(c) or 0)
            row[c] = truncate_to_unit(yen, 1000)
            if yen and not row[c]:
                below.add((index, c))
        for column, _ in template.text_columns:
            value = record.get(column)
            row[column] = "" if value is None else str(value)
        rows.append(row)
    sums = {c: sum(int(r.get(c) or 0) for r in records) for c in names}
    total = {c: truncate_to_unit(v, 1000) for c, v in sums.items()}
    below |= {(-1, c) for c, v in sums.items() if v and not total[c]}
    return SimpleSchedule(
        template.number, template.title, template.key, template.columns, template.plus,
        template.minus, template.text_columns, tuple(rows), total if rows else None,
        frozenset(below),
    )  # fmt: skip


def roll_forward_gaps(template: SimpleSchedule, record: Mapping[str, Any]) -> int:
    """opening + increases − decreases − closing, in yen (0 when the line rolls forward)."""
    value = int(record.get("opening") or 0) - int(record.get("closing") or 0)
    value += sum(int(record.get(c) or 0) for c in template.plus)
    return value - sum(int(record.get(c) or 0) for c in template.minus)
