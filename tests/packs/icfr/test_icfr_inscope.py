"""Key accounts, the processes they bring into scope, and every override with its reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import make_project, write

from mieruka.core import registry
from mieruka.core.datasets import load
from mieruka.packs.icfr import pack
from mieruka.packs.icfr.cli import icfr
from mieruka.packs.icfr.inscope import assessment_scope, default_kind, key_accounts

LOCATIONS = [{"location_id": k, "name": k, "fiscal_year": 2024, "revenue": v, "total_assets": 1,
              "pretax_income": 1} for k, v in (("HQ", 700), ("OS", 200), ("TH", 100))]  # fmt: skip
ACCOUNTS = [{"account_code": c, "name": n, "category": k} for c, n, k in (
    ("1130", "売掛金", "asset"), ("1140", "商品", "asset"), ("2110", "買掛金", "liability"),
    ("4100", "売上高", "revenue"), ("5100", "売上原価", "expense"), ("1190", "貸倒引当金", "asset"),
    ("6100", "給料手当", "expense"))]  # fmt: skip
PROCESSES = [{"process_id": p, "name": n, "location_id": loc, "account_codes": a} for p, n, loc, a in (
    ("P1", "販売", "HQ", "4100;1130"), ("P2", "購買", "HQ", "5100;2110"),
    ("P3", "販売（タイ）", "TH", "4100;1130"), ("P4", "決算", "", "1130;1140"),
    ("P5", "給与", "OS", "6100"))]  # fmt: skip


def test_sales_receivables_and_inventory_are_key_by_default_but_not_cost_of_sales():
    assert [default_kind(a["name"], a["category"]) for a in ACCOUNTS] == [
        "receivables", "inventory", None, "sales", None, None, None]  # fmt: skip
    keys = key_accounts(ACCOUNTS, {"2110": "架空仕入のリスク"}, {"1140": "残高が僅少"})
    # in the order sales, receivables, inventory, then the accounts added for risk
    assert [(k.account_code, k.added) for k in keys] == [("4100", False), ("1130", False),
                                                          ("2110", True)]  # fmt: skip
    with pytest.raises(ValueError, match=r"unknown account.*9999"):
        key_accounts(ACCOUNTS, {"9999": "?"}, {})


def test_a_process_is_in_scope_at_a_significant_location_when_it_reaches_a_key_account():
    s = assessment_scope(LOCATIONS, ACCOUNTS, PROCESSES, 2024, {})
    assert [x.location_id for x in s.locations.selected] == ["HQ"]  # 700 of 1000 ≥ 2/3
    # P1 at HQ reaches sales; P4 is company-wide; P2 reaches no key account; P3 is in
    # Thailand, not a significant location; P5 touches no key account
    assert [p.process_id for p in s.processes] == ["P1", "P4"]
    assert "重要な勘定科目（4100、1130）" in s.processes[0].reason
    assert s.overrides == []


def test_every_override_is_recorded_with_its_reason_and_stated():
    options = {"scope_threshold": "0.5", "scope_additions": {"TH": "新規買収した子会社である"},
               "key_account_additions": {"2110": "架空仕入のリスクが高い"},
               "process_additions": {"P5": "給与の不正な支払が過去にあった"},
               "process_exclusions": {"P4": "別途、決算・財務報告プロセスとして評価する"}}  # fmt: skip
    s = assessment_scope(LOCATIONS, ACCOUNTS, PROCESSES, 2024, options,
                         cli={"key_account_exclusions": {"1130": "テスト"}})  # fmt: skip
    kinds = [(o.kind, o.target, o.source) for o in s.overrides]
    assert kinds == [("scope_threshold", "0.5", "mieruka.toml"),
                     ("location", "TH", "mieruka.toml"),
                     ("account_add", "2110", "mieruka.toml"),
                     ("account_exclude", "1130", "command line"),
                     ("process_add", "P5", "mieruka.toml"),
                     ("process_exclude", "P4", "mieruka.toml")]  # fmt: skip
    # 1130 excluded: P3 still reaches 4100, and TH is now in scope for its reason
    assert [p.process_id for p in s.processes] == ["P1", "P2", "P3", "P5"]
    text = s.statement()
    assert "到達割合 70.0%" in text and "TH（TH）を新規買収した子会社であるため" in text
    assert "買掛金を架空仕入のリスクが高いため重要な勘定科目に加えた" in text
    assert "給与（OS）は、給与の不正な支払が過去にあったため個別に評価対象に追加した" in text
    assert "P4は、別途、決算・財務報告プロセスとして評価するため評価対象から除外した" in text


def test_the_scope_command_lists_key_accounts_and_processes_and_audits_cli_overrides(
    tmp_path: Path,
):
    registry.register(pack)
    try:
        project = make_project(tmp_path / "ws", {}, packs=["icfr"])
        load(project, "locations", write(tmp_path / "l.csv",
             "location_id,name,fiscal_year,revenue,total_assets,pretax_income\n"
             "HQ,本社,2024,700,1,1\nOS,大阪,2024,200,1,1\nTH,タイ,2024,100,1,1\n"))  # fmt: skip
        load(project, "accounts", write(tmp_path / "a.csv", "account_code,name,category\n"
                                        "4100,売上高,revenue\n2110,買掛金,liability\n"))  # fmt: skip
        load(project, "processes", write(tmp_path / "p.csv",
             "process_id,name,location_id,account_codes\nP1,販売,HQ,4100\nP2,購買,HQ,2110\n"))  # fmt: skip
        args = ["scope", "--fy", "2024", "--add-account", "2110=二重払いのリスク",
                "--workspace", str(tmp_path / "ws")]  # fmt: skip
        result = CliRunner().invoke(icfr, args)
        assert result.exit_code == 0, result.output
        assert "P1 販売、P2 購買" in result.output
        assert "買掛金を二重払いのリスクため重要な勘定科目に加えた" in result.output
        detail = json.loads(project.store.audit_log()[-1]["detail"])
        assert detail == [{"kind": "account_add", "target": "2110", "reason": "二重払いのリスク"}]
        bad = CliRunner().invoke(icfr, [*args[:3], "--add-process", "P9=?", *args[5:]])
        assert bad.exit_code == 2 and "unknown process(es): P9" in bad.output
        project.close()
    finally:
        registry.unregister("icfr")
