"""Reports for people: the HTML file and the Excel workbook of a run.

The workspace is small enough to check by hand. FY2024 books five entries:

    E1 営業  500,000   E2 開発 -1,734,567   E3 営業 100,000   E4 開発 -100,000   E5 管理 0

so the balance is -1,234,567 円, printed △1,234 in 千円 (truncated toward zero); two of five
entries are negative: 40.0 %, which misses the target of 30 % or less, while 営業 alone
(0 of 2) meets its own. FY2023 books three entries (balance 500,000, one negative: 33.3 %),
so the report of FY2024 draws a two-year trend.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from mieruka.report.labels import Shape, target_text
from mieruka.report.xlsx import number_format, sheet_name

DATASETS = """
datasets:
  - id: ledger
    label: {ja: 仕訳, en: Ledger}
    key: entry_id
    columns:
      - {name: entry_id, type: string, required: true}
      - {name: dept, type: string, required: true}
      - {name: booked_on, type: date, required: true}
      - {name: amount, type: yen, required: true}
"""

SPECS = """
indicators:
  - id: r.balance
    label: {ja: 収支差額, en: Net balance}
    unit: yen
    aggregate: sum
    by: [dept]
    rounding: {digits: 0, mode: truncate}
    method: {ja: 年度中の仕訳金額の合計, en: Sum of the year's entries}
    formula: |
      SELECT entry_id AS key, dept, amount AS value FROM ledger
      WHERE booked_on BETWEEN :fy_start AND :fy_end
  - id: r.loss_share
    label: {ja: 赤字仕訳比率, en: Share of negative entries}
    unit: percent
    aggregate: ratio
    by: [dept]
    rounding: {digits: 1, mode: half_up}
    method: {ja: 金額が負の仕訳の件数割合, en: Share of entries with a negative amount}
    formula: |
      SELECT entry_id AS key, dept, amount < 0 AS numerator, TRUE AS denominator FROM ledger
      WHERE booked_on BETWEEN :fy_start AND :fy_end
  - id: r.entries
    label: {ja: 仕訳件数, en: Entries}
    unit: count
    aggregate: count
    rounding: {digits: 0}
    formula: |
      SELECT entry_id AS key FROM ledger WHERE booked_on BETWEEN :fy_start AND :fy_end
targets:
  - {indicator: r.loss_share, from_fy: 2023, comparator: "<=", value: 30}
  - {indicator: r.loss_share, from_fy: 2023, comparator: "<=", value: 30, dims: {dept: 営業}}
  - {indicator: r.entries, fy: 2024, comparator: ">=", value: 3}
rules:
  - id: r.negative_entry
    label: {ja: 負の金額の仕訳, en: Entry with a negative amount}
    severity: warning
    action: {ja: 取消仕訳の承認記録を確認する, en: Check the approval of the reversal}
    key: [entry_id]
    formula: |
      SELECT entry_id, dept, amount FROM ledger
      WHERE booked_on BETWEEN :fy_start AND :fy_end AND amount < 0
"""

LEDGER = """\
entry_id,dept,booked_on,amount
E6,営業,2023-05-01,300000
E7,開発,2023-06-01,-50000
E8,管理,2023-07-01,250000
E1,営業,2024-05-01,"500,000"
E2,開発,2024-06-01,-1734567
E3,営業,2024-07-01,100000
E4,開発,2024-08-01,-100000
E5,管理,2024-09-01,0
"""


@pytest.fixture
def project(tmp_path: Path) -> Iterator[object]:
    from mieruka.core.datasets import load
    from mieruka.core.period import Period
    from mieruka.core.project import Project
    from mieruka.core.runs import start_run
    from mieruka.core.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws", organisation="見える化テスト株式会社")
    (ws.specs_dir / "datasets.yaml").write_text(textwrap.dedent(DATASETS), encoding="utf-8")
    (ws.specs_dir / "kpis.yaml").write_text(textwrap.dedent(SPECS), encoding="utf-8")
    source = tmp_path / "ledger.csv"
    source.write_text(LEDGER, encoding="utf-8")
    project = Project(ws)
    load(project, "ledger", source)
    for fy in (2023, 2024):
        start_run(project, Period.for_fiscal_year(fy))
    yield project
    project.close()


# --- formats, without a workspace ------------------------------------------------------


def test_yen_is_shown_in_thousands_truncated_toward_zero_with_a_triangle() -> None:
    yen = Shape("yen", 0, "truncate", "ja")
    assert yen.text(Decimal(-1_234_567)) == "△1,234"
    assert yen.text(Decimal(-999)) == "0"
    assert yen.text_unit(Decimal(2_500_000)) == "2,500千円"
    assert Shape("yen", 0, "truncate", "en").text(Decimal(-1_234_567)) == "-1,234"


def test_percent_keeps_the_indicators_digits() -> None:
    share = Shape("percent", 1, "half_up", "ja")
    assert share.text(Decimal(40)) == "40.0"
    assert share.text_unit(Decimal("33.33")) == "33.3%"
    assert target_text("<=", Decimal(30), share) == "30.0%以下"
    assert target_text(">=", Decimal(18), Shape("percent", 1, "half_up", "en")) == "≥ 18.0%"
    assert Shape("people", 0, "half_up", "en").text_unit(Decimal(1200)) == "1,200 people"


def test_excel_number_formats() -> None:
    assert number_format(Shape("yen", 0, "truncate", "ja")) == '#,##0;"△"#,##0'
    assert number_format(Shape("percent", 1, "half_up", "ja")) == '0.0%;"△"0.0%'
    assert number_format(Shape("people", 0, "half_up", "en")) == "#,##0;-#,##0"


def test_sheet_names_follow_excels_rules() -> None:
    taken: set[str] = set()
    first = sheet_name("内訳_期日経過未回収率が非常に長いラベルの指標の場合_department", taken)
    second = sheet_name("内訳_期日経過未回収率が非常に長いラベルの指標の場合_department", taken)
    assert len(first) == 31 and len(second) == 31 and first != second
    assert sheet_name("a/b:c", taken) == "a_b_c"


# --- the HTML report --------------------------------------------------------------------


def test_html_report_prints_the_figures_the_japanese_way(project) -> None:
    from mieruka.report import render_html

    record = project.store.run(2)
    html = render_html(project, 2, lang="ja")
    assert "見える化テスト株式会社" in html
    assert "2024年度（令和6年度）" in html and "FY2024" in html
    assert "2025-03-31" in html and "令和7年3月31日" in html
    assert "△1,234" in html  # the balance, in 千円
    assert "△1,834" in html  # 開発: -1,734,567 - 100,000
    assert "40.0" in html and "30.0%以下" in html
    assert '<span class="badge missed">未達</span>' in html  # the total misses 30 %
    assert '<span class="badge met">達成</span>' in html  # 5 entries meet >= 3 (and 営業 0.0 %)
    assert "目標なし" in html  # the balance has no target
    assert "金額が負の仕訳の件数割合" in html  # 算出方法
    assert "取消仕訳の承認記録を確認する" in html and "負の金額の仕訳" in html
    assert record.run_hash in html and record.spec_hash in html
    for digest in record.snapshots_dict().values():
        assert digest in html
    assert "mieruka verify 2" in html


def test_html_report_is_self_contained_with_inline_charts(project) -> None:
    from mieruka.report import render_html

    html = render_html(project, 2)
    assert "<script" not in html and "<link" not in html
    assert re.findall(r"(?:src|href)=", html) == []
    assert html.count("<svg") >= 3  # bars of r.loss_share and trends
    assert "2023年度" in html and "33.3" in html  # the trend's earlier year


def test_html_report_in_english(project, tmp_path: Path) -> None:
    from mieruka.report import write_html

    path = write_html(project, 2, tmp_path / "en.html", lang="en")
    html = path.read_text(encoding="utf-8")
    assert "Share of negative entries" in html and "Net balance" in html
    assert ">missed<" in html and ">met<" in html and "≤ 30.0%" in html
    assert "FY2024" in html and "令和6年度" in html
    assert "Check the approval of the reversal" in html


def test_the_trend_uses_the_latest_run_of_each_earlier_year(project) -> None:
    from mieruka.report.model import build_report

    model = build_report(project, 2, "ja")
    trends = {t.indicator: t for t in model.trends}
    assert [(fy, text) for fy, _, text in trends["r.balance"].points] == [
        (2023, "500"),
        (2024, "△1,234"),
    ]
    assert [fy for fy, _, _ in trends["r.loss_share"].points] == [2023, 2024]
    assert build_report(project, 1, "ja").trends == []  # no year before FY2023


# --- the Excel workbook -----------------------------------------------------------------


def test_xlsx_report_holds_numbers_with_japanese_formats(project, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from mieruka.report import write_xlsx

    path = write_xlsx(project, 2, tmp_path / "run2.xlsx", lang="ja")
    wb = load_workbook(path)
    names = wb.sheetnames
    assert names[0] == "指標一覧" and names[-2:] == ["違反", "実行情報"]
    assert any(n.startswith("内訳_赤字仕訳比率") for n in names)
    summary = wb["指標一覧"]
    assert summary.freeze_panes == "A4"
    headers = [c.value for c in summary[3]]
    assert headers[:5] == ["区分", "指標ID", "名称", "値", "単位"] and "状況" in headers
    rows = {r[1].value: r for r in summary.iter_rows(min_row=4)}
    balance, share, entries = rows["r.balance"], rows["r.loss_share"], rows["r.entries"]
    assert balance[3].value == -1234 and balance[3].number_format == '#,##0;"△"#,##0'
    assert balance[4].value == "千円" and balance[7].value == "目標なし"
    assert share[3].value == pytest.approx(0.4) and share[3].number_format == '0.0%;"△"0.0%'
    assert share[6].value == pytest.approx(0.3) and share[7].value == "未達"
    assert entries[3].value == 5 and entries[7].value == "達成"
    assert summary.column_dimensions["C"].width >= 10
    assert summary["A3"].font.b

    violations = wb["違反"]
    found = sorted((r[0].value, r[2].value, r[5].value) for r in violations.iter_rows(min_row=4))
    assert found == [
        ("r.negative_entry", "警告", "entry_id=E2"),
        ("r.negative_entry", "警告", "entry_id=E4"),
    ]

    info = {r[0].value: r[1].value for r in wb["実行情報"].iter_rows(min_row=4)}
    record = project.store.run(2)
    assert info["実行ハッシュ"] == record.run_hash and info["仕様ハッシュ"] == record.spec_hash
    assert info["スナップショット: ledger"] == record.snapshots_dict()["ledger"]


def test_xlsx_breakdown_sheet(project, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from mieruka.report import write_xlsx

    wb = load_workbook(write_xlsx(project, 2, tmp_path / "run2.xlsx", lang="ja"))
    sheet = wb[next(n for n in wb.sheetnames if n.startswith("内訳_収支差額"))]
    values = {r[0].value: r[1].value for r in sheet.iter_rows(min_row=4) if r[0].value}
    assert values == {"営業": 600, "開発": -1834, "管理": 0, "計": -1234}
    share = wb[next(n for n in wb.sheetnames if n.startswith("内訳_赤字仕訳比率"))]
    sales = next(r for r in share.iter_rows(min_row=4) if r[0].value == "営業")
    assert sales[1].value == 0 and sales[5].value == "達成"


def test_xlsx_in_english_has_english_sheet_names(project, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from mieruka.report import write_xlsx

    wb = load_workbook(write_xlsx(project, 2, tmp_path / "en.xlsx", lang="en"))
    assert wb.sheetnames[0] == "Indicators" and wb.sheetnames[-2:] == ["Violations", "Run info"]


# --- the command ------------------------------------------------------------------------


def test_report_command_writes_both_formats(project, tmp_path: Path) -> None:
    from mieruka.cli.report_cmd import report

    runner = CliRunner()
    obj = {"workspace": project.ws.root}
    result = runner.invoke(report, ["latest", "--format", "xlsx", "--lang", "en"], obj=obj)
    assert result.exit_code == 0, result.output
    assert (project.ws.root / "reports" / "run2.xlsx").is_file()
    out = tmp_path / "r1.html"
    result = runner.invoke(report, ["1", "--out", str(out)], obj=obj)
    assert result.exit_code == 0, result.output
    assert "2023年度（令和5年度）" in out.read_text(encoding="utf-8")
    result = runner.invoke(report, ["2", "--out", "-"], obj=obj)
    assert result.exit_code == 0 and "△1,234" in result.output
    assert runner.invoke(report, ["99"], obj=obj).exit_code == 1
