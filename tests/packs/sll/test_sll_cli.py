"""`mieruka sll …` on the demo book and on a small workspace: what a desk and a borrower see."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console
from tests.packs.sll.test_sll_data import registered, sll_project

from mieruka.core.project import Project
from mieruka.packs.sll.cli import sll


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from mieruka.demo.build import build_demo

    root = tmp_path_factory.mktemp("sll-demo") / "demo"
    with registered():
        project = build_demo(root, size="small", console=Console(quiet=True))
        project.close()
        yield root


def run(ws: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(sll, list(args), obj={"workspace": ws})
    return result.exit_code, result.output


def test_the_demo_portfolio_lists_every_loan_with_its_margin_impact(demo_ws):
    code, output = run(demo_ws, "portfolio", "--as-of", "2025-09-30", "--json")
    assert code == 0, output
    lines = {x["loan_id"]: x for x in json.loads(output)["loans"]}
    assert sorted(lines) == ["SLL-001", "SLL-002", "SLL-003"]
    seed = lines["SLL-001"]
    # FY2024: stress check, analysis, paid leave met (-15), check-ups 92.3 % < 100 % (+5)
    assert seed["margin_bp_now"] == "-10.00" and seed["missed"] == ["FY2024 checkup_45"]
    assert seed["next_judgment"] == "2026-07-31"
    # SLL-003: FY2024 late (food waste) and unverified (renewables): not reported
    assert lines["SLL-003"]["not_reported"] == ["FY2024 food_waste", "FY2024 renewable"]
    assert lines["SLL-003"]["outstanding"] == 50_000_000 - 3 * 5_000_000


def test_an_indicator_fed_kpi_carries_the_runs_evidence(demo_ws):
    code, output = run(demo_ws, "status", "SLL-002", "--as-of", "2025-09-30", "--json")
    assert code == 0, output
    spts = json.loads(output)["loans"][0]["spts"]
    women = next(s for s in spts if s["kpi_id"] == "women_managers" and s["fiscal_year"] == 2024)
    evidence = women["indicator_evidence"]
    project = Project.open(demo_ws)
    try:
        run_record = project.store.run(evidence["run"])
        figure = next(
            v
            for v in project.store.values(run_record.id)
            if v["indicator"] == "org.female_manager_share" and not v["dims"]
        )
    finally:
        project.close()
    assert run_record.fiscal_year == 2024 and evidence["run_hash"] == run_record.run_hash
    assert women["value"] == str(figure["value"]) and evidence["rows"] == figure["rows"]
    assert evidence["open_rows"] == f"mieruka evidence {run_record.id} org.female_manager_share"
    assert women["status"] in ("achieved", "missed")


def test_schedule_what_if_shows_the_saving_of_meeting_a_future_spt(demo_ws):
    base = json.loads(run(demo_ws, "schedule", "SLL-001", "--as-of", "2025-09-30", "--json")[1])
    code, output = run(
        demo_ws, "schedule", "SLL-001", "--as-of", "2025-09-30", "--json",
        "--assume", "stress_check:2025=done", "--assume", "group_analysis:2025=done",
        "--assume", "checkup_45:2025=100", "--assume", "paid_leave:2025=71",
    )  # fmt: skip
    assert code == 0, output
    what_if = json.loads(output)
    # FY2025 all met: -20 bp instead of 0 from 2026-07-31 to 2027-07-31 (365 days) on the
    # outstanding 100,000,000 (bullet): 100,000,000 x 0.20 % = 200,000 more saved
    assert what_if["totals"]["difference"] - base["totals"]["difference"] == -200_000


def test_text_output_and_errors(demo_ws):
    code, output = run(demo_ws, "schedule", "SLL-001", "--as-of", "2025-09-30")
    assert code == 0 and "SLL effect" in output
    code, output = run(demo_ws, "schedule", "SLL-01")
    assert code == 1
    code, output = run(demo_ws, "schedule", "SLL-001", "--assume", "paid_leave=70")
    assert code == 2 and "KPI:FY=VALUE" in output


def test_status_exits_1_when_a_cross_file_rule_fails(tmp_path):
    with registered():
        spts = "loan_id,kpi_id,fiscal_year,target\nL1,co2,2024,10\n"
        project = sll_project(tmp_path, spts=spts)
        project.close()
        code, output = run(tmp_path / "ws", "status", "--as-of", "2025-09-30")
    assert code == 1 and "sll.spt_without_kpi" in output


def test_the_annual_report_of_an_indicator_fed_loan_carries_the_runs_evidence(demo_ws):
    code, output = run(demo_ws, "report", "SLL-002", "--fy", "2024", "--format", "json",
                       "--as-of", "2025-09-30")  # fmt: skip
    assert code == 0, output
    report = json.loads(output)
    women = next(k for k in report["kpis"] if k["kpi_id"] == "women_managers")
    evidence = women["indicator_evidence"]
    project = Project.open(demo_ws)
    try:
        run_record = project.store.run(evidence["run"])
        by_dept = [
            v
            for v in project.store.values(run_record.id)
            if v["indicator"] == "org.female_manager_share" and v["dims"]
        ]
        method = project.specs.indicators["org.female_manager_share"].method
    finally:
        project.close()
    assert evidence["run_hash"] == run_record.run_hash and run_record.fiscal_year == 2024
    # the drivers are the figure's breakdown in the same run, row for row
    assert len(women["breakdown"]) == len([v for v in by_dept if v["value"] is not None]) > 1
    assert method is not None and method.ja and method.ja in women["method"]
    assert women["verification"]["verified"] is True


def test_report_and_sllp_files_are_written_in_each_format(demo_ws, tmp_path):
    for fmt in ("html", "xlsx", "pdf"):
        out = tmp_path / f"r.{fmt}"
        code, output = run(demo_ws, "report", "SLL-001", "--fy", "2024", "--format", fmt,
                           "--lang", "en", "--as-of", "2025-09-30", "--out", str(out))  # fmt: skip
        assert code == 0 and out.stat().st_size > 1_000, output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "annual report" in html and "-¥100,000" in html  # FY2024: -10 bp for a year on 100M
    code, output = run(demo_ws, "sllp", "SLL-001", "--as-of", "2025-09-30")
    assert code == 0 and (demo_ws / "reports" / "sllp-SLL-001-ja.xlsx").exists(), output
    code, output = run(demo_ws, "report", "SLL-001", "--fy", "2031")
    assert code == 1 and "no SPT for FY2031" in output
