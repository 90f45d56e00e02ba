"""The demo company: every planted anomaly is found, and nothing else by that test."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from tests.conftest import make_project

from mieruka.core import registry
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.runs import start_run
from mieruka.packs.icfr import pack
from mieruka.packs.icfr.demo import FYS, materiality
from mieruka.packs.icfr.demo_ledger import ledger_rows
from mieruka.packs.icfr.jetests import TESTS


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, dict, float]]:
    registry.register(pack)
    started = time.perf_counter()
    project = make_project(tmp_path_factory.mktemp("demo") / "ws", {}, packs=["icfr"])
    pack.demo(project, "small")
    runs = {fy: start_run(project, Period.for_fiscal_year(fy)).id for fy in (2024, 2025)}
    yield project, runs, time.perf_counter() - started
    project.close()
    registry.unregister("icfr")


def test_small_demo_builds_and_runs_well_within_a_minute(demo_runs):
    project, _, seconds = demo_runs
    assert seconds < 45, seconds
    lines = project.store.latest_snapshots()["journal_entries"].rows
    assert 20_000 <= lines <= 60_000


@pytest.mark.parametrize("test", [t.name for t in TESTS])
def test_each_planted_anomaly_is_found_and_nothing_else(demo_runs, test):
    project, runs, _ = demo_runs
    _, planted = ledger_rows(20250401, FYS, 4_000, materiality(FYS[-1]))
    found = {v["key"]["entry_id"] for v in project.store.violations(runs[2025], f"icfr.je_{test}")}
    assert found == set(planted[test])


def test_benford_sees_the_invented_claims_of_fy2024_only(demo_runs):
    project, runs, _ = demo_runs

    def band(run_id: int, indicator: str) -> float:
        rows = [v for v in project.store.values(run_id) if v["indicator"] == indicator]
        return float(next(v["value"] for v in rows if v["dims"] == {"measure": "conformity_band"}))

    assert band(runs[2025], "icfr.je_benford_first") <= 2  # close or acceptable
    assert band(runs[2024], "icfr.je_benford_first") >= 3  # marginal or nonconformity


def test_the_demo_deficiencies_include_one_material_weakness_and_one_remediated(demo_runs):
    project, runs, _ = demo_runs
    counts = {v["dims"].get("classification"): v["value"] for v in project.store.values(runs[2025])
              if v["indicator"] == "icfr.deficiencies"}  # fmt: skip
    assert counts == {None: 5, "開示すべき重要な不備": 2, "不備": 2,
                      "報告対象外（評価時点までに是正）": 1}  # fmt: skip


def test_the_demo_scope_reaches_two_thirds_and_adds_the_thai_subsidiary(demo_runs):
    project, runs, _ = demo_runs
    shares = {v["dims"].get("location_id"): float(v["value"]) for v in project.store.values(runs[2025])
              if v["indicator"] == "icfr.scope_coverage"}  # fmt: skip
    assert shares == {None: 76.5, "HQ": 52.9, "OS": 20.6, "SUB2": 2.9}


def test_the_benford_command_draws_a_chart_of_the_year(demo_runs, tmp_path):
    import xml.etree.ElementTree as ET

    from click.testing import CliRunner

    from mieruka.packs.icfr.cli import icfr

    project, _, _ = demo_runs
    out = tmp_path / "b.svg"
    args = ["benford", "--fy", "2024", "--out", str(out), "--workspace", str(project.ws.root)]
    result = CliRunner().invoke(icfr, args)
    assert result.exit_code == 0, result.output
    assert "(nonconformity)" in result.output
    svg = ET.fromstring(out.read_text(encoding="utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    assert len(svg.findall(f"{ns}rect")) == 9 and svg.find(f"{ns}polyline") is not None
    two = CliRunner().invoke(icfr, [*args, "--digits", "2"])
    assert two.exit_code == 0 and len(ET.parse(out).getroot().findall(f"{ns}rect")) == 90


def test_the_working_papers_hold_scope_rcm_tests_and_deficiencies(demo_runs, tmp_path):
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from mieruka.packs.icfr.cli import icfr

    project, _, _ = demo_runs
    out = tmp_path / "wp.xlsx"
    args = ["workpapers", "--fy", "2025", "--out", str(out), "--workspace", str(project.ws.root)]
    result = CliRunner().invoke(icfr, args)
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["評価範囲", "重要な勘定科目", "評価対象プロセス", "変更記録",
                               "全社統制", "RCM", "運用評価", "不備"]  # fmt: skip
    keys = {r[0]: r for r in book["重要な勘定科目"].iter_rows(min_row=2, values_only=True)}
    assert set(keys) == {"1130", "1140", "2110", "4100"} and keys["2110"][2] == "個別に追加"
    procs = [r[0] for r in book["評価対象プロセス"].iter_rows(min_row=2, values_only=True)]
    assert procs == ["P01", "P02", "P03", "P04", "P05", "P06"]
    changes = [r[:2] for r in book["変更記録"].iter_rows(min_row=2, values_only=True)]
    assert changes == [("拠点の追加", "SUB2"), ("重要な勘定科目の追加", "2110")]
    elc = [r for r in book["全社統制"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(elc) == 42 + 1 and [r[0] for r in elc if r[3] == "不備あり"] == ["IC05"]
    scope = {r[0]: r for r in book["評価範囲"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert scope["SUB2"][5] == "○" and "不正リスク" in scope["SUB2"][6] and scope["FK"][5] is None
    rcm = {r[0]: r for r in book["RCM"].iter_rows(min_row=2, values_only=True)}
    assert (rcm["C01"][10], rcm["C07"][10], rcm["C06"][10]) == (25, 1, 5)
    assert all(r[11] == "○" for r in rcm.values())  # every demo process is in scope
    tests = [r for r in book["運用評価"].iter_rows(min_row=2, values_only=True)]
    c02 = next(r for r in tests if r[0] == "C02")
    assert c02[6] == 2 and "有効と判断できない" in c02[9] and isinstance(c02[7], float)
    defs = {r[0]: r for r in book["不備"].iter_rows(min_row=2, values_only=True) if r[0] in
            ("D01", "D03")}  # fmt: skip
    assert defs["D01"][1] == "開示すべき重要な不備" and "重要性の基準値" in defs["D01"][4]
    assert defs["D03"][1].startswith("報告対象外")


def test_the_draft_report_states_scope_and_the_material_weakness(demo_runs, tmp_path):
    from click.testing import CliRunner

    from mieruka.packs.icfr.cli import icfr

    project, _, _ = demo_runs
    out = tmp_path / "report.html"
    args = ["report", "--fy", "2025", "--out", str(out), "--workspace", str(project.ws.root)]
    result = CliRunner().invoke(icfr, args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "令和8年3月31日現在の当社の財務報告に係る内部統制は、下記の開示すべき重要な不備" in html
    assert "D01" in html and "D02" in html and "D03" not in html  # remediated in time
    assert "売上高を指標とし" in html and "到達割合 73.5%" in html and "SUB2" in html


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_the_draft_report_prints_to_pdf_and_word_with_the_same_content(demo_runs, tmp_path,
                                                                        suffix):  # fmt: skip
    import subprocess

    from click.testing import CliRunner

    from mieruka.packs.icfr.cli import icfr

    project, _, _ = demo_runs
    out = tmp_path / f"report{suffix}"
    args = ["report", "--fy", "2025", "--out", str(out), "--workspace", str(project.ws.root)]
    result = CliRunner().invoke(icfr, args)
    assert result.exit_code == 0, result.output
    if suffix == ".pdf":
        text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        text = "".join(text.split())
    else:
        from docx import Document

        doc = Document(str(out))
        text = "".join("".join(p.text.split()) for p in doc.paragraphs)
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        assert "IC05" in cells and "買掛金" in cells and len(doc.tables) == 6
    assert "内部統制報告書" in text and "開示すべき重要な不備" in text
    assert "到達割合73.5%" in text and "42項目のうち1項目に不備（IC05）" in text
    assert "売上高、売掛金、棚卸資産に至る業務プロセス" in text
