"""The `hc` documents: the 有報 table in every format, notes that follow the options.

The workspace is the wage-gap one of `test_hc_wage_gap` (filer E01) plus a subsidiary E02
with two people paid in FY2024 — a woman (4,000,000) and a male manager (5,000,000) — and a
man who left in March 2023. So E02's gap is 80.0 for all and regular workers, its women
in management 0.0, and it has no part-timer and no birth: those cells print "－".
"""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from tests.packs.human_capital.conftest import build, figures
from tests.packs.human_capital.test_hc_wage_gap import EMPLOYEES, POSITIONS, WAGES

from mieruka.cli.main import cli
from mieruka.core.project import Project
from mieruka.packs.human_capital.disclosure import STATUTORY, build_disclosure
from mieruka.packs.human_capital.disclosure_doc import disclosure_document
from mieruka.packs.human_capital.documents import render_html, write

FILES = {
    "employees": EMPLOYEES
    + "S1,F,1990-01-01,2022-04-01,,\n"
    + "S2,M,1995-01-01,2021-04-01,2023-03-31,voluntary\n"
    + "S3,M,1975-01-01,2012-04-01,,\n",
    "positions": POSITIONS
    + "S1,2022-04-01,,E02,管理部,G2,regular,×,×,\n"
    + "S2,2021-04-01,2023-03-31,E02,管理部,G1,regular,×,×,\n"
    + "S3,2012-04-01,,E02,管理部,M1,regular,○,×,\n",
    "wages": WAGES + "S1,2024,4000000,0,0\nS3,2024,5000000,0,0\n",
}
FTE_NOTE = "週所定労働時間 ÷ 40時間"
HEADCOUNT_NOTE = "人員数: 当該年度に賃金の支払がある者の数。"


@pytest.fixture
def workspaces(tmp_path: Path):
    """make(**options): a fresh workspace of FILES with FY2024 run, filer E01."""
    projects: list[Project] = []

    def make(**options: object) -> Project:
        folder = tmp_path / f"ws{len(projects)}"
        folder.mkdir()
        project = build(folder, FILES, {"filer_entity": "E01", **options})
        projects.append(project)
        figures(project, 2024)
        return project

    yield make
    for project in projects:
        project.close()


def invoke(project, *args: str):
    result = CliRunner().invoke(cli, ["-C", str(project.ws.root), "hc", *args])
    assert result.exit_code == 0, result.output
    return result


