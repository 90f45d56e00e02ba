"""ISO 30414, KPI progress and LTV documents, on the workspace of `test_hc_documents`.

Who is there on 2024-03-31 (FY2023): W1, W2, P1, M1, M2, M3, X1, S1, S3 — nine people (S2
left on 2023-03-31); on 2025-03-31 (FY2024) eight (M2 retired on 2024-09-30). The only
manager left at the end of FY2024 is S3, a man: women in management 0.0.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from tests.packs.human_capital.conftest import build, figures
from tests.packs.human_capital.test_hc_documents import FILES, invoke

from mieruka.cli.main import cli
from mieruka.core.project import Project
from mieruka.packs.human_capital.documents import render_html
from mieruka.packs.human_capital.iso30414_doc import iso_document
from mieruka.packs.human_capital.ltv_doc import ltv_document
from mieruka.packs.human_capital.progress import kpi_progress
from mieruka.packs.human_capital.progress_doc import progress_document
from mieruka.packs.human_capital.retention import cohort_curves

TARGETS = """\
targets:
  - {indicator: hc.headcount, from_fy: 2023, comparator: ">=", value: 9}
  - {indicator: hc.female_manager_share, fy: 2024, comparator: ">=", value: 30}
  - {indicator: hc.wage_gap_all, fy: 2024, comparator: ">=", value: 80, dims: {entity: E02}}
  - {indicator: hc.training_hours_per_employee, fy: 2024, comparator: ">=", value: 10}
