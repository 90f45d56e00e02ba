"""Demo data: a prefecture and two affiliated corporations, with breaches planted on purpose.

The demo shows every rule at work, so besides an ordinary portfolio (deposits, JGBs,
municipal and agency bonds, corporate bonds in operating funds) it plants: a deposit above
its bank limit, a corporate bond in an endowment, a samurai bond rated below its level, a
trust with no yield advantage, a legacy bond without a management plan, a foreign-currency
deposit without a payment need, an affiliate of ¥1bn+ without a committee, trades without
competing quotes or rationale, a quick resale, and downgrades of each kind. The committee
has closed the first downgrade (kept), decided to sell the BB bond (not yet sold), and not yet
seen the legacy bond; the housing corporation's fund plan expects an outflow that did not
happen, which raises a plan-revision alert. A fixed seed
makes the files identical on every run.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from mieruka.core.datasets import load
from mieruka.packs.funds.demo_rows import (
    BANKS,
    COMMITTEE_ACTIONS,
    FUND_PLANS,
    FUNDS,
    Row,
    history,
    portfolio,
    transactions,
)

SIZES = {"small": 40, "medium": 400, "large": 4000}


def write(path: Path, rows: list[Row]) -> Path:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def files(size: str) -> dict[str, list[Row]]:
    n = SIZES.get(size) or max(40, int(size) // 10 if str(size).isdigit() else 40)
    rng = np.random.default_rng(20250401)
    rows = portfolio(n, rng)
    curve = [
        {"date": f"{year}-03-31", "tenor_years": t, "yield_pct": round(base + slope * t, 4)}
        for year, base, slope in ((2024, 0.0, 0.07), (2025, 0.4, 0.08), (2026, 0.7, 0.09))
        for t in (1, 2, 3, 5, 7, 10, 15, 20)
    ]
    return {
        "entities": [
            {"entity_id": "PREF", "name": "見本県", "kind": "prefecture", "has_committee": "true"},
            {
                "entity_id": "ZAI",
                "name": "見本県文化振興財団",
                "kind": "affiliate",
                "has_committee": "false",
            },
            {
                "entity_id": "KOSHA",
                "name": "見本県住宅供給公社",
                "kind": "affiliate",
                "has_committee": "true",
            },
        ],
        "funds": [
            dict(zip(("fund_id", "entity_id", "name", "category"), f, strict=True)) for f in FUNDS
        ],
        "banks": [
            dict(zip(("bank_id", "name", "borrowings", "designated", "rating"), b, strict=True))
            for b in BANKS
        ],
        "holdings": rows,
        "rating_history": history(),
        "transactions": transactions(rows, rng),
        "market": curve,
        "fx_needs": [{"entity_id": "KOSHA", "currency": "USD", "annual_payments": 200_000_000}],
        "management_plans": [
            {
                "holding_id": "P-LEGACY-PLAN",
                "instrument_name": "Example Sovereign 2031",
                "present_value": 98_000_000,
                "value_basis": "取引金融機関の参考価格",
                "disposal_criteria": "時価が簿価以上となった時点で売却",
            }
        ],
        "committee_actions": COMMITTEE_ACTIONS,
        "fund_plans": FUND_PLANS,
    }


def demo(project: Any, size: str) -> None:
    """Pack hook: write the files under data/funds/ and load them."""
    folder = project.ws.root / "data" / "funds"
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files(size).items():
        load(project, name, write(folder / f"{name}.csv", rows))
