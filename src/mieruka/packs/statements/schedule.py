"""Building schedule (1) from a register: sum in yen, then truncate every cell to 千円.

Each printed cell — class rows, section 計 rows and the totals — is truncated on its own
from its exact yen amount, as published schedules are; the sum of a column's truncated
cells may therefore fall short of its truncated 計 by up to one per term, which is what
the checker accepts (and reports) and nothing more. A cell under one 千円 prints `0` and
an empty one `-`, the convention of Japanese statements.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from mieruka.japan.yen import truncate_to_unit
from mieruka.packs.statements.depreciation import Asset, for_year
from mieruka.packs.statements.model import FixedAssetSchedule, ScheduleRow, empty_amounts
from mieruka.packs.statements.schemas import (
    AMOUNTS,
    CLASSES,
    INTANGIBLE,
    REGISTER_SECTIONS,
    SECTIONS,
    SPECIFIED,
    SUBTOTAL,
    TANGIBLE,
    TOTALS,
)

Sums = dict[str, dict[str, dict[str, int]]]  # section -> class -> column -> yen


def yen_sums(assets: Iterable[Asset], fy_start: date, fy_end: date) -> Sums:
    """Every section's classes (the customary ones first, then those found) in yen."""
    sums: Sums = {s: {c: empty_amounts() for c in CLASSES[s]} for s in REGISTER_SECTIONS}
    for asset in assets:
        year = for_year(asset, fy_start, fy_end)
        row = sums[asset.section].setdefault(asset.asset_class, empty_amounts())
        for column in AMOUNTS:
            row[column] += getattr(year, column)
    return sums


def _add(into: dict[str, int], row: dict[str, int]) -> None:
    for column, value in row.items():
        into[column] += value


def yen_rows(sums: Sums) -> list[ScheduleRow]:
    """Class rows, 計 rows and the class-by-class totals, all in exact yen."""
    rows: list[ScheduleRow] = []
    for section in SECTIONS:
        parts = TOTALS.get(section)
        if parts is None:
            classes = sums[section]
        else:
            classes = {}
            for part in parts:
                for name, row in sums[part].items():
                    _add(classes.setdefault(name, empty_amounts()), row)
        subtotal = empty_amounts()
        for name, row in classes.items():
            _add(subtotal, row)
            rows.append(ScheduleRow(section, name, dict(row)))
        rows.append(ScheduleRow(section, SUBTOTAL, subtotal))
    return rows


def in_thousands(row: ScheduleRow) -> ScheduleRow:
    """Each cell truncated to 千円 on its own; one under a thousand yen prints `0`, not `-`."""
    amounts = {c: truncate_to_unit(v, 1000) for c, v in row.amounts.items()}
    below = frozenset(c for c, v in row.amounts.items() if v and not amounts[c])
    return ScheduleRow(row.section, row.asset_class, amounts, row.note, row.line, below)


def build_schedule(
    assets: Iterable[Asset], fiscal_year: int, fy_start: date, fy_end: date
) -> FixedAssetSchedule:
    sums = yen_sums(list(assets), fy_start, fy_end)
    exact = yen_rows(sums)
    outside_dep = sum(
        r.get("depreciation_for_period") for r in exact if r.section in SPECIFIED and r.is_subtotal
    )
    outside_imp = sum(
        r.get("impairment_outside_pl")
        for r in exact
        if r.section in (*TANGIBLE, *INTANGIBLE, "other_assets") and r.is_subtotal
    )
    rows = []
    for row in exact:
        note = ""
        if row.section in SPECIFIED and not row.is_subtotal and row.get("depreciation_for_period"):
            note = "当期償却額は損益外"
        rows.append(in_thousands(ScheduleRow(row.section, row.asset_class, row.amounts, note)))
    notes = [
        "金額は千円未満を切り捨てて表示しているため、合計が一致しない場合があります。",
        "特定償却資産の当期償却額は損益外減価償却相当額として資本剰余金から控除しています"
        f"（{outside_dep // 1000:,}千円）。",
    ]
    if outside_imp:
        notes.append(f"当期減損損益外は損益外減損損失相当額です（{outside_imp // 1000:,}千円）。")
    return FixedAssetSchedule(
        fiscal_year, rows, "千円", outside_dep, outside_imp, notes, fy_start, fy_end
    )
