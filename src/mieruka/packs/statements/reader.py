"""Reading a prepared or published schedule (1) in the documented columns.

The core loader types a file into a snapshot; a schedule handed to `check` is not data to
keep but a document to tick, and its empty cells are `-`, which the core's yen type does
not take for zero. So the pack reads it itself: CSV (UTF-8, BOM, CP932) or XLSX (the
first sheet, or one named `schedule_fixed_assets`), `-` or blank as zero, `△` negative.

A printed `0` is not a `-`: it is an amount under one 千円 (see `truncation.py`). In a
workbook a numeric 0 counts as `-` when its number format prints zero without a digit
(the customary `#,##0;"△"#,##0;"-"`), and as `0` otherwise.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from mieruka.core.issues import Issue, MierukaError, did_you_mean
from mieruka.japan.yen import parse_amount
from mieruka.packs.statements.model import ScheduleRow
from mieruka.packs.statements.schemas import AMOUNTS, SECTIONS

COLUMNS = ("section", "asset_class", *AMOUNTS, "note")
SHEET = "schedule_fixed_assets"


DASHES = ("", "-", "－", "―", "‐", "ー")
"""How a schedule writes "nothing" (exactly zero): blank or a dash."""


def parse_cell(value: Any) -> int:
    """`-`, blank or None → 0; `△1,234` → −1234; a whole number from Excel as it is."""
    return read_cell(value)[0]


def read_cell(value: Any, number_format: str | None = None) -> tuple[int, bool]:
    """(amount in 千円, printed as `0` — i.e. under one 千円 rather than nothing)."""
    if value is None:
        return 0, False
    if isinstance(value, bool):
        raise ValueError(f"expected an amount in 千円, found {value!r}")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"expected a whole amount in 千円, found {value!r}")
        value = int(value)
    if isinstance(value, int):
        return value, value == 0 and not zero_prints_dash(number_format)
    text = str(value).strip()
    if text in DASHES:
        return 0, False
    amount = parse_amount(text)
    return amount, amount == 0


def zero_prints_dash(number_format: str | None) -> bool:
    """True when an Excel number format prints zero without a digit (`-`, blank)."""
    sections = _format_sections(number_format or "General")
    if len(sections) < 3:
        return False
    zero = sections[2]
    return not any(ch in "0#?" for ch in _unquoted(zero)) and "General" not in zero


def _format_sections(number_format: str) -> list[str]:
    sections, current, quoted = [], "", False
    for ch in number_format:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += ch
    return [*sections, current]


def _unquoted(section: str) -> str:
    return "".join(part for i, part in enumerate(section.split('"')) if i % 2 == 0)


Lines = list[tuple[int, list[Any]]]  # (line number in the file, cells), blank lines dropped


def _csv_rows(path: Path) -> Lines:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        rows = enumerate(csv.reader(io.StringIO(text)), start=1)
        return [(n, row) for n, row in rows if any(c.strip() for c in row)]
    raise MierukaError(Issue("cannot decode the file", file=str(path), expected="UTF-8 or CP932"))


def _xlsx_rows(path: Path, sheet: str | None, preferred: str | None = SHEET) -> Lines:
    """Rows of values; a numeric 0 whose format prints a dash comes back as `-`."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        name = sheet or (preferred if preferred in book.sheetnames else book.sheetnames[0])
        if name not in book.sheetnames:
            raise MierukaError(
                Issue(f"no sheet '{name}'", file=str(path), expected=", ".join(book.sheetnames))
            )
        rows = [
            (n, ["-" if _dash_zero(c) else c.value for c in r])
            for n, r in enumerate(book[name].iter_rows(), start=1)
        ]
    finally:
        book.close()
    return [(n, r) for n, r in rows if any(c not in (None, "") for c in r)]


def _dash_zero(cell: Any) -> bool:
    value = getattr(cell, "value", None)
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value == 0
        and zero_prints_dash(getattr(cell, "number_format", None))
    )


def read_table(
    path: Path,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    sheet: str | None = None,
    preferred: str | None = SHEET,
) -> list[tuple[int, dict[str, Any]]]:
    """(line, cells by column) of a CSV or XLSX with a header row of `columns`; a
    `MierukaError` names an unknown or missing column."""
    if not path.is_file():
        raise MierukaError(Issue("no such file", file=str(path)))
    suffix = path.suffix.lower()
    table = _xlsx_rows(path, sheet, preferred) if suffix in (".xlsx", ".xlsm") else _csv_rows(path)
    label = str(path)
    if not table:
        raise MierukaError(Issue("the file is empty", file=label, expected="a header row"))
    header_line, first = table[0]
    header = [str(h or "").strip() for h in first]
    issues = [
        Issue(f"unknown column '{h}'{did_you_mean(h, columns)}", label, header_line, h,
              expected=", ".join(columns))
        for h in header
        if h and h not in columns
    ]  # fmt: skip
    issues += [
        Issue("missing column", label, header_line, c, expected=c)
        for c in required
        if c not in header
    ]
    if issues:
        raise MierukaError(issues)
    return [(n, dict(zip(header, raw, strict=False))) for n, raw in table[1:]]


def read_schedule(path: Path, sheet: str | None = None) -> list[ScheduleRow]:
    """All rows, or a `MierukaError` naming every bad row and column at once."""
    label = str(path)
    issues: list[Issue] = []
    rows: list[ScheduleRow] = []
    for number, cells in read_table(path, COLUMNS, COLUMNS[:-1], sheet):
        section = str(cells.get("section") or "").strip()
        if section not in SECTIONS:
            issues.append(Issue(f"unknown section{did_you_mean(section, SECTIONS)}", label,
                                number, "section", expected=", ".join(SECTIONS), found=section))  # fmt: skip
        name = str(cells.get("asset_class") or "").strip()
        if not name:
            issues.append(Issue("asset_class is blank", label, number, "asset_class"))
        amounts: dict[str, int] = {}
        below: set[str] = set()
        for column in AMOUNTS:
            try:
                amounts[column], is_below = read_cell(cells.get(column))
            except ValueError as exc:
                issues.append(Issue(str(exc), label, number, column))
                continue
            if is_below:
                below.add(column)
        note = str(cells.get("note") or "")
        rows.append(ScheduleRow(section, name, amounts, note, number, frozenset(below)))
    if issues:
        raise MierukaError(issues)
    return rows


def row_from_record(record: dict[str, Any]) -> ScheduleRow:
    """A loaded `schedule_fixed_assets` row (text cells) as a ScheduleRow; ValueError if a
    cell is not an amount (the load-time check refuses such files)."""
    cells = {c: read_cell(record.get(c)) for c in AMOUNTS}
    return ScheduleRow(
        str(record["section"]),
        str(record["asset_class"]),
        {c: amount for c, (amount, _) in cells.items()},
        str(record.get("note") or ""),
        record.get("__row"),
        frozenset(c for c, (_, below) in cells.items() if below),
    )
