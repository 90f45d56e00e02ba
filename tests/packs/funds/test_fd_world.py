"""A small prefecture and one affiliate that rule tests change one row at a time.

Imported by the other test_fd_* modules (`from test_fd_world import World`); it holds no
tests of its own. The baseline breaks no rule, so each test's violation is the one it plants.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mieruka.core.datasets import load
from mieruka.core.evaluate import Evaluation
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.runs import compute, current_snapshots
from mieruka.core.workspace import init_workspace, open_workspace

AS_OF = date(2025, 3, 31)

Row = dict[str, Any]


def entities() -> list[Row]:
    return [
        {"entity_id": "PREF", "name": "見本県", "kind": "prefecture", "has_committee": "true"},
        {
            "entity_id": "ZAI",
            "name": "見本県振興財団",
            "kind": "affiliate",
            "has_committee": "false",
        },
    ]


def funds() -> list[Row]:
    return [
        {"fund_id": "KIKIN", "entity_id": "PREF", "name": "財政調整基金", "category": "kikin"},
        {"fund_id": "CASH", "entity_id": "PREF", "name": "歳計現金", "category": "annual_cash"},
        {"fund_id": "ENDOW", "entity_id": "ZAI", "name": "基本財産", "category": "endowment"},
        {"fund_id": "OPER", "entity_id": "ZAI", "name": "事業財産", "category": "operating"},
    ]


def banks() -> list[Row]:
    return [
        {
            "bank_id": "B1",
            "name": "みほん銀行",
            "borrowings": "0",
            "designated": "false",
            "rating": "A",
        },
        {
            "bank_id": "B2",
            "name": "ためし信金",
            "borrowings": "30,000,000",
            "designated": "false",
            "rating": "BBB",
        },
        {
            "bank_id": "B3",
            "name": "県指定銀行",
            "borrowings": "0",
            "designated": "true",
            "rating": "AA-",
        },
        {
            "bank_id": "SEC",
            "name": "みほん証券",
            "borrowings": "0",
            "designated": "false",
            "rating": "A+",
        },
    ]


def holding(holding_id: str, fund_id: str, instrument_type: int, **extra: Any) -> Row:
    """A holding with sensible defaults: a deposit at B1, or a 5-year 1% bond bought in 2024."""
    row: Row = {
        "holding_id": holding_id,
        "fund_id": fund_id,
        "instrument_type": instrument_type,
        "currency": "JPY",
        "face_value": 5_000_000,
        "book_value": 5_000_000,
        "acquired_on": "2024-04-01",
    }
    if instrument_type <= 3:
        row["bank_id"] = "B1"
    else:
        row.update(
            issuer="発行体" + holding_id,
            issuer_domestic="true",
            coupon_rate="1.0",
            coupon_frequency=2,
            issue_date="2024-03-20",
            maturity_date="2029-03-20",
        )
    row.update(extra)
    return row


def holdings() -> list[Row]:
    return [
        holding("D1", "CASH", 1, book_value=8_000_000, face_value=8_000_000),
        holding("JGB1", "KIKIN", 6, book_value=300_000_000, face_value=300_000_000),
        holding("MUNI1", "ENDOW", 8, book_value=400_000_000, face_value=400_000_000),
        holding(
            "CORP1",
            "OPER",
            10,
            ratings="R&I:AA;JCR:AA+",
            book_value=40_000_000,
            face_value=40_000_000,
        ),
    ]


HEADERS = {
    "rating_history": ["holding_id", "agency", "rating", "date"],
    "transactions": [
        "txn_id",
        "holding_id",
        "side",
        "trade_date",
        "face_value",
        "price",
        "counterparty",
        "quotes_received",
        "best_quote_taken",
        "single_dealer_reason",
        "rationale",
    ],
    "management_plans": [
        "holding_id",
        "instrument_name",
        "present_value",
        "value_basis",
        "disposal_criteria",
        "approved_on",
    ],
    "fx_needs": ["entity_id", "currency", "annual_payments"],
    "market": ["date", "holding_id", "tenor_years", "yield_pct", "price"],
    "fund_plans": ["entity_id", "fiscal_year", "inflows", "outflows", "direction", "approved_on"],
    "committee_actions": [
        "holding_id",
        "kind",
        "referred_on",
        "decision",
        "decided_on",
        "closed_on",
        "note",
    ],
}

EXTRA = ("market", "fund_plans", "committee_actions")  # loaded only by the modules that use them


def write_csv(
    path: Path, rows: Iterable[Mapping[str, Any]], header: list[str] | None = None
) -> Path:
    rows = list(rows)
    columns = list(header or [])
    for row in rows:
        columns += [c for c in row if c not in columns]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


class World:
    """A workspace with the baseline files; `evaluate(**changes)` evaluates the baseline with
    some files replaced. Each distinct file content is loaded once and remembered, so one
    World can serve a whole test module (a module-scoped fixture) and stay fast."""

    def __init__(self, root: Path, options: str = "") -> None:
        ws = init_workspace(root / "ws", organisation="見本県")
        if options:
            config = ws.root / "mieruka.toml"
            config.write_text(config.read_text(encoding="utf-8") + "\n[packs.funds]\n" + options)
        self.project = Project(open_workspace(ws.root))
        self.data = root / "data"
        self.data.mkdir()
        self.snapshots: dict[tuple[str, str], str] = {}  # (dataset, csv text) -> snapshot hash

    @staticmethod
    def baseline() -> dict[str, list[Row]]:
        return {
            "entities": entities(),
            "funds": funds(),
            "banks": banks(),
            "holdings": holdings(),
            "rating_history": [],
            "transactions": [],
            "management_plans": [],
            "fx_needs": [],
        }

    def load(self, **tables: list[Row]) -> dict[str, str]:
        """Dataset -> snapshot hash of the baseline with `tables` replaced."""
        hashes = {}
        for name, rows in {**self.baseline(), **tables}.items():
            path = write_csv(self.data / f"{name}.csv", rows, HEADERS.get(name))
            text = path.read_text(encoding="utf-8")
            if (name, text) not in self.snapshots:
                self.snapshots[(name, text)] = load(self.project, name, path).snapshot.hash
            hashes[name] = self.snapshots[(name, text)]
        return hashes

    def use(self, **tables: list[Row]) -> dict[str, str]:
        """Make the baseline with `tables` replaced the workspace's current data, including the
        optional files (header-only unless given), as the pack's commands read it."""
        return self.replace(**{**self.baseline(), **{name: [] for name in EXTRA}, **tables})

    def replace(self, **tables: list[Row]) -> dict[str, str]:
        """Make only these files current, leaving the others as they are."""
        hashes = {}
        current = current_snapshots(self.project)
        for name, rows in tables.items():
            path = write_csv(self.data / f"{name}.csv", rows, HEADERS.get(name))
            text = path.read_text(encoding="utf-8")
            known = self.snapshots.get((name, text))
            if known is None or current.get(name) != known:
                self.snapshots[(name, text)] = load(self.project, name, path).snapshot.hash
            hashes[name] = self.snapshots[(name, text)]
        return hashes

    def evaluate(
        self, as_of: date = AS_OF, only: str | None = None, **tables: list[Row]
    ) -> Evaluation:
        """Every rule, or `only` that one (a test of one rule need not pay for the others)."""
        hashes = self.load(**tables)
        specs = self.project.specs
        if only is not None:
            specs = replace(specs, rules={only: specs.rules[only]})
        return compute(self.project, specs, hashes, Period.as_of_date(as_of))

    def violations(self, rule: str, as_of: date = AS_OF, **tables: list[Row]) -> list[Row]:
        result = self.evaluate(as_of, only=rule, **tables)
        assert not {k: v for k, v in result.skipped.items() if k.startswith("funds.")}, (
            result.skipped
        )
        return [v["row"] for v in result.violations if v["rule"] == rule]

    def close(self) -> None:
        self.project.close()


def shared_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Body of each module's `world` fixture (module-scoped: one workspace per module)."""
    w = World(tmp_path_factory.mktemp("funds"))
    yield w
    w.close()