def sheet_rows(path: Path) -> list[list[object]]:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def pdf_text(path: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext (poppler-utils) is not installed: run scripts/setup", pytrace=False)
    return subprocess.run(
        [tool, "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_workbook_holds_the_runs_figures_as_numbers_filer_first(workspaces, tmp_path):
    project = workspaces()
    path = tmp_path / "disclosure.xlsx"
    invoke(project, "disclosure", "--fy", "2024", "--format", "xlsx", "--out", str(path))
    rows = sheet_rows(path)
    table = build_disclosure(project, 2024)
    by_name = {r[0]: r for r in rows if r[0] in ("E01", "E02")}
    names = [r[0] for r in rows if r[0] in ("E01", "E02")]
    assert names == ["E01", "E02"]  # ① 提出会社 above ② 連結子会社
    for entity in table.entities:
        cells = by_name[entity["entity"]][1:7]
        for indicator, cell in zip(STATUTORY, cells, strict=True):
            figure = entity["figures"][indicator]
            if figure is None:
                assert cell == "－", (entity["entity"], indicator)
            else:
                assert isinstance(cell, int | float), (entity["entity"], indicator)
                assert Decimal(str(cell)) == Decimal(figure), (entity["entity"], indicator)
    e02 = by_name["E02"]
    assert e02[1] == 0 and e02[4] == 80 and e02[5] == 80 and e02[6] == "－"
    assert by_name["E01"][4] == pytest.approx(68.1) and by_name["E01"][6] == 76
    text = "\n".join(str(c) for r in rows for c in r if isinstance(c, str))
    assert "① 提出会社" in text and "② 連結子会社" in text
    assert HEADCOUNT_NOTE in text and FTE_NOTE not in text
    assert "性別を男女いずれとも申告していない者1名" in text


@pytest.fixture(scope="module")
def by_fte(tmp_path_factory):
    """The same files run with and without FTE conversion of part-timers."""
    projects = {}
    for fte in (False, True):
        folder = tmp_path_factory.mktemp(f"fte_{fte}")
        projects[fte] = build(folder, FILES, {"filer_entity": "E01", "fte_part_time": fte})
        figures(projects[fte], 2024)
    yield projects
    for project in projects.values():
        project.close()


@pytest.mark.parametrize("fmt", ["html", "xlsx", "pdf", "json", "text"])
def test_the_fte_option_changes_the_note_and_the_figures_in_every_format(by_fte, tmp_path, fmt):
    # パート・有期 of E01: by headcount 1,140,000 / 1,500,000 = 76.0; by FTE (W2 20 h = 0.5,
    # M3 30 h = 0.75 of a 40-hour week) 2,280,000 / 2,000,000 = 114.0
    texts = {}
    for fte, project in by_fte.items():
        path = tmp_path / f"{fte}" / f"disclosure.{fmt}"
        path.parent.mkdir()
        invoke(project, "disclosure", "--fy", "2024", "--format", fmt, "--out", str(path))
        if fmt == "xlsx":  # a number cell: 76 shown as 76.0 by the format 0.0
            rows = sheet_rows(path)
            e01 = next(r for r in rows if r[0] == "E01")
            notes = "\n".join(c for r in rows for c in r if isinstance(c, str))
            texts[fte] = notes + f"\n{Decimal(str(e01[6])).quantize(Decimal('0.1'))}"
        elif fmt == "pdf":
            texts[fte] = pdf_text(path)
        else:
            texts[fte] = path.read_text(encoding="utf-8")
    assert "76.0" in texts[False] and "114.0" not in texts[False]
    assert "114.0" in texts[True] and "76.0" not in texts[True]
    assert FTE_NOTE not in texts[False].replace("\n", "").replace(" ", " ")
    flat = texts[True].replace("\n", "")
    if fmt == "pdf":  # pdftotext breaks lines and pads them: compare without spaces
        flat = flat.replace(" ", "")
        assert FTE_NOTE.replace(" ", "") in flat
    else:
        assert FTE_NOTE in flat


def test_the_headcount_method_changes_the_note(workspaces):
    default = disclosure_document(workspaces(), 2024)
    monthly = disclosure_document(workspaces(wage_headcount="month_end_average"), 2024)
    assert HEADCOUNT_NOTE in render_html(default)
    assert "各月末日の在籍者数の12か月平均" in render_html(monthly)
    assert "各月末日の在籍者数の12か月平均" not in render_html(default)


def test_the_english_edition_has_english_labels_and_notes(workspaces):
    project = workspaces(fte_part_time=True)
    doc = disclosure_document(project, 2024, "en")
    page = render_html(doc)
    assert "Women in management (%)" in page and "(1) Filing company" in page
    assert "converted to full-time equivalents" in page and "÷ 40 hours" in page
    assert "1 worker(s) who declared neither gender" in page
    assert "管理職に占める" not in page
    payload = json.loads(invoke(project, "disclosure", "--fy", "2024", "--format", "json",
                                "--lang", "en").output)  # fmt: skip
    assert payload["notes"]["hc.wage_gap_non_regular"].startswith("Method:")
    assert payload["entities"][0]["figures"]["hc.wage_gap_non_regular"] == "114.0"


def test_the_pdf_is_printed_with_a_japanese_font_and_the_figures(workspaces, tmp_path):
    project = workspaces()
    path = write(disclosure_document(project, 2024), "pdf", tmp_path / "d.pdf")
    text = pdf_text(path).replace(" ", "")
    assert "管理職に占める女性労働者の割合" in text and "連結子会社" in text
    assert "68.1" in text and "80.0" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "CJK" in fonts  # Noto Sans CJK embedded: no tofu


def test_html_and_xlsx_go_to_the_workspace_reports_folder_by_default(workspaces):
    project = workspaces()
    result = invoke(project, "disclosure", "--fy", "2024", "--format", "html")
    path = project.ws.root / "reports" / "hc_disclosure_FY2024.html"
    assert f"wrote {path}" in result.output
    page = path.read_text(encoding="utf-8")
    assert '<td class="n">68.1</td>' in page and '<td class="n">－</td>' in page


def test_a_missing_filer_setting_is_said_not_hidden(hc):
    project = hc(FILES)
    figures(project, 2024)
    page = render_html(disclosure_document(project, 2024))
    assert "提出会社が設定されていない" in page and "① 提出会社" not in page
