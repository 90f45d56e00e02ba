"""The pack's documents for people: one model, written as HTML, PDF, XLSX, JSON or text.

Every `hc` document (the 有報 table, ISO 30414, KPI progress, LTV) is built as a
`Document` — titled sections of tables, paragraphs (notes) and inline SVG charts — and
then written by one writer per format, so the figures and the method notes are the same
in every format by construction. Cells keep the value (a `Decimal` in the unit shown)
beside the text, so the workbook holds numbers, not strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from mieruka.japan.fiscal import FiscalYear
from mieruka.japan.wareki import format_fiscal_year_wareki
from mieruka.japan.yen import format_yen, truncate_to_unit

FORMATS = ("text", "json", "html", "xlsx", "pdf")
MISSING = "－"  # the 有報 mark for "no one to count"


@dataclass(frozen=True)
class Cell:
    text: str
    value: Decimal | str | None = None  # the number (in the unit shown) or the text
    digits: int | None = None  # decimals of a number, for the workbook's number format
    thousands: bool = False  # group digits (#,##0) in the workbook
    status: str = ""  # met / missed / no_data: colours the HTML cell
    right: bool = False  # aligned as a figure (a missing figure's mark too)

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, Decimal)

    @property
    def css(self) -> str:
        return " ".join(c for c in ("n" if self.right else "", self.status) if c)


def text_cell(text: str, status: str = "") -> Cell:
    return Cell(text, text, status=status)


def number_cell(value: Decimal | None, *, suffix: str = "", missing: str = MISSING) -> Cell:
    """A figure as stored by the run: its digits are the run's rounding, kept as they are."""
    if value is None:
        return Cell(missing, missing, right=True)
    digits = max(-int(value.as_tuple().exponent), 0)
    big = abs(value) >= 10_000
    shown = f"{value:,}" if big else str(value)
    return Cell(shown + suffix, value, digits, thousands=big, right=True)


def yen_cell(value: Decimal | None, *, suffix: str = "", missing: str = MISSING) -> Cell:
    """Yen shown in 千円, truncated toward zero (千円未満切捨て), △ before a negative."""
    if value is None:
        return Cell(missing, missing, right=True)
    shown = Decimal(truncate_to_unit(value, 1000))
    return Cell(format_yen(value, "千円") + suffix, shown, 0, thousands=True, right=True)


@dataclass(frozen=True)
class Head:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    header: list[list[Head]]
    rows: list[list[Cell]]
    caption: str = ""
    unit: str = ""  # e.g. （単位：%）, printed above the table
    widths: tuple[str, ...] = ()  # CSS widths of the columns, e.g. ("20%", "30%", …)

    @property
    def width(self) -> int:
        return sum(h.colspan for h in self.header[0]) if self.header else len(self.rows[0])


Block = Table | list[str] | Markup  # a table, paragraphs (notes), or an inline SVG chart


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)
    sheet: str = ""  # the workbook's sheet name (≤ 31 characters)
    in_workbook: bool = True  # False for charts only (numbers elsewhere): not in XLSX or text


@dataclass
class Document:
    lang: str
    title: str
    meta: list[tuple[str, str]]
    sections: list[Section]
    payload: dict[str, Any]  # the JSON form: the figures as data
    landscape: bool = False
    name: str = "document"  # default file stem


def fiscal_year_label(fy: int, lang: str, start_month: int = 4) -> str:
    if lang == "ja":
        return f"{FiscalYear(fy, start_month).label('ja')}（{format_fiscal_year_wareki(fy, start_month)}）"
    return FiscalYear(fy, start_month).label("en")


def render_html(doc: Document) -> str:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    source = resources.files("mieruka.packs.human_capital").joinpath("templates", "document.html")
    template = env.from_string(source.read_text(encoding="utf-8"))
    blocks = [
        [(_kind(b), b) for b in section.blocks] for section in doc.sections
    ]  # the template needs to know what each block is
    return template.render(doc=doc, blocks=blocks)


def _kind(block: Block) -> str:
    if isinstance(block, Table):
        return "table"
    if isinstance(block, Markup):
        return "chart"
    return "paragraphs"


def render_text(doc: Document) -> str:
    """Plain text: sections, each table row as `heading: value` pairs, then the notes.

    Sections of charts only are left out (their numbers are in the tables); empty cells
    are skipped, so a row that continues the one above starts with its own values."""
    lines = [doc.title, *(f"{k}: {v}" for k, v in doc.meta)]
    for section in (s for s in doc.sections if s.in_workbook):
        lines.append(f"\n■ {section.heading}")
        for block in section.blocks:
            if isinstance(block, Table):
                names = _leaf_headings(block)
                if block.caption:
                    lines.append(f"[{block.caption}]")
                for row in block.rows:
                    pairs = [f"{n}: {c.text}" for n, c in zip(names, row, strict=False) if c.text]
                    indent = "  " if row and row[0].text else "      "
                    lines.append(indent + " | ".join(pairs))
            elif isinstance(block, list):
                lines.extend(f"  {p}" for p in block)
    return "\n".join(lines)


def _leaf_headings(table: Table) -> list[str]:
    """The heading of each column: its lowest header cell, prefixed by the group above it."""
    grid = header_grid(table.header)
    names = []
    for col in range(table.width):
        parts = [grid[r][col] for r in range(len(grid)) if grid[r][col]]
        unique = list(dict.fromkeys(parts))
        names.append(" ".join(unique))
    return names


def header_grid(header: list[list[Head]]) -> list[list[str]]:
    """The header as a full grid (the text of a merged cell in each cell it spans)."""
    width = sum(h.colspan for h in header[0]) if header else 0
    grid: list[list[str | None]] = [[None] * width for _ in header]
    for r, row in enumerate(header):
        col = 0
        for head in row:
            while grid[r][col] is not None:
                col += 1
            for dr in range(head.rowspan):
                for dc in range(head.colspan):
                    grid[r + dr][col + dc] = head.text
            col += head.colspan
    return [[c or "" for c in row] for row in grid]


def write(doc: Document, fmt: str, path: Path) -> Path:
    """Write `doc` as `fmt` to `path` (folders made as needed); returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        path.write_text(render_html(doc), encoding="utf-8")
    elif fmt == "pdf":
        from mieruka.render.pdf import write_pdf

        write_pdf(render_html(doc), path)
    elif fmt == "xlsx":
        from mieruka.packs.human_capital.documents_xlsx import write_xlsx

        write_xlsx(doc, path)
    elif fmt == "json":
        path.write_text(to_json(doc), encoding="utf-8")
    elif fmt == "text":
        path.write_text(render_text(doc) + "\n", encoding="utf-8")
    else:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, found {fmt!r}")
    return path


def to_json(doc: Document) -> str:
    return json.dumps(doc.payload, ensure_ascii=False, indent=2, default=str)
