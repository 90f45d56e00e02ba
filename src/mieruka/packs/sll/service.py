"""One place that turns a workspace into SLL answers, for the CLI, reports and the demo.

Indicator-fed KPIs read the figure from the ledger: the latest run of the KPI's fiscal
year (a full-year run when there is one). We chose the ledger over re-computing the
indicator because the SLL judges a disclosed, immutable figure: the run id and hash, the
row count and the key fingerprints travel with the value, and `mieruka evidence RUN ID`
lists the rows behind it on the same snapshots. (An in-run pack function could not do
this today: the evaluation `Context` does not expose which `ind_N` table holds which
indicator.)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from mieruka.core.evaluate import evaluate
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.specs import SpecFile, parse_spec_text
from mieruka.core.specset import build_specset
from mieruka.japan.fiscal import FiscalYear
from mieruka.packs.sll.achievement import (
    IndicatorFigure,
    IndicatorLookup,
    KpiResult,
    Options,
    judge_loan,
)
from mieruka.packs.sll.model import DATASET_IDS, Loan, build_loans, read_tables
from mieruka.packs.sll.ratchet import YearAdjustment, margin_path
from mieruka.packs.sll.schedule import Accrual, schedule, totals
from mieruka.packs.sll.schemas import DATASETS
from mieruka.packs.sll.signoff import apply_signoffs, read_signoffs

RULES_FILE = Path(__file__).with_name("rules.yaml")


def options_of(project: Project) -> Options:
    return Options.from_mapping(project.ws.pack_options("sll"))


def load_book(project: Project) -> list[Loan]:
    """The loans as the files say, before any sign-off recorded in the store."""
    return build_loans(read_tables(project), project.ws.settings.fiscal_year_start_month)


def signed_book(project: Project, lookup: IndicatorLookup, options: Options) -> list[Loan]:
    """The loans with the verifiers' sign-offs from the audit log applied (`signoff.py`)."""
    signs = read_signoffs(project.store)
    return [apply_signoffs(loan, signs, lookup, options) for loan in load_book(project)]


def indicator_method(project: Project, indicator: str) -> dict[str, str | None]:
    """The indicator's label and method note ("算出方法") in both languages, when declared."""
    found = project.specs.indicators.get(indicator)
    if found is None:
        return {"ja": None, "en": None, "label_ja": None, "label_en": None}
    method = found.method
    return {
        "ja": method.ja if method else None,
        "en": method.en if method else None,
        "label_ja": found.label.ja,
        "label_en": found.label.en,
    }


def indicator_breakdown(project: Project, run_id: int, indicator: str) -> list[dict[str, Any]]:
    """The figure's breakdown by its dimensions in the same run: the drivers behind it."""
    rows = [
        v
        for v in project.store.values(run_id)
        if v["indicator"] == indicator and v["dims"] and v["value"] is not None
    ]
    return [
        {
            "dims": v["dims"],
            "value": _s(v["value"]),
            "numerator": _s(v["numerator"]),
            "denominator": _s(v["denominator"]),
            "rows": v["rows"],
        }
        for v in sorted(rows, key=lambda v: sorted(v["dims"].items()))
    ]


def ledger_lookup(project: Project) -> IndicatorLookup:
    """Indicator figures from the ledger's latest run of each fiscal year, with evidence."""
    start_month = project.ws.settings.fiscal_year_start_month
    cache: dict[int, dict[str, dict[str, Any]]] = {}

    def figures(fy: int) -> dict[str, dict[str, Any]]:
        if fy not in cache:
            runs = [r for r in project.store.runs() if r.fiscal_year == fy]
            full = [r for r in runs if r.as_of == FiscalYear(fy, start_month).end]
            chosen = (full or runs)[-1:] if runs else []
            cache[fy] = {}
            for run in chosen:
                for v in project.store.values(run.id):
                    if not v["dims"]:
                        cache[fy][v["indicator"]] = {**v, "run": run.id, "run_hash": run.run_hash}
        return cache[fy]

    def lookup(indicator: str, fy: int) -> IndicatorFigure | None:
        found = figures(fy).get(indicator)
        if found is None or found["value"] is None:
            return None
        evidence = {
            "indicator": indicator,
            "fiscal_year": fy,
            "run": found["run"],
            "run_hash": found["run_hash"],
            "rows": found["rows"],
            "numerator": _s(found["numerator"]),
            "denominator": _s(found["denominator"]),
            "fp_numerator": found["fp_numerator"],
            "fp_denominator": found["fp_denominator"],
            "open_rows": f"mieruka evidence {found['run']} {indicator}",
        }
        return IndicatorFigure(found["value"], evidence)

    return lookup


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def analyse(
    loan: Loan,
    as_of: date,
    lookup: IndicatorLookup | None,
    options: Options,
    projections: Mapping[tuple[str, int], str] | None = None,
) -> tuple[list[KpiResult], list[YearAdjustment], list[Accrual]]:
    """SPT results, the margin path and the interest schedule of one loan."""
    results = judge_loan(loan, as_of, lookup=lookup, options=options, projections=projections)
    path = margin_path(loan, results, options)
    return results, path, schedule(loan, path)


def loan_json(
    loan: Loan,
    results: list[KpiResult],
    path: list[YearAdjustment],
    rows: list[Accrual],
) -> dict[str, Any]:
    return {
        "loan_id": loan.loan_id,
        "borrower": loan.borrower,
        "lender": loan.lender,
        "principal": loan.principal,
        "start_date": loan.start_date.isoformat(),
        "maturity_date": loan.maturity_date.isoformat(),
        "base_rate_pct": str(loan.base_rate_pct),
        "ratchet": {
            "step_bp": str(loan.ratchet_step_bp),
            "mode": loan.ratchet_mode,
            "basis": loan.ratchet_basis,
            "cap_bp": None if loan.ratchet_cap_bp is None else str(loan.ratchet_cap_bp),
        },
        "spts": [r.to_json() for r in results],
        "margin_path": [p.to_json() for p in path],
        "schedule": [r.to_json() for r in rows],
        "totals": totals(rows),
    }


def integrity_issues(project: Project, fy: int) -> list[dict[str, Any]]:
    """The pack's cross-dataset rules on the latest snapshots, as a run would report them."""
    latest = project.store.latest_snapshots()
    snapshots = {d: project.snapshot_path(latest[d].path) for d in DATASET_IDS if d in latest}
    specs = build_specset(
        [
            SpecFile(datasets=DATASETS),
            parse_spec_text(RULES_FILE.read_text(encoding="utf-8"), "sll:rules.yaml", pack="sll"),
        ]
    )
    period = Period.for_fiscal_year(fy, project.ws.settings.fiscal_year_start_month)
    return evaluate(specs, snapshots, period).violations
