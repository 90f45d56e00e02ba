"""`mieruka funds check|value` on the demo portfolio, through click's runner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mieruka.core.project import Project
from mieruka.core.workspace import init_workspace
from mieruka.packs.funds.cli import funds_cli
from mieruka.packs.funds.demo import demo


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    ws = init_workspace(tmp_path_factory.mktemp("fd-cli") / "ws", organisation="見本県")
    project = Project(ws)
    demo(project, "small")
    project.close()
    return ws.root


def test_check_lists_each_planted_breach_with_its_section_and_action(workspace):
    result = CliRunner().invoke(
        funds_cli, ["check", "--fy", "2025", "--json"], obj={"workspace": workspace}
    )
    assert result.exit_code == 1, result.output  # errors were found
    data = json.loads(result.output)
    rules = {v["rule"] for v in data["violations"]}
    assert {
        "funds.deposit_per_bank",
        "funds.money_kind",
        "funds.corporate_rating",
        "funds.trust",
        "funds.legacy_plan",
        "funds.fx_need",
        "funds.committee",
        "funds.competitive_quotes",
        "funds.short_term_sale",
        "funds.sale_rationale",
        "funds.downgrade_keep",
        "funds.downgrade_review",
        "funds.downgrade_sell",
    } <= rules
    sell = next(v for v in data["violations"] if v["rule"] == "funds.downgrade_sell")
    assert "第2章第3-2③" in sell["label"] and "年間資金計画" in sell["action"]
    assert sell["key"] == {"holding_id": "DG-SELL"} and sell["figures"]["ratings_now"] == "R&I:BB"
    assert data["skipped"] == {}


def test_in_fy2024_the_steel_bond_was_only_below_the_level_with_bbb_left(workspace):
    result = CliRunner().invoke(
        funds_cli, ["check", "--as-of", "R7.3.31", "--json"], obj={"workspace": workspace}
    )
    keys = {
        (v["rule"], v["key"].get("holding_id")) for v in json.loads(result.output)["violations"]
    }
    assert ("funds.downgrade_review", "DG-SELL") in keys and (
        "funds.downgrade_sell",
        "DG-SELL",
    ) not in keys


def test_value_prints_every_holding_and_the_total(workspace):
    result = CliRunner().invoke(
        funds_cli, ["value", "--as-of", "2026-03-31"], obj={"workspace": workspace}
    )
    assert result.exit_code == 0, result.output
    assert "total present value" in result.output and "H00001" in result.output
    data = json.loads(
        CliRunner()
        .invoke(funds_cli, ["value", "--fy", "2025", "--json"], obj={"workspace": workspace})
        .output
    )
    jgbs = [h for h in data["holdings"] if h["marketable"]]
    assert jgbs and all(h["shock_200"] < h["shock_100"] < h["shock_50"] < 0 for h in jgbs)


def test_the_quarterly_report_of_an_affiliate_as_of_1_july(workspace, tmp_path):
    args = ["report", "ZAI", "--as-of", "2025-07-01"]
    data = json.loads(CliRunner().invoke(funds_cli, args, obj={"workspace": workspace}).output)
    assert data["entity"]["kind"] == "affiliate" and data["is_reporting_date"]
    assert data["totals"]["pv"] > data["totals"]["bpv"] * -1 > 0
    assert sum(s["book"] for s in data["ladder"]) == data["totals"]["book"]
    assert {f["rule"] for f in data["findings"]} >= {"funds.committee", "funds.money_kind"}
    out = tmp_path / "zai.html"
    result = CliRunner().invoke(
        funds_cli, [*args, "--format", "html", "--out", str(out)], obj={"workspace": workspace}
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "資金運用状況報告" in page and "見本県文化振興財団" in page and "指摘事項と対応" in page


def test_the_prefecture_does_not_report_on_1_july(workspace):
    result = CliRunner().invoke(
        funds_cli, ["report", "PREF", "--as-of", "2025-07-01"], obj={"workspace": workspace}
    )
    assert json.loads(result.stdout)["is_reporting_date"] is False


def _report(workspace, tmp_path, fmt, entity="ZAI", day="2025-10-01"):
    out = tmp_path / f"{entity}.{fmt}"
    result = CliRunner().invoke(
        funds_cli,
        ["report", entity, "--as-of", day, "--format", fmt, "--out", str(out)],
        obj={"workspace": workspace},
    )
    assert result.exit_code == 0, result.output
    return out


def test_the_quarterly_report_lists_committee_items_with_their_progress(workspace):
    result = CliRunner().invoke(
        funds_cli, ["report", "ZAI", "--as-of", "R7.10.1"], obj={"workspace": workspace}
    )
    data = json.loads(result.stdout)
    items = {a["holding_id"]: (a["kind"], a["status"]) for a in data["actions"]}
    assert items == {"P-LEGACY": ("legacy_plan", "open"), "DG-SELL": ("downgrade_sell", "decided")}
    assert data["as_of_wareki"] == "令和7年10月1日"
    assert sum(c["book"] for c in data["concentration"]) <= data["totals"]["book"]
    assert data["concentration"][0]["share"] >= data["concentration"][-1]["share"]
    assert 0 < data["totals"]["duration"] < 20


def test_the_quarterly_report_as_a_workbook_in_thousands_of_yen(workspace, tmp_path):
    from openpyxl import load_workbook

    from mieruka.japan.yen import truncate_to_unit

    data = json.loads(
        CliRunner()
        .invoke(funds_cli, ["report", "ZAI", "--as-of", "2025-10-01"], obj={"workspace": workspace})
        .stdout
    )
    book = load_workbook(_report(workspace, tmp_path, "xlsx"))
    assert book.sheetnames == ["概要", "保有明細", "指摘事項", "委員会付議事項"]
    summary = book["概要"]
    cells = {summary.cell(r, 1).value: summary.cell(r, 2) for r in range(1, 20)}
    assert cells["帳簿価額"].value == truncate_to_unit(data["totals"]["book"], 1000)
    assert cells["評価損益"].value == truncate_to_unit(data["totals"]["unrealised"], 1000)
    assert cells["金利 +100bp 時の損益"].value < 0
    assert '"△"' in cells["金利 +100bp 時の損益"].number_format
    actions = [[c.value for c in row] for row in book["委員会付議事項"].iter_rows(min_row=2)]
    assert actions[1][:2] == ["DG-SELL", "格下げ（BB格以下）"] and actions[1][3] == "決定・対応中"
    assert len(list(book["保有明細"].iter_rows(min_row=3))) == len(data["holdings"])


def test_the_quarterly_report_as_html_and_pdf_with_charts(workspace, tmp_path):
    import subprocess

    from mieruka.render.pdf import pdf_to_png

    page = _report(workspace, tmp_path, "html").read_text(encoding="utf-8")
    assert page.count("<svg") == 3 and "上限 10%" in page
    assert "資金管理委員会への付議事項" in page and "R7.8.29" in page  # DG-SELL decided
    pdf = _report(workspace, tmp_path, "pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert len(pdf_to_png(pdf, tmp_path / "page", dpi=30)) >= 2
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "資金運用状況報告" in text and "残存期間別" in text and "△" in text


def test_the_demo_fund_plan_raises_the_planted_revision_alerts(workspace, tmp_path):
    result = CliRunner().invoke(
        funds_cli, ["plan", "--fy", "2025", "--json"], obj={"workspace": workspace}
    )
    assert result.exit_code == 1
    alerts = {
        p["entity"]["entity_id"]: [a["kind"] for a in p["alerts"]]
        for p in json.loads(result.stdout)["plans"]
    }
    assert alerts == {"PREF": [], "ZAI": ["downgrade_bb"], "KOSHA": ["funds_change"]}
    out = tmp_path / "plan.pdf"
    CliRunner().invoke(
        funds_cli,
        ["plan", "--fy", "2025", "--format", "pdf", "--out", str(out)],
        obj={"workspace": workspace},
    )
    assert out.read_bytes()[:5] == b"%PDF-"
