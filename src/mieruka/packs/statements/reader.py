"""Reading a prepared or published schedule (1) in the documented columns.

The core loader types a file into a snapshot; a schedule handed to `check` is not data to
keep but a document to tick, and its empty cells are `-`, which the core's yen type does
not take for zero. So the pack reads it itself: CSV (UTF-8, BOM, CP932) or XLSX (the
first sheet, or one named `schedule_fixed_assets`), `-` or blank as zero, `△` negative.
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


def parse_cell(value: Any) -> int:
    """`-`, blank or None → 0; `△1,234` → −1234; a whole number from Excel as it is."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ValueError(f"expected an amount in 千円, found {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"expected a whole amount in 千円, found {value!r}")
        return int(value)
    text = str(value).strip()
    if text in ("", "-", "－", "―", "‐"):
        return 0
    return parse_amount(text)


def _csv_rows(path: Path) -> list[list[Any]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [row for row in csv.reader(io.StringIO(text)) if any(c.strip() for c in row)]
    raise MierukaError(Issue("cannot decode the file", file=str(path), expected="UTF-8 or CP932"))


def _xlsx_rows(path: Path, sheet: str | None) -> list[list[Any]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        name = sheet or (SHEET if SHEET in book.sheetnames else book.sheetnames[0])
        if name not in book.sheetnames:
            raise MierukaError(
                Issue(f"no sheet '{name}'", file=str(path), expected=", ".join(book.sheetnames))
            )
        rows = [list(r) for r in book[name].iter_rows(values_only=True)]
    finally:
        book.close()
    return [r for r in rows if any(c not in (None, "") for c in r)]


def read_schedule(path: Path, sheet: str | None = None) -> list[ScheduleRow]:
    """All rows, or a `MierukaError` naming every bad row and column at once."""
    if not path.is_file():
        raise MierukaError(Issue("no such file", file=str(path)))
    suffix = path.suffix.lower()
    table = _xlsx_rows(path, sheet) if suffix in (".xlsx", ".xlsm") else _csv_rows(path)
    label = str(path)
    if not table:
        raise MierukaError(Issue("the file is empty", file=label, expected="a header row"))
    header = [str(h or "").strip() for h in table[0]]
    issues = [
        Issue(
            f"unknown column '{h}'{did_you_mean(h, COLUMNS)}",
            label,
            1,
            h,
            expected=", ".join(COLUMNS),
        )
        for h in header
        if h and h not in COLUMNS
    ]
    issues += [
        Issue("missing column", label, 1, c, expected=c) for c in COLUMNS[:-1] if c not in header
    ]
    if issues:
        raise MierukaError(issues)
    rows: list[ScheduleRow] = []
    for number, raw in enumerate(table[1:], start=2):
        cells = dict(zip(header, raw, strict=False))
        section = str(cells.get("section") or "").strip()
        if section not in SECTIONS:
            issues.append(Issue(f"unknown section{did_you_mean(section, SECTIONS)}", label,
                                number, "section", expected=", ".join(SECTIONS), found=section))  # fmt: skip
        name = str(cells.get("asset_class") or "").strip()
        if not name:
            issues.append(Issue("asset_class is blank", label, number, "asset_class"))
        amounts: dict[str, int] = {}
        for column in AMOUNTS:
            try:
                amounts[column] = parse_cell(cells.get(column))
            except ValueError as exc:
                issues.append(Issue(str(exc), label, number, column))
        note = str(cells.get("note") or "")
        rows.append(ScheduleRow(section, name, amounts, note, number))
    if issues:
        raise MierukaError(issues)
    return rows
