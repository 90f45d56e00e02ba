"""Demo SLL book: a bank with three sustainability-linked loans, written as CSV and loaded.

Fixed data, no randomness (the outcome must not change between demo builds). SLL-001 has
the shape of a typical regional-bank SLL to a small contractor (stress check, group
analysis, check-ups at 45+, paid leave 53 → 58 → 70 %). SLL-002 is lent to the demo
organisation itself with KPIs fed by its HR indicators (`org.female_manager_share`,
`org.turnover_rate`), so their figures and evidence come from the demo's runs. SLL-003
amortises, ratchets on `all_kpis`, discount only, and has a late and a pending report.
The size argument is accepted for the demo interface; the book is small at every size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mieruka.core.datasets import load

BANK = "見える化銀行"
VERIFIER = "見える化銀行 サステナブルファイナンス室"
HEADERS = {
    "loans": "loan_id,borrower,lender,principal,currency,start_date,maturity_date,base_rate_pct,"
    "ratchet_step_bp,ratchet_mode,ratchet_basis,judgment_date,report_deadline_days,day_count",
    "repayments": "loan_id,date,amount",
    "loan_kpis": "loan_id,kpi_id,label,unit,comparator,source",
    "spts": "loan_id,kpi_id,fiscal_year,target",
    "observations": "loan_id,kpi_id,fiscal_year,value,reported_on,evidence_ref,verified_by,"
    "verified_on,verification",
}
LOANS = [
    f"SLL-001,架空電設工業株式会社,{BANK},100000000,JPY,2023-07-31,2028-07-10,1.500,5,symmetric,each_kpi,07-31,90,ACT/365F",
    f"SLL-002,見える化商事株式会社,{BANK},300000000,JPY,2023-04-28,2030-04-26,1.200,2.5,symmetric,each_kpi,07-31,120,ACT/365F",
    f"SLL-003,架空食品株式会社,{BANK},50000000,JPY,2023-10-31,2026-10-30,1.800,10,discount_only,all_kpis,08-31,90,ACT/365F",
]
KPIS = [
    "SLL-001,stress_check,全従業員のストレスチェック実施,done,done,manual",
    "SLL-001,group_analysis,ストレスチェック結果の集団分析と衛生委員会での共有,done,done,manual",
    "SLL-001,checkup_45,45歳以上の従業員の人間ドック受診率,pct,>=,manual",
    "SLL-001,paid_leave,年次有給休暇取得率,pct,>=,manual",
    "SLL-002,women_managers,女性管理職比率,pct,>=,indicator:org.female_manager_share",
    "SLL-002,turnover,離職率,pct,<=,indicator:org.turnover_rate",
    "SLL-003,food_waste,食品廃棄物削減率（2022年度比）,pct,>=,manual",
    "SLL-003,renewable,再生可能エネルギー比率,pct,>=,manual",
]
SPTS = [
    *(
        f"SLL-001,{k},{fy},done"
        for fy in range(2023, 2028)
        for k in ("stress_check", "group_analysis")
    ),
    *(f"SLL-001,checkup_45,{fy},100" for fy in range(2023, 2028)),
    "SLL-001,paid_leave,2023,53",
    "SLL-001,paid_leave,2024,58",
    *(f"SLL-001,paid_leave,{fy},70" for fy in range(2025, 2028)),
    *(f"SLL-002,women_managers,{fy},{t}" for fy, t in ((2023, 15), (2024, 18), (2025, 20))),
    *(f"SLL-002,turnover,{fy},{t}" for fy, t in ((2023, 12), (2024, 11), (2025, 10))),
    *(f"SLL-003,food_waste,{fy},{t}" for fy, t in ((2023, 5), (2024, 10), (2025, 15))),
    *(f"SLL-003,renewable,{fy},{t}" for fy, t in ((2023, 20), (2024, 30), (2025, 40))),
]


def _obs(
    loan: str,
    kpi: str,
    fy: int,
    value: str,
    reported: str,
    verified: str = "",
    verdict: str = "passed",
) -> str:
    by = VERIFIER if verdict in ("passed", "failed") else ""
    return f"{loan},{kpi},{fy},{value},{reported},{loan}-{kpi}-FY{fy}.pdf,{by},{verified},{verdict}"


OBSERVATIONS = [
    # the baseline (no SPT, never judged): paid leave 48 % in FY2022, before the loan
    _obs("SLL-001", "paid_leave", 2022, "48.0", "2023-05-22", "2023-06-16"),
    _obs("SLL-001", "stress_check", 2023, "実施", "2024-05-20", "2024-06-14"),
    _obs("SLL-001", "group_analysis", 2023, "実施", "2024-05-20", "2024-06-14"),
    _obs("SLL-001", "checkup_45", 2023, "100", "2024-05-20", "2024-06-14"),
    _obs("SLL-001", "paid_leave", 2023, "55.4", "2024-05-20", "2024-06-14"),
    _obs("SLL-001", "stress_check", 2024, "実施", "2025-05-19", "2025-06-13"),
    _obs("SLL-001", "group_analysis", 2024, "実施", "2025-05-19", "2025-06-13"),
    _obs("SLL-001", "checkup_45", 2024, "92.3", "2025-05-19", "2025-06-13"),
    _obs("SLL-001", "paid_leave", 2024, "61.0", "2025-05-19", "2025-06-13"),
    # indicator-fed: the value comes from the ledger; the row carries report and verification
    *(
        _obs("SLL-002", k, fy, "", f"{fy + 1}-06-20", f"{fy + 1}-07-10")
        for fy in (2023, 2024)
        for k in ("women_managers", "turnover")
    ),
    _obs("SLL-003", "food_waste", 2023, "6.1", "2024-06-10", "2024-06-25"),
    _obs("SLL-003", "renewable", 2023, "22.0", "2024-06-10", "2024-06-25"),
    _obs("SLL-003", "food_waste", 2024, "10.4", "2025-07-15", "2025-07-31"),  # late
    _obs("SLL-003", "renewable", 2024, "31.5", "2025-06-20", "", "pending"),
]
REPAYMENTS = [f"SLL-003,{y}-{m}-30,5000000" for y in (2024, 2025, 2026) for m in ("04", "10")][:5]


def files() -> dict[str, list[str]]:
    return {
        "loans": LOANS,
        "repayments": REPAYMENTS,
        "loan_kpis": KPIS,
        "spts": SPTS,
        "observations": OBSERVATIONS,
    }


def demo(project: Any, size: str = "small") -> None:
    """Write the book to `data/sll/*.csv` in the workspace and load each file."""
    folder: Path = project.ws.root / "data" / "sll"
    folder.mkdir(parents=True, exist_ok=True)
    for dataset, rows in files().items():
        path = folder / f"{dataset}.csv"
        path.write_text("\n".join([HEADERS[dataset], *rows]) + "\n", encoding="utf-8")
        load(project, dataset, path)
