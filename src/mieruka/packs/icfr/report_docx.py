"""The draft 内部統制報告書 as a Word document (python-docx), for management to edit.

Built from the same HTML as the page and the PDF — headings, paragraphs, list items and
tables are read back from it with the standard library's HTMLParser — so the three formats
cannot say different things. Only the handful of tags `report.py` writes are understood.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from mieruka.packs.icfr.assessment import Assessment
from mieruka.packs.icfr.report import render_report

FONT = "Noto Sans CJK JP"
BLOCKS = {"h1", "h2", "h3", "p", "li"}


class _Blocks(HTMLParser):
    """(kind, text) for each block, and ("table", rows) for each table."""

    def __init__(self) -> None:
        super().__init__()
        self.out: list[tuple[str, object]] = []
        self.kind: str | None = None
        self.text: list[str] = []
        self.rows: list[list[str]] | None = None
        self.cell: list[str] | None = None
        self.skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "title"):
            self.skip = True
        elif tag == "table":
            self.rows = []
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag in BLOCKS and self.rows is None:
            self.kind, self.text = tag, []
        elif tag == "br" and self.kind:
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self.skip = False
        elif tag in ("td", "th") and self.cell is not None and self.rows:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "table" and self.rows is not None:
            self.out.append(("table", self.rows))
            self.rows = None
        elif tag == self.kind:
            self.out.append((tag, " ".join("".join(self.text).split("\n ")).strip()))
            self.kind = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.kind:
            self.text.append(data.replace("\n", ""))


def _font(doc: object) -> None:
    style = doc.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name = FONT
    style.font.size = Pt(10)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def write_docx(a: Assessment, out: Path) -> Path:
    parser = _Blocks()
    parser.feed(render_report(a))
    doc = Document()
    _font(doc)
    for kind, value in parser.out:
        if kind == "table":
            rows = [r for r in value if r]  # type: ignore[attr-defined]
            width = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for i, row in enumerate(rows):
                for j, text in enumerate(row):
                    cell = table.cell(i, j)
                    cell.text = text
                    for run in cell.paragraphs[0].runs:
                        run.font.size = Pt(8)
                        run.bold = i == 0
        elif kind == "h1":
            p = doc.add_heading(str(value), level=0)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind in ("h2", "h3"):
            doc.add_heading(str(value), level=1 if kind == "h2" else 2)
        else:
            p = doc.add_paragraph(str(value), style="List Bullet" if kind == "li" else None)
            if str(value) == "（案）":
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                p.runs[0].font.color.rgb = RGBColor(0xCC, 0, 0)
    doc.save(str(out))
    return out
