"""The rows of the demo portfolio: an ordinary book of bonds and deposits plus planted breaches.

Kept apart from `demo.py` (which writes and loads the files) so each stays small; the seed
is fixed by the caller, so the rows are the same on every run.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np

Row = dict[str, Any]
FUNDS = [
    ("PREF-KIKIN", "PREF", "財政調整基金", "kikin"),
    ("PREF-CASH", "PREF", "歳計現金", "annual_cash"),
    ("ZAI-ENDOW", "ZAI", "基本財産", "endowment"),
    ("ZAI-OPER", "ZAI", "事業財産", "operating"),
    ("KOSHA-ENDOW", "KOSHA", "基本財産", "endowment"),
    ("KOSHA-OPER", "KOSHA", "事業財産", "operating"),
]
BANKS = [
    ("B01", "見本銀行", 2_000_000_000, "true", "A+"),
    ("B02", "見本第二銀行", 50_000_000, "false", "A-"),
    ("B03", "見本信用金庫", 0, "false", "BBB"),
    ("B04", "見本信託銀行", 20_000_000, "false", "A"),
    ("SEC1", "見本証券", 0, "false", "A+"),
]
ISSUERS = ["見本電力", "見本鉄道", "見本ガス", "見本通信", "見本商事", "見本製鉄", "見本自動車"]


def bond(hid: str, fund: str, kind: int, rng: np.random.Generator, **extra: Any) -> Row:
    acquired = date(2019, 4, 1) + timedelta(days=int(rng.integers(0, 6 * 365)))
    years = int(rng.integers(2, 11)) if kind >= 10 else int(rng.integers(2, 16))
    face = int(rng.integers(1, 30)) * 10_000_000
    coupon = round(float(rng.uniform(0.1, 1.8)), 3)
    row: Row = {
        "holding_id": hid,
        "fund_id": fund,
        "instrument_type": kind,
        "currency": "JPY",
        "face_value": face,
        "book_value": int(face * float(rng.uniform(0.98, 1.02))),
        "coupon_rate": coupon,
        "coupon_frequency": 2,
        "issue_date": acquired.isoformat(),
        "maturity_date": date(acquired.year + years, acquired.month, 20).isoformat(),
        "acquired_on": acquired.isoformat(),
        "issuer_domestic": "true",
        "issuer": {6: "国", 7: "地方公共団体金融機構", 8: "見本県", 9: "見本県道路公社"}.get(kind),
    }
    if kind >= 10:
        row["issuer"] = ISSUERS[int(rng.integers(0, len(ISSUERS)))]
        row["ratings"] = "R&I:AA;JCR:AA+"
    row.update(extra)
    return row


def deposit(hid: str, fund: str, bank: str, amount: int, kind: int = 1, **extra: Any) -> Row:
    row: Row = {
        "holding_id": hid,
        "fund_id": fund,
        "instrument_type": kind,
        "bank_id": bank,
        "currency": "JPY",
        "face_value": amount,
        "book_value": amount,
        "acquired_on": "2023-04-01",
    }
    row.update(extra)
    return row


def portfolio(n: int, rng: np.random.Generator) -> list[Row]:
    rows: list[Row] = [
        deposit("D-PREF-1", "PREF-CASH", "B01", 900_000_000),  # designated bank: no limit
        deposit("D-ZAI-1", "ZAI-OPER", "B02", 45_000_000),
        deposit("D-KOSHA-1", "KOSHA-OPER", "B03", 15_000_000),  # planted: ¥10m limit, no borrowings
        deposit("L-ZAI-1", "ZAI-ENDOW", "B04", 20_000_000, kind=2),
    ]
    funds_for = {
        6: ["PREF-KIKIN", "ZAI-ENDOW", "KOSHA-ENDOW"],
        7: ["PREF-KIKIN", "KOSHA-ENDOW"],
        8: ["PREF-KIKIN", "ZAI-ENDOW"],
        9: ["KOSHA-ENDOW"],
        10: ["ZAI-OPER", "KOSHA-OPER"],
    }
    kinds = rng.choice(np.array([6, 7, 8, 9, 10]), n, p=[0.35, 0.15, 0.25, 0.05, 0.2])
    for i, kind in enumerate(kinds):
        choices = funds_for[int(kind)]
        rows.append(
            bond(f"H{i + 1:05d}", choices[int(rng.integers(0, len(choices)))], int(kind), rng)
        )
    rows += [
        bond(
            "P-ENDOW-CORP", "ZAI-ENDOW", 10, rng, acquired_on="2024-06-03", issue_date="2024-06-03"
        ),
        bond(
            "P-SAMURAI",
            "KOSHA-OPER",
            12,
            rng,
            issuer="Example Bank plc",
            issuer_domestic="false",
            ratings="S&P:A;Moody's:A2",
            acquired_on="2024-07-01",
            issue_date="2024-07-01",
            maturity_date="2029-07-20",
        ),
        bond(
            "P-EUROYEN",
            "ZAI-OPER",
            13,
            rng,
            issuer="見本物産",
            ratings="R&I:A",
            acquired_on="2023-10-02",
            issue_date="2023-10-02",
            maturity_date="2027-10-20",
        ),
        bond(
            "P-TRUST",
            "PREF-KIKIN",
            14,
            rng,
            underlying_type=6,
            underlying_yield="1.5",
            coupon_rate="1.4",
            acquired_on="2024-05-01",
            issue_date="2024-05-01",
            maturity_date="2034-05-20",
            issuer="見本信託",
        ),
        bond(
            "P-LEGACY",
            "ZAI-ENDOW",
            10,
            rng,
            ratings="R&I:BBB",
            acquired_on="2010-06-01",
            issue_date="2010-06-01",
            maturity_date="2030-06-20",
            issuer="旧見本興業",
        ),
        bond(
            "P-LEGACY-PLAN",
            "KOSHA-ENDOW",
            11,
            rng,
            currency="USD",
            ratings="S&P:AA",
            acquired_on="2011-09-01",
            issue_date="2011-09-01",
            maturity_date="2031-09-20",
            issuer="Example Sovereign",
        ),
        deposit("P-FX", "ZAI-OPER", "B01", 30_000_000, kind=3, currency="EUR"),
        bond("DG-KEEP", "ZAI-OPER", 10, rng, issuer="見本電力", acquired_on="2021-04-01"),
        bond(
            "DG-REVIEW",
            "KOSHA-OPER",
            10,
            rng,
            issuer="見本鉄道",
            acquired_on="2021-04-01",
            ratings="R&I:BBB;JCR:BBB+",
        ),
        bond(
            "DG-SELL",
            "ZAI-OPER",
            10,
            rng,
            issuer="見本製鉄",
            acquired_on="2021-04-01",
            ratings="R&I:BB",
        ),
    ]
    return rows


def history() -> list[Row]:
    changes = [
        ("DG-KEEP", "R&I", "AA", "2021-04-01"),
        ("DG-KEEP", "R&I", "A+", "2024-10-15"),
        ("DG-REVIEW", "R&I", "A", "2021-04-01"),
        ("DG-REVIEW", "JCR", "A+", "2021-04-01"),
        ("DG-REVIEW", "R&I", "BBB", "2023-11-01"),
        ("DG-REVIEW", "JCR", "BBB+", "2024-02-01"),
        ("DG-SELL", "R&I", "A-", "2021-04-01"),
        ("DG-SELL", "R&I", "BBB", "2024-05-10"),
        ("DG-SELL", "R&I", "BB", "2025-08-01"),
    ]
    return [{"holding_id": h, "agency": a, "rating": r, "date": d} for h, a, r, d in changes]


def transactions(rows: list[Row], rng: np.random.Generator) -> list[Row]:
    out: list[Row] = []
    for row in rows:
        if row["instrument_type"] < 6 or row["acquired_on"] < "2023-04-01":
            continue
        quotes = int(rng.choice(np.array([2, 3, 4])))
        out.append(
            {
                "txn_id": f"T{len(out) + 1:05d}",
                "holding_id": row["holding_id"],
                "side": "buy",
                "trade_date": row["acquired_on"],
                "face_value": row["face_value"],
                "price": 100,
                "counterparty": "SEC1",
                "quotes_received": quotes,
                "best_quote_taken": "true",
            }
        )
    planted = {
        "holding_id": rows[4]["holding_id"],
        "face_value": 10_000_000,
        "price": 100,
        "counterparty": "SEC1",
        "best_quote_taken": "true",
    }
    out += [  # in FY2025: a single quote with no reason, then a resale after 29 days, no rationale
        {
            **planted,
            "txn_id": "T-ONEQUOTE",
            "side": "buy",
            "trade_date": "2025-06-02",
            "quotes_received": 1,
        },
        {
            **planted,
            "txn_id": "T-QUICK",
            "side": "sell",
            "trade_date": "2025-07-01",
            "quotes_received": 2,
        },
    ]
    return out


COMMITTEE_ACTIONS: list[Row] = [
    {"holding_id": "DG-REVIEW", "kind": "downgrade_review", "referred_on": "2024-03-11",
     "decision": "keep", "decided_on": "2024-03-25", "closed_on": "2024-03-25",
     "note": "JCRのBBB+が残るため継続保有（第3-2②ただし書）"},
    {"holding_id": "DG-SELL", "kind": "downgrade_sell", "referred_on": "2025-08-18",
     "decision": "sell", "decided_on": "2025-08-29", "closed_on": "",
     "note": "売却先の見積りを取得中"},
]  # fmt: skip
FUND_PLANS: list[Row] = [
    {"entity_id": e, "fiscal_year": fy, "inflows": i, "outflows": o, "direction": d,
     "approved_on": f"{fy}-03-25"}
    for e, fy, i, o, d in (
        ("PREF", 2025, 0, 0, "償還金は5年以内の国債・地方債で再運用し、ラダー型を維持する"),
        ("ZAI", 2025, 20_000_000, 0, "基本財産は地方債中心、事業財産は預金と短期国債で流動性を確保する"),
        ("KOSHA", 2025, 0, 600_000_000, "分譲事業の支払に備え、満期到来分は預金で保有する"),
        ("KOSHA", 2026, 0, 300_000_000, ""),
    )
]  # fmt: skip