"""
CONTRIBUTION = """\
employee_id,fiscal_year,value_added
W1,2024,"8,000,000"
M1,2024,"9,000,000"
S1,2024,"6,000,000"
S3,2024,"7,000,000"
"""


@pytest.fixture
def workspace(tmp_path: Path):
    projects: list[Project] = []

    def make(files: dict[str, str], options: dict | None = None, years=(2024,)) -> Project:
        folder = tmp_path / f"ws{len(projects)}"
        folder.mkdir()
        project = build(folder, files, {"filer_entity": "E01", **(options or {})})
        (project.ws.specs_dir / "hc_targets.yaml").write_text(TARGETS, encoding="utf-8")
        projects.append(project)
        for fy in years:
            figures(project, fy)
        return project

    yield make
    for project in projects:
        project.close()


def test_iso_metrics_without_data_say_so_in_every_language_and_in_the_workbook(workspace, tmp_path):
    project = workspace(FILES)
    page = render_html(iso_document(project, 2024, "ja"))
    assert '<td>労働災害の件数</td><td class="no_data">データなし</td>' in page
    assert "no data" in render_html(iso_document(project, 2024, "en"))
    path = tmp_path / "iso.xlsx"
    invoke(project, "iso30414", "--fy", "2024", "--format", "xlsx", "--out", str(path))
    rows = {r[1]: r for r in openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True)}
    assert rows["従業員数"][2] == 8  # a number, the run's headcount
    assert rows["労働力の多様性（女性の人数）"][2] == 4  # W1, W2, P1, S1
    assert rows["労働災害の件数"][2] == "データなし"  # text, never a zero
    assert rows["研修・能力開発の総費用"][2] == "データなし"  # no training file


def test_kpi_progress_shows_each_targeted_figure_per_year_with_the_runs_status(workspace):
    project = workspace(FILES, years=(2023, 2024))
    data = kpi_progress(project, 2024)
    found = {
        (row["indicator"], tuple(row["dims"].items())): {
            y["fiscal_year"]: (y["value"], y["status"]) for y in row["years"]
        }
        for row in data["rows"]
    }
    assert found[("hc.headcount", ())] == {
        2023: (Decimal(9), "met"),  # 9 ≥ 9
        2024: (Decimal(8), "missed"),  # M2 retired
    }
    assert found[("hc.female_manager_share", ())] == {
        2023: (Decimal("0.0"), "no_target"),  # no target that year: figure shown, not judged
        2024: (Decimal("0.0"), "missed"),
    }
    assert found[("hc.wage_gap_all", (("entity", "E02"),))][2024] == (Decimal("80.0"), "met")
    assert found[("hc.training_hours_per_employee", ())][2024] == (None, "no_data")
    assert ("hc.turnover", ()) not in found  # no target: not a KPI of this report
    assert data["summary"] == {"met": 1, "missed": 2, "no_data": 1}


def test_the_progress_report_in_html_and_xlsx(workspace, tmp_path):
    project = workspace(FILES, years=(2023, 2024))
    page = render_html(progress_document(project, 2024, "ja"))
    assert '<td class="missed">未達</td>' in page and '<td class="met">達成</td>' in page
    assert "以上" in page and "<svg" in page  # the headcount trend over two years
    path = tmp_path / "progress.xlsx"
    invoke(project, "progress", "--fy", "2024", "--format", "xlsx", "--out", str(path))
    rows = list(openpyxl.load_workbook(path)["KPI"].iter_rows(values_only=True))
    gap = next(i for i, r in enumerate(rows) if r[1] == "entity: E02")
    assert rows[gap + 1][3:7] == (80, "以上", 80, "達成")  # FY2024 row under the label row
    english = invoke(project, "progress", "--fy", "2024", "--lang", "en").output
    assert "Status: missed" in english and "met 1, missed 2, no data 1" in english


def test_progress_without_hc_targets_says_how_to_add_them(workspace):
    project = workspace(FILES)
    (project.ws.specs_dir / "hc_targets.yaml").unlink()
    fresh = Project.open(project.ws.root)
    try:
        figures(fresh, 2024)
        page = render_html(progress_document(fresh, 2024, "ja"))
    finally:
        fresh.close()
    assert "目標が設定された人的資本指標（hc.）はない" in page


def test_hire_cohort_retention_is_kaplan_meier_with_leavers_as_events(workspace):
    # Hired FY2020–2024: P1 (2020, still here, 5.0 years), S2 (2021, left after 2.0 years),
    # S1 (2022, still here, 3.0 years). Year 1: 3 at risk, none left -> 100. Year 2: S2
    # leaves with 3 at risk -> 2/3 = 66.7. No one else leaves; the curve stops after year 5,
    # the longest tenure observed in the cohort.
    project = workspace({**FILES, "contribution": CONTRIBUTION})
    run = project.store.runs()[-1]
    curves = {c.group: c for c in cohort_curves(project, run, "ja")}
    recent = curves["2020–2024年度入社"]
    assert (recent.people, recent.leavers) == (3, 1)
    assert recent.survival == [
        Decimal(x) for x in ("100.0", "100.0", "66.7", "66.7", "66.7", "66.7")
    ]
    assert curves["2015–2019年度入社"].people == 3  # W2, M3, X1
    assert curves["2004年度以前入社"].survival[-1] == Decimal("100.0")  # M2 left after 37 years


def test_the_ltv_document_prints_its_assumptions_and_draws_the_curves(workspace, tmp_path):
    project = workspace({**FILES, "contribution": CONTRIBUTION}, {"ltv_discount_rate": 0.03})
    doc = ltv_document(project, 2024, "ja")
    page = render_html(doc)
    assert "割引率: 年3%" in page
    assert page.count("<svg") == 2  # by department and by hire cohort
    departments = [c["group"] for c in doc.payload["retention"]["department"]]
    assert departments == ["営業部", "管理部", "開発部"]
    assert page.count('stroke-width="1.8"') == 3 + 5  # one line per department and cohort
    path = tmp_path / "ltv.pdf"
    invoke(project, "ltv", "--fy", "2024", "--format", "pdf", "--out", str(path))
    assert path.read_bytes().startswith(b"%PDF")
    english = render_html(ltv_document(project, 2024, "en"))
    assert "Discount rate: 3% a year" in english


def test_every_document_of_a_year_without_a_run_is_an_error_that_says_what_to_do(workspace):
    project = workspace(FILES)
    for command in ("disclosure", "iso30414", "progress", "ltv"):
        result = CliRunner().invoke(
            cli, ["-C", str(project.ws.root), "hc", command, "--fy", "2030", "--format", "xlsx"]
        )
        assert result.exit_code == 1, command
        assert "mieruka run --fy 2030" in result.output, command
    assert not (project.ws.root / "reports").exists()  # nothing half-written
