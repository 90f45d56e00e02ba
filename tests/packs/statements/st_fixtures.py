"""A small prepared schedule (1) in the documented columns, for the checker and rule tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from mieruka.packs.statements.depreciation import Asset
from mieruka.packs.statements.others import (
    ALLOWANCES,
    BORROWINGS,
    INVENTORIES,
    SimpleSchedule,
    build_simple,
)
from mieruka.packs.statements.reader import COLUMNS
from mieruka.packs.statements.schemas import SECTIONS

FY24 = (date(2024, 4, 1), date(2025, 3, 31))


def line(section: str, cls: str, opening: int, inc: int, dec: int, acc: int = 0) -> list[str]:
    """A printed row: zero amounts as `-`, closing and net worked out."""
    closing = opening + inc - dec
    values = [opening, inc, dec, closing, acc, 0, 0, 0, 0, closing - acc]
    return [section, cls, *(f"{v:,}" if v else "-" for v in values), ""]


def schedule() -> list[list[str]]:
    """建物 1,000 + 構築物 500 in specified, 工具器具備品 300 in other, 土地 2,000."""
    rows = [
        line("specified", "建物", 1_000, 100, 0, 400), line("specified", "構築物", 500, 0, 0, 100),
        line("specified", "計", 1_500, 100, 0, 500),
        line("other", "工具器具備品", 300, 50, 20, 150), line("other", "計", 300, 50, 20, 150),
        line("non_depreciable", "土地", 2_000, 0, 0), line("non_depreciable", "計", 2_000, 0, 0),
        line("tangible_total", "建物", 1_000, 100, 0, 400),
        line("tangible_total", "構築物", 500, 0, 0, 100),
        line("tangible_total", "工具器具備品", 300, 50, 20, 150),
        line("tangible_total", "土地", 2_000, 0, 0), line("tangible_total", "計", 3_800, 150, 20, 650),
    ]  # fmt: skip
    rows += [line(s, "計", 0, 0, 0) for s in SECTIONS if s not in {r[0] for r in rows}]
    return rows


def write(tmp_path: Path, rows: list[list[str]], name: str = "s.csv") -> Path:
    path = tmp_path / name
    text = "\n".join(",".join(f'"{c}"' for c in r) for r in [list(COLUMNS), *rows])
    path.write_text(text, encoding="utf-8")
    return path


def find(rows: list[list[str]], section: str, cls: str) -> list[str]:
    return next(r for r in rows if r[0] == section and r[1] == cls)


COL = {name: i for i, name in enumerate(COLUMNS)}
"""Column name -> index in a row of `schedule()`."""


def register() -> list[Asset]:
    return [
        Asset("B", "建物", "specified", date(2020, 4, 1), 12_006_000, 10),
        Asset("K", "図書", "specified", date(2025, 3, 1), 30_000, 5),  # 500 yen: prints 0
        Asset("P1", "工具器具備品", "other", date(2024, 3, 31), 1_200_000, 4),
        Asset("P2", "工具器具備品", "other", date(2021, 4, 1), 800_000, 4, date(2024, 9, 15)),
        Asset("L", "土地", "non_depreciable", date(1995, 4, 1), 50_000_000,
              impairment_in_pl=7_500_000, impaired_on=date(2025, 3, 31)),
        Asset("S", "ソフトウェア", "intangible_specified", date(2022, 4, 1), 6_000_000, 5,
              impairment_outside_pl=600_000, impaired_on=date(2024, 9, 30)),
        Asset("T", "電話加入権", "intangible_other", date(2000, 4, 1), 72_800),
        Asset("X", "長期前払費用", "other_assets", date(2023, 4, 1), 2_000_000, 5),
    ]  # fmt: skip


def others() -> list[SimpleSchedule]:
    drugs = {"kind": "医薬品", "opening": 5_000_500, "purchased": 12_000_000,
             "other_in": 300, "issued": 11_500_000, "other_out": 0, "closing": 5_500_800}  # fmt: skip
    bonus = {"name": "賞与引当金", "opening": 1_999, "increase": 5_000, "used": 1_999,
             "reversed": 0, "closing": 5_000}  # fmt: skip
    return [
        build_simple(INVENTORIES, [drugs]),
        build_simple(BORROWINGS, []),
        build_simple(ALLOWANCES, [bonus]),
    ]
