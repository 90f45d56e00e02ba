"""The checks as rules in a run: same findings as `check`, offending rows as evidence."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from tests.conftest import make_project
from tests.packs.statements.st_fixtures import COL, find, line, schedule, write

from mieruka.cli.main import cli
from mieruka.core.datasets import load
from mieruka.core.period import Period
from mieruka.core.runs import start_run
from mieruka.packs.statements.check import RULES, Finding, check_schedule
from mieruka.packs.statements.reader import COLUMNS, read_cell, read_schedule
from mieruka.packs.statements.rules_sql import RULES as RULE_SQL
from mieruka.packs.statements.rules_sql import _cells, spec_yaml

SPEC = Path(__file__).parents[3] / "src/mieruka/packs/statements/specs/statements.yaml"
Rows = list[list[str]]


def test_the_spec_file_is_the_one_rules_sql_writes():
    assert SPEC.read_text(encoding="utf-8") == spec_yaml(), (
        "regenerate: python -m mieruka.packs.statements.rules_sql > " + str(SPEC)
    )
    assert {r.id for r in RULE_SQL} == set(RULES.values())


@pytest.mark.parametrize(
    "text",
    ["1,234", "△1,234", "▲12", "-1234", "(1,234)", "¥1,234", "1,234円", "１，２３４", " 12 ",
     "-", "－", "", None, "0", "△0", "０"],
)  # fmt: skip
def test_the_rules_read_a_cell_as_the_checker_does(text: str | None):
    with duckdb.connect() as con:
        columns = ", ".join(f"{c} VARCHAR" for c in COLUMNS)
        con.execute(f"CREATE TABLE schedule_fixed_assets ({columns})")
        con.execute(
            "INSERT INTO schedule_fixed_assets (section, asset_class, opening) VALUES (?, ?, ?)",
            ["specified", "建物", text],
        )
        got = con.execute(
            f"WITH {_cells()} SELECT amount, below_unit FROM cells WHERE column_name = 'opening'"
        ).fetchall()
    assert got == [read_cell(text)]


def _python(rows: Rows, tmp_path: Path) -> set[tuple[str, str, str, str | None]]:
    def norm(f: Finding) -> tuple[str, str, str, str | None]:
        rule = RULES[f.check]
        return rule, f.section, f.asset_class, None if rule in KEYED_BY_ROW else f.column

    report = check_schedule(read_schedule(write(tmp_path, rows)))
    return {norm(f) for f in report.errors}


KEYED_BY_ROW = {"st.fa_missing_subtotal", "st.fa_moved_row", "st.fa_wrong_section"}


def _sql(rows: Rows, tmp_path: Path) -> tuple[set[tuple[str, str, str, str | None]], list]:
    project = make_project(tmp_path / "ws", {}, packs=["statements"])
    try:
        load(project, "schedule_fixed_assets", write(tmp_path, rows, "loaded.csv"))
        run = start_run(project, Period.for_fiscal_year(2024))
        violations = [v for v in project.store.violations(run.id) if v["rule"].startswith("st.")]
    finally:
        project.close()
    found = {
        (
            v["rule"],
            v["row"]["section"],
            v["row"]["asset_class"],
            None if v["rule"] in KEYED_BY_ROW else v["row"]["column_name"],
        )
        for v in violations
    }
    return found, violations


def transposed(rows: Rows) -> None:
    find(rows, "specified", "建物")[COL["closing"]] = "1,010"  # should be 1,100


def missing_subtotal(rows: Rows) -> None:
    rows.remove(find(rows, "other", "計"))


def moved_row(rows: Rows) -> None:
    find(rows, "specified", "構築物")[0] = "other"  # both 計 rows left as they were


def land_as_specified(rows: Rows) -> None:
    """Land filed as a specified depreciable asset, every 計 re-added to match."""
    rows.remove(find(rows, "non_depreciable", "土地"))
    rows.insert(2, line("specified", "土地", 2_000, 0, 0))
    find(rows, "specified", "計")[2:12] = line("specified", "計", 3_500, 100, 0, 500)[2:12]
    find(rows, "non_depreciable", "計")[2:12] = line("non_depreciable", "計", 0, 0, 0)[2:12]


def depreciated_land(rows: Rows) -> None:
    for section in ("non_depreciable", "tangible_total"):
        find(rows, section, "土地")[COL["depreciation_for_period"]] = "7"


def missing_total_row(rows: Rows) -> None:
    rows.remove(find(rows, "tangible_total", "構築物"))


def truncation_only(rows: Rows) -> None:
    """Each 計 one above the sum of its printed rows: what truncation explains."""
    for section, values in (("specified", "1,501"), ("tangible_total", "3,801")):
        find(rows, section, "計")[COL["opening"]] = values
    find(rows, "specified", "計")[COL["closing"]] = "1,601"
    find(rows, "specified", "計")[COL["net_closing"]] = "1,101"
    find(rows, "tangible_total", "計")[COL["closing"]] = "3,931"
    find(rows, "tangible_total", "計")[COL["net_closing"]] = "3,281"


CASES: dict[str, tuple[Callable[[Rows], None], set[tuple[str, str, str, str | None]]]] = {
    "a transposed digit": (transposed, {
        ("st.fa_roll_forward", "specified", "建物", "closing"),
        ("st.fa_net_closing", "specified", "建物", "net_closing"),
        ("st.fa_subtotal", "specified", "計", "closing"),
        ("st.fa_class_total", "tangible_total", "建物", "closing")}),
    "a missing subtotal": (missing_subtotal, {
        ("st.fa_missing_subtotal", "other", "計", None),
        *(("st.fa_class_total", "tangible_total", "計", c)
          for c in ("opening", "increase", "decrease", "closing", "accumulated_depreciation",
                    "net_closing"))}),
    "a row moved between sections": (moved_row, {
        ("st.fa_moved_row", "other", "構築物", None),
        *(("st.fa_subtotal", s, "計", c) for s in ("specified", "other")
          for c in ("opening", "closing", "accumulated_depreciation", "net_closing"))}),
    "land filed as a specified asset": (land_as_specified, {
        ("st.fa_wrong_section", "specified", "土地", None)}),
    "depreciation on land": (depreciated_land, {
        ("st.fa_not_depreciated", s, "土地", "depreciation_for_period")
        for s in ("non_depreciable", "tangible_total")} | {
        ("st.fa_subtotal", s, "計", "depreciation_for_period")
        for s in ("non_depreciable", "tangible_total")}),
    "a class missing from the total": (missing_total_row, {
        ("st.fa_class_total", "tangible_total", "構築物", "asset_class"),
        *(("st.fa_subtotal", "tangible_total", "計", c)
          for c in ("opening", "closing", "accumulated_depreciation", "net_closing"))}),
    "differences truncation explains": (truncation_only, set()),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_a_run_finds_what_the_checker_finds(case: str, tmp_path: Path):
    change, expected = CASES[case]
    rows = schedule()
    change(rows)
    python = _python(rows, tmp_path)
    sql, _ = _sql(rows, tmp_path)
    assert python == expected
    assert sql == expected


def test_a_consistent_schedule_breaks_no_rule(tmp_path: Path):
    sql, violations = _sql(schedule(), tmp_path)
    assert sql == set() and violations == []


def test_a_failing_schedule_shows_its_rows_as_evidence(tmp_path: Path):
    rows = schedule()
    transposed(rows)
    path = write(tmp_path, rows)
    ws = tmp_path / "ws"

    def invoke(*args: str) -> str:
        result = CliRunner().invoke(cli, ["-C", str(ws), *args], obj={}, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    CliRunner().invoke(cli, ["init", str(ws), "--packs", "statements"], obj={})
    invoke("load", "schedule_fixed_assets", str(path))
    invoke("run", "--fy", "2024")
    roll = json.loads(invoke("evidence", "1", "st.fa_roll_forward", "--json"))
    assert [v["key"] for v in roll] == [
        {"section": "specified", "asset_class": "建物", "column_name": "closing"}
    ]
    assert {k: roll[0]["row"][k] for k in ("opening", "increase", "decrease", "expected",
            "found", "difference", "allowed_from", "allowed_to")} == {
        "opening": 1_000, "increase": 100, "decrease": 0, "expected": 1_100, "found": 1_010,
        "difference": 90, "allowed_from": -1, "allowed_to": 0}  # fmt: skip
    subtotal = json.loads(invoke("evidence", "1", "st.fa_subtotal", "--json"))
    assert [(v["key"]["section"], v["row"]["expected"], v["row"]["found"]) for v in subtotal] == [
        ("specified", 1_510, 1_600)
    ]


def test_a_moved_row_is_evidence_with_its_amounts_and_where_it_belongs(tmp_path: Path):
    rows = schedule()
    moved_row(rows)
    _, violations = _sql(rows, tmp_path)
    moved = [v for v in violations if v["rule"] == "st.fa_moved_row"]
    assert [v["key"] for v in moved] == [
        {"section": "other", "asset_class": "構築物", "belongs_to": "specified"}
    ]
    assert (moved[0]["row"]["closing"], moved[0]["row"]["net_closing"]) == (500, 400)
