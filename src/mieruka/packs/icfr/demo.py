"""Demo data: みえる工業株式会社, six locations, an RCM, test results, deficiencies and a
general ledger with planted anomalies of every kind (see `demo_ledger.py`).

Everything is drawn from fixed seeds so each build is the same company. The deficiencies
are chosen so an auditor recognises each case: two on receivables at head office that
together reach materiality (a material weakness), one remediated and re-tested in time
(not reported), one mitigated by an effective compensating control, one entity-level.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from mieruka.core.datasets import load
from mieruka.core.project import Project
from mieruka.packs.icfr.demo_ledger import INTRUDER, RARE_USER, USERS, ledger_rows
from mieruka.packs.icfr.entity_controls import template_rows

SUB2_REASON = "海外子会社で統制の整備が途上にあり、不正リスクが高い"
AP_REASON = "仕入先への支払が多額で、架空仕入・二重払いの不正リスクが高い"
SIZES = {"small": 4_000, "medium": 40_000, "large": 400_000}  # ordinary entries per year
FYS = [2023, 2024, 2025]
# id, name, revenue, total assets, pre-tax income (FY2025, 百万円); earlier years scaled
LOCATIONS = (
    ("HQ", "本社・東京工場", 18_000, 30_000, 1_150), ("OS", "大阪工場", 7_000, 9_000, 420),
    ("NG", "名古屋支店", 4_500, 3_000, 210), ("FK", "福岡支店", 2_000, 1_500, 90),
    ("SUB1", "みえる販売株式会社", 1_500, 900, 60), ("SUB2", "MIERU (Thailand) Co., Ltd.", 1_000, 1_200, 70),
)  # fmt: skip
ACCOUNTS = (
    ("1110", "現金預金", "asset"), ("1130", "売掛金", "asset"), ("1140", "棚卸資産", "asset"),
    ("2110", "買掛金", "liability"), ("2120", "未払金", "liability"), ("4100", "売上高", "revenue"),
    ("5100", "売上原価", "expense"), ("6100", "給料手当", "expense"),
    ("6200", "旅費交通費", "expense"), ("6300", "外注費", "expense"), ("7990", "雑損失", "expense"),
)  # fmt: skip
PROCESSES = (
    ("P01", "販売（受注〜売上計上）", "HQ", "4100;1130"), ("P02", "債権管理・入金", "HQ", "1130;1110"),
    ("P03", "購買・支払", "HQ", "5100;2110"), ("P04", "棚卸資産管理", "OS", "1140;5100"),
    ("P05", "決算・財務報告", "HQ", "1110;1130;1140;4100"), ("P06", "販売（大阪）", "OS", "4100;1130"),
)  # fmt: skip
CONTROLS = (
    ("C01", "P01", "受注の与信限度チェック", "multiple_daily", "automated", "existence;valuation"),
    ("C02", "P01", "出荷と請求の照合", "daily", "manual", "existence;cut-off"),
    ("C03", "P02", "売掛金残高確認と差異調査", "quarterly", "manual", "existence;valuation"),
    ("C04", "P02", "入金消込の承認", "daily", "manual", "existence"),
    ("C05", "P03", "発注の承認", "daily", "manual", "existence;rights"),
    ("C06", "P03", "支払の二重承認", "weekly", "manual", "existence;completeness"),
    ("C07", "P04", "実地棚卸と帳簿の照合", "annual", "manual", "existence;valuation"),
    ("C08", "P05", "仕訳の承認（手入力仕訳）", "monthly", "manual", "existence;presentation"),
    ("C09", "P05", "連結精算表のレビュー", "quarterly", "manual", "presentation;completeness"),
    ("C10", "P06", "出荷と請求の照合（大阪）", "daily", "manual", "existence;cut-off"),
    ("C11", "P05", "会計システムのアクセス権棚卸", "quarterly", "itgc", "existence"),
    ("C12", "P02", "月次の売掛金年齢表レビュー", "monthly", "manual", "valuation;existence"),
)  # fmt: skip


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _locations() -> list[dict[str, Any]]:
    scale = {2023: 0.9, 2024: 0.95, 2025: 1.0}
    return [{"location_id": i, "name": n, "fiscal_year": fy, "revenue": int(r * s * 1e6),
             "total_assets": int(a * s * 1e6), "pretax_income": int(p * s * 1e6)}
            for fy, s in scale.items() for i, n, r, a, p in LOCATIONS]  # fmt: skip


def materiality(fy: int) -> int:
    return int(sum(r["pretax_income"] for r in _locations() if r["fiscal_year"] == fy) * 0.05)


def _tests() -> list[dict[str, Any]]:
    sizes = {"annual": 1, "quarterly": 2, "monthly": 2, "weekly": 5, "daily": 25,
             "multiple_daily": 25}  # fmt: skip
    rows = []
    for fy in FYS:
        for cid, _, _, freq, _, _ in CONTROLS:
            deviations = 2 if (fy, cid) in ((2025, "C02"), (2025, "C04"), (2025, "C10")) else 0
            rows.append({"control_id": cid, "fiscal_year": fy, "phase": "operating",
                         "population_size": {"annual": 1, "quarterly": 4, "monthly": 12,
                                             "weekly": 52}.get(freq, 245),
                         "sample_size": sizes[freq], "deviations": deviations,
                         "tested_on": f"{fy}-12-10", "tester": "内部監査室"})  # fmt: skip
    rows.append({"control_id": "C10", "fiscal_year": 2025, "phase": "retest",
                 "population_size": 60, "sample_size": 25, "deviations": 0,
                 "tested_on": "2026-03-10", "tester": "内部監査室"})  # fmt: skip
    return rows


def _deficiencies() -> list[dict[str, Any]]:
    m = materiality(2025)
    rows = [  # id, control, account, misstatement, likelihood, entity level, compensating, fixed
        ("D01", "C02", "1130", int(m * 0.6), "probable", "false", "", ""),
        ("D02", "C04", "1130", int(m * 0.5), "probable", "false", "", ""),
        ("D03", "C10", "1130", int(m * 0.8), "probable", "false", "", "2026-02-20"),
        ("D04", "C05", "2110", int(m * 1.2), "reasonably_possible", "false", "C06", ""),
        ("D05", "", "", 0, "", "true", "", ""),
    ]
    text = {"D01": "出荷と請求の照合が一部未実施", "D02": "入金消込の承認漏れ",
            "D03": "大阪工場の出荷照合漏れ（是正済み）", "D04": "発注承認の事後承認",
            "D05": "内部通報制度の周知不足"}  # fmt: skip
    return [{"deficiency_id": d, "control_id": c, "fiscal_year": 2025, "description": text[d],
             "account_code": a, "potential_misstatement": p, "likelihood": lk,
             "entity_level": e, "compensating_control_id": cc, "remediated_on": fx}
            for d, c, a, p, lk, e, cc, fx in rows]  # fmt: skip


EVIDENCE = {"environment": "取締役会議事録・行動規範", "risk": "リスク評価シート",
            "activities": "職務権限規程・業務手順書", "information": "社内ポータル掲示記録",
            "monitoring": "内部監査報告書", "it": "IT基本方針・IT全般統制評価書"}  # fmt: skip


def _entity_controls() -> list[dict[str, Any]]:
    """FY2024 and FY2025 checklists; in FY2025 the whistle-blowing line (IC05) is deficient,
    the entity-level deficiency D05."""
    rows = []
    for fy in (2024, 2025):
        for r in template_rows(fy):
            weak = fy == 2025 and r["item_id"] == "IC05"
            rows.append({**r, "conclusion": "deficient" if weak else "effective",
                         "evidence": f"{EVIDENCE[r['element']]}（{r['item_id']}）",
                         "comment": "内部通報窓口が子会社に周知されていない（D05）" if weak else "",
                         "evaluated_on": f"{fy + 1}-02-15", "evaluator": "内部監査室"})  # fmt: skip
    return rows


def demo_files(folder: Path, size: str) -> dict[str, Path]:
    entries = SIZES.get(size, int(size) if size.isdigit() else SIZES["small"])
    lines, _ = ledger_rows(20250401, FYS, entries, materiality(FYS[-1]))
    return {
        "locations": _write(folder / "locations.csv", _locations()),
        "accounts": _write(folder / "accounts.csv", [dict(zip(("account_code", "name", "category"), a, strict=True)) for a in ACCOUNTS]),
        "processes": _write(folder / "processes.csv", [dict(zip(("process_id", "name", "location_id", "account_codes"), p, strict=True)) for p in PROCESSES]),
        "controls": _write(folder / "controls.csv", [{"control_id": c, "process_id": p, "description": d, "frequency": f, "nature": n, "key": "true", "assertions": a, "owner": "経理部"} for c, p, d, f, n, a in CONTROLS]),
        "tests": _write(folder / "tests.csv", _tests()),
        "deficiencies": _write(folder / "deficiencies.csv", _deficiencies()),
        "entity_controls": _write(folder / "entity_controls.csv", _entity_controls()),
        "journal_entries": _write(folder / "journal_entries.csv", lines),
    }  # fmt: skip


def demo(project: Project, size: str) -> None:
    """Write and load the company's files; authorise its accountants in mieruka.toml."""
    authorised = [*USERS, RARE_USER]  # the intruder X999 is not on the list
    assert INTRUDER not in authorised
    config = project.ws.root / "mieruka.toml"
    if "[packs.icfr]" not in config.read_text(encoding="utf-8"):
        with config.open("a", encoding="utf-8") as f:
            f.write(f"\n[packs.icfr]\nauthorised_users = {authorised!r}\n".replace("'", '"'))
            f.write(f'\n[packs.icfr.scope_additions]\nSUB2 = "{SUB2_REASON}"\n')
            f.write(f'\n[packs.icfr.key_account_additions]\n2110 = "{AP_REASON}"\n')
        project.ws.settings.packs.setdefault(
            "icfr", {"authorised_users": authorised, "scope_additions": {"SUB2": SUB2_REASON},
                     "key_account_additions": {"2110": AP_REASON}}
        )  # fmt: skip
    for dataset, path in demo_files(project.ws.root / "data", size).items():
        load(project, dataset, path)
