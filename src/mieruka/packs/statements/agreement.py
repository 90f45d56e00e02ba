"""Schedule (1) against the balance sheet and against schedule (13), when they are given.

The domain page asks that (1) agree "with the balance sheet (when given) and with (13) for
capital-surplus movements of specified assets" but documents no input for either, so these
two optional inputs are this pack's own (docs/packs/statements.md), following the
conventions of the domain pages: CSV or XLSX, a header row, 千円 as printed, `△` negative.

- Balance sheet lines (`--balance-sheet`): `section` (`tangible_total`, `intangible_total`,
  `other_assets`), `asset_class` (a class of (1), or `計` for the section's total) and any
  of `closing` (取得価額), `accumulated_depreciation`, `accumulated_impairment`,
  `net_closing`; a blank cell is a figure the balance sheet does not show and is not
  compared. The balance sheet and (1) truncate the same yen amount to 千円, so they must
  agree exactly: no truncation window applies.
- Schedule (13) lines (`--capital`): `item`, `opening`, `increase`, `decrease`, `closing`.
  The increase of 損益外減価償却累計額 must be the depreciation of the specified sections
  (their 計 rows' 当期償却額), that of 損益外減損損失累計額 the impairment outside P/L of
  every section; (13) prints one yen total truncated once, (1) one cell per section, so
  the truncation window of `truncation.py` applies. Deductions from capital surplus are
  printed with or without `△`; magnitudes are compared. Other lines of (13) are not (1)'s
  business and are ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mieruka.core.issues import Issue, MierukaError, did_you_mean
from mieruka.packs.statements.check import CheckReport, Finding
from mieruka.packs.statements.model import ScheduleRow
from mieruka.packs.statements.reader import read_cell, read_table
from mieruka.packs.statements.schemas import REGISTER_SECTIONS, SPECIFIED, SUBTOTAL
from mieruka.packs.statements.truncation import total

BS_SECTIONS = ("tangible_total", "intangible_total", "other_assets")
BS_AMOUNTS = ("closing", "accumulated_depreciation", "accumulated_impairment", "net_closing")
BS_COLUMNS = ("section", "asset_class", *BS_AMOUNTS)
CAPITAL_COLUMNS = ("item", "opening", "increase", "decrease", "closing")
OUTSIDE_PL_DEPRECIATION = "損益外減価償却累計額"
OUTSIDE_PL_IMPAIRMENT = "損益外減損損失累計額"
CAPITAL_LINE = "（13）資本剰余金"


@dataclass(frozen=True)
class Figure:
    """One printed figure of another statement: where it is, and its value in 千円."""

    section: str
    name: str
    column: str
    value: int
    below_unit: bool
    line: int


def _amount(label: str, line: int, column: str, raw: object, issues: list[Issue]) -> Figure | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value, below = read_cell(raw)
    except ValueError as exc:
        issues.append(Issue(str(exc), label, line, column))
        return None
    return Figure("", "", column, value, below, line)


def read_balance_sheet(path: Path, sheet: str | None = None) -> list[Figure]:
    label, issues, figures = str(path), list[Issue](), list[Figure]()
    for line, cells in read_table(path, BS_COLUMNS, BS_COLUMNS[:2], sheet, preferred=None):
        section = str(cells.get("section") or "").strip()
        if section not in BS_SECTIONS:
            issues.append(Issue(f"unknown section{did_you_mean(section, BS_SECTIONS)}", label,
                                line, "section", expected=", ".join(BS_SECTIONS), found=section))  # fmt: skip
        name = str(cells.get("asset_class") or "").strip()
        for column in BS_AMOUNTS:
            figure = _amount(label, line, column, cells.get(column), issues)
            if figure is not None:
                figures.append(Figure(section, name, column, figure.value, figure.below_unit, line))
    if issues:
        raise MierukaError(issues)
    return figures


def read_capital(path: Path, sheet: str | None = None) -> list[Figure]:
    label, issues, figures = str(path), list[Issue](), list[Figure]()
    for line, cells in read_table(path, CAPITAL_COLUMNS, ("item", "increase"), sheet, None):
        item = str(cells.get("item") or "").strip()
        if item not in (OUTSIDE_PL_DEPRECIATION, OUTSIDE_PL_IMPAIRMENT):
            continue
        figure = _amount(label, line, "increase", cells.get("increase"), issues)
        value = figure or Figure("", "", "increase", 0, False, line)
        figures.append(Figure(CAPITAL_LINE, item, "increase", value.value, value.below_unit, line))
    if issues:
        raise MierukaError(issues)
    return figures


def _finding(figure: Figure, expected: int, status: str, message: str) -> Finding:
    check = "capital_13" if figure.section == CAPITAL_LINE else "balance_sheet"
    return Finding(status, check, figure.section, figure.name, figure.column, expected,
                   figure.value, message, figure.line or None)  # fmt: skip


def agree_with_balance_sheet(
    rows: Sequence[ScheduleRow], figures: Sequence[Figure], report: CheckReport
) -> None:
    by_key = {(r.section, r.asset_class): r for r in rows}
    for figure in figures:
        report.comparisons += 1
        row = by_key.get((figure.section, figure.name))
        shown = row.get(figure.column) if row else 0
        if row is None and (figure.value or figure.below_unit):
            report.findings.append(_finding(figure, 0, "error",
                "the balance sheet shows a class that schedule (1) does not have"))  # fmt: skip
        elif row is not None and (
            shown != figure.value or row.is_below_unit(figure.column) != figure.below_unit
        ):
            report.findings.append(_finding(figure, shown, "error",
                f"the balance sheet does not agree with schedule (1) (difference "
                f"{shown - figure.value:+,} 千円; both truncate the same yen amount, so they "
                "must be equal)"))  # fmt: skip


def _sources(item: str) -> tuple[str, tuple[str, ...]]:
    if item == OUTSIDE_PL_DEPRECIATION:
        return "depreciation_for_period", SPECIFIED
    return "impairment_outside_pl", REGISTER_SECTIONS


def agree_with_capital(
    rows: Sequence[ScheduleRow], figures: Sequence[Figure], report: CheckReport
) -> None:
    subtotals = {r.section: r for r in rows if r.is_subtotal}
    given = {f.name: f for f in figures}
    for item in (OUTSIDE_PL_DEPRECIATION, OUTSIDE_PL_IMPAIRMENT):
        # a line (13) does not print is a zero increase: (1) must show none either
        figure = given.get(item) or Figure(CAPITAL_LINE, item, "increase", 0, False, 0)
        report.comparisons += 1
        column, sections = _sources(item)
        cells = [subtotals[s] for s in sections if s in subtotals]
        terms = total(*((1, r.get(column), r.is_below_unit(column)) for r in cells))
        found = abs(figure.value)
        what = f"{figure.name} increase = (1)'s {column} of " + ", ".join(
            f"{s} {SUBTOTAL}" for s in sections
        )
        if terms.expected == found:
            continue
        if terms.explains(found, figure.below_unit):
            status, message = (
                "accepted",
                (
                    f"{what}: a difference of {terms.expected - found:+,} 千円 is explained by "
                    f"truncating each cell to 千円 (allowed: {terms.allowed(found, figure.below_unit)})"
                ),
            )
        else:
            status, message = (
                "error",
                (f"{what} does not agree (difference {terms.expected - found:+,} 千円)"),
            )
        report.findings.append(_finding(figure, terms.expected, status, message))
