"""The PDF as a reader sees it: every row whole on its line, nothing cut, Japanese dates."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.packs.statements.st_fixtures import FY24, others, register

from mieruka.packs.statements.export_html import cell, render_html
from mieruka.packs.statements.schedule import build_schedule
from mieruka.packs.statements.schemas import AMOUNTS
from mieruka.render.pdf import pdf_to_png, write_pdf

if shutil.which("pdftotext") is None:  # the test set-up (scripts/setup) installs poppler-utils
    pytest.fail("pdftotext (poppler-utils) is not installed: run scripts/setup", pytrace=False)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    fixed = build_schedule(register(), 2024, *FY24)
    path = tmp_path_factory.mktemp("pdf") / "s.pdf"
    write_pdf(render_html(fixed, others(), "国立大学法人みえる大学"), path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return path, text


def test_every_row_of_schedule_1_is_printed_whole(pdf):
    _, text = pdf
    fixed = build_schedule(register(), 2024, *FY24)
    for r in fixed.rows:
        cells = [cell(r.get(c), r.is_below_unit(c)) for c in AMOUNTS]
        pattern = re.escape(r.asset_class) + r"\s+" + r"\s+".join(map(re.escape, cells))
        assert re.search(pattern + r"\s*" + re.escape(r.note), text), (r.section, r.asset_class)


def test_the_pdf_names_the_year_in_wareki_and_the_empty_schedule(pdf):
    _, text = pdf
    assert "令和6年度（2024年度）" in text
    assert re.search(r"自 令和6年4月1日\s+至 令和7年3月31日", text)
    assert "該当がないため作成していません。" in text
    assert re.search(r"医薬品\s+5,000\s+12,000\s+0\s+11,500\s+-\s+5,500", text)  # 300 yen: 0


def test_the_pdf_renders_to_landscape_pages(pdf, tmp_path: Path):
    path, _ = pdf
    pages = pdf_to_png(path, tmp_path / "page", dpi=30)
    assert 1 <= len(pages) <= 3
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height  # A4 landscape
