"""The SLL book as plain Python values, read from the latest snapshots of the five datasets.

The calculations (achievement, ratchet, schedule) work on these frozen values only, so
they are tested with loans written inline, and a run, a CLI command or a report all see
the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import duckdb

from mieruka.core.project import Project
from mieruka.japan.fiscal import FiscalYear
from mieruka.packs.sll.checks import month_day

DATASET_IDS = ("loans", "repayments", "loan_kpis", "spts", "observations")


@dataclass(frozen=True)
class Kpi:
    kpi_id: str
    label: str
    unit: str
    comparator: str  # >=, <= or done
    source: str = "manual"

    @property
    def indicator(self) -> str | None:
        return self.source.split(":", 1)[1] if self.source.startswith("indicator:") else None


@dataclass(frozen=True)
class Observation:
    kpi_id: str
    fiscal_year: int
    value: str | None
    reported_on: date | None = None
    evidence_ref: str | None = None
    verified_by: str | None = None
    verified_on: date | None = None
    verification: str | None = None
    # the verifier's sign-off recorded in the store's audit log (see `signoff.py`), if any:
    # by, on, result, at, hash and `current` (False when the signed content has changed)
    signoff: dict[str, Any] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Loan:
    loan_id: str
    borrower: str
    lender: str
    principal: int
    start_date: date
    maturity_date: date
    base_rate_pct: Decimal
    ratchet_step_bp: Decimal
    ratchet_mode: str = "symmetric"
    ratchet_basis: str = "each_kpi"
    judgment_date: str = "07-31"
    report_deadline_days: int = 90
    ratchet_cap_bp: Decimal | None = None
    start_month: int = 4
    kpis: tuple[Kpi, ...] = ()
    spts: dict[tuple[str, int], str] = field(default_factory=dict)  # (kpi, fy) -> target
    observations: dict[tuple[str, int], Observation] = field(default_factory=dict)
    repayments: tuple[tuple[date, int], ...] = ()  # (date, amount), by date

    def kpi(self, kpi_id: str) -> Kpi | None:
        return next((k for k in self.kpis if k.kpi_id == kpi_id), None)

    @property
    def fiscal_years(self) -> list[int]:
        """The fiscal years that carry an SPT, in order: the years that are judged."""
        return sorted({fy for _, fy in self.spts})

    def deadline(self, fy: int) -> date:
        """The last day on which the year's report (and its verification) counts."""
        end = FiscalYear(fy, self.start_month).end
        return end + timedelta(days=self.report_deadline_days)

    def baseline(self, kpi_id: str) -> Observation | None:
        """The baseline: the latest reported value for a year before the KPI's first SPT.

        A baseline year is loaded as an ordinary observation row (e.g. paid leave 48 % in
        FY2022 for SPTs from FY2023); it is never judged, because it has no SPT.
        """
        years = [fy for k, fy in self.spts if k == kpi_id]
        if not years:
            return None
        before = [
            o
            for (k, fy), o in self.observations.items()
            if k == kpi_id and fy < min(years) and o.value not in (None, "")
        ]
        return max(before, key=lambda o: o.fiscal_year) if before else None

    def judgment_day(self, fy: int) -> date:
        """The first judgment date (month-day) after the fiscal year's end."""
        md = month_day(self.judgment_date) or (7, 31)
        end = FiscalYear(fy, self.start_month).end
        day = date(end.year, *md)
        return day if day > end else date(end.year + 1, *md)


def _read(con: duckdb.DuckDBPyConnection, path: str) -> list[dict[str, Any]]:
    literal = path.replace("'", "''")
    table = con.sql(f"SELECT * FROM read_parquet('{literal}')").to_arrow_table()
    return list(table.to_pylist())


def read_tables(project: Project) -> dict[str, list[dict[str, Any]]]:
    """Rows of the latest snapshot of each SLL dataset (an empty list when never loaded)."""
    latest = project.store.latest_snapshots()
    con = duckdb.connect(":memory:")
    try:
        return {
            ds: _read(con, str(project.snapshot_path(latest[ds].path))) if ds in latest else []
            for ds in DATASET_IDS
        }
    finally:
        con.close()


def build_loans(tables: dict[str, list[dict[str, Any]]], start_month: int = 4) -> list[Loan]:
    """Loans with their KPIs, SPTs, observations and repayments attached, by loan id."""
    out = []
    for row in sorted(tables["loans"], key=lambda r: r["loan_id"]):
        lid = row["loan_id"]
        mine = {ds: [r for r in tables[ds] if r["loan_id"] == lid] for ds in DATASET_IDS[1:]}
        cap = row.get("ratchet_cap_bp")
        out.append(
            Loan(
                loan_id=lid,
                borrower=row["borrower"],
                lender=row["lender"],
                principal=int(row["principal"]),
                start_date=row["start_date"],
                maturity_date=row["maturity_date"],
                base_rate_pct=Decimal(row["base_rate_pct"]),
                ratchet_step_bp=Decimal(row["ratchet_step_bp"]),
                ratchet_mode=row["ratchet_mode"],
                ratchet_basis=row["ratchet_basis"],
                judgment_date=row["judgment_date"],
                report_deadline_days=int(row["report_deadline_days"]),
                ratchet_cap_bp=None if cap is None else Decimal(cap),
                start_month=start_month,
                kpis=tuple(
                    Kpi(
                        k["kpi_id"], k["label"], k["unit"], k["comparator"], k["source"] or "manual"
                    )
                    for k in sorted(mine["loan_kpis"], key=lambda k: k["kpi_id"])
                ),
                spts={(s["kpi_id"], int(s["fiscal_year"])): s["target"] for s in mine["spts"]},
                observations={
                    (o["kpi_id"], int(o["fiscal_year"])): Observation(
                        o["kpi_id"],
                        int(o["fiscal_year"]),
                        o["value"],
                        o["reported_on"],
                        o["evidence_ref"],
                        o["verified_by"],
                        o["verified_on"],
                        o["verification"],
                    )
                    for o in mine["observations"]
                },
                repayments=tuple(sorted((r["date"], int(r["amount"])) for r in mine["repayments"])),
            )
        )
    return out
