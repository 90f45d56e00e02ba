"""The J-SOX pack's dashboard page: scope, deficiencies and the journal-entry tests.

Registered as `Pack.pages` (see `mieruka.core.pages`) and mounted at `/packs/icfr`. It reads
one stored run: the scope and the deficiency evaluation are `scoping.scope_locations` and
`assess.assess` over that run's own snapshots with the options the run stored (so they
match the run's `icfr.scope_coverage` and `icfr.deficiencies`); the journal-entry tests
are the run's violations of the pack's rules and its Benford figures.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from mieruka.core.engine import DuckDBEngine
from mieruka.core.pages import (
    PackPage,
    PackPages,
    PageContent,
    PageRequest,
    RunView,
    pack_templates,
    render_page,
)
from mieruka.core.period import Period
from mieruka.core.runs import snapshot_paths
from mieruka.core.schema import Labels
from mieruka.packs.icfr.assess import assess, scope_options
from mieruka.packs.icfr.benford import BAND_CODE, BAND_JA
from mieruka.packs.icfr.deficiency import MATERIAL_WEAKNESS
from mieruka.packs.icfr.scoping import INDICATORS, scope_locations

TEMPLATES = pack_templates(Path(__file__).parent / "templates" / "pages")
BAND_OF_CODE = {code: name for name, code in BAND_CODE.items()}


def _scope(engine: DuckDBEngine, run: RunView) -> dict[str, Any]:
    indicator, threshold, additions = scope_options(run.options("icfr"))
    if "locations" not in engine.tables:
        return {"error": "locations"}
    rows = engine.query(f"SELECT * FROM {engine.tables['locations']}").to_pylist()
    try:
        scope = scope_locations(rows, run.run.fiscal_year or 0, indicator, threshold, additions)
    except ValueError as exc:
        return {"error": str(exc)}
    return {
        "indicator": indicator,
        "indicator_label": INDICATORS[indicator],
        "threshold": str(scope.threshold),
        "ratio": str(round(float(scope.ratio) * 100, 1)),
        "statement": scope.statement(),
        "locations": [
            {
                "location_id": s.location_id,
                "name": s.name,
                "value": s.value,
                "share": str(round(float(s.share) * 100, 1)),
                "cumulative": str(round(float(s.cumulative) * 100, 1)),
                "selected": s in scope.selected,
                "reason": None if s.reason == "threshold" else s.reason,
            }
            for s in sorted(scope.selected + scope.excluded, key=lambda s: -abs(s.value))
        ],
    }


def _deficiencies(engine: DuckDBEngine, run: RunView) -> dict[str, Any]:
    period = Period.from_json(run.params)
    fy, on = period.fiscal_year, period.as_of
    materiality, findings = assess(engine.query, engine.tables, fy, on, run.options("icfr"))
    return {
        "materiality": None if materiality is None else int(materiality),
        "findings": [
            {
                "deficiency_id": f.deficiency_id,
                "classification": f.classification,
                "material_weakness": f.classification == MATERIAL_WEAKNESS,
                "impact": int(f.impact),
                "judgment": f.judgment,
                "reasons": f.reasons,
            }
            for f in findings
        ],
    }


def _je_tests(run: RunView, p: PageRequest) -> dict[str, Any]:
    rules = [
        {
            "id": r["id"],
            "label": p.label(r["label"], r["id"]),
            "severity": r["severity"],
            "count": len(r["violations"]),
            "skipped": r["skipped"],
            "sample": [v["key"] for v in r["violations"][:5]],
        }
        for r in run.rules("icfr")
    ]
    benford = {}
    for indicator, digits in (("icfr.je_benford_first", 1), ("icfr.je_benford_first_two", 2)):
        parts = {m: v for (m,), v in run.breakdown(indicator, "measure").items()}
        mad = run.value(indicator)
        if mad is None:
            continue
        band = BAND_OF_CODE.get(int(parts.get("conformity_band") or 0), "")
        benford[digits] = {
            "mad": str(mad),
            "n": None if parts.get("n") is None else int(parts["n"] or 0),
            "band": band,
            "band_ja": BAND_JA.get(band, band),
            "chi_square": None if parts.get("chi_square") is None else str(parts["chi_square"]),
            "p_value": None if parts.get("p_value") is None else str(parts["p_value"]),
        }
    return {"rules": rules, "benford": benford}


def overview(p: PageRequest) -> PageContent:
    run = p.run()
    engine = DuckDBEngine(snapshot_paths(p.project, run.run.snapshots_dict()))
    try:
        scope, deficiencies = _scope(engine, run), _deficiencies(engine, run)
    finally:
        engine.close()
    je = _je_tests(run, p)
    stored = {m: v for (m,), v in run.breakdown("icfr.deficiencies", "classification").items()}
    data = {
        "run": run.run.id,
        "fiscal_year": run.run.fiscal_year,
        "scope": scope,
        "deficiencies": deficiencies,
        "stored_classification_counts": {
            k: None if v is None else str(v) for k, v in stored.items()
        },
        "journal_entry_tests": je,
    }
    html = render_page(
        TEMPLATES,
        "overview.html",
        p,
        run=run,
        scope=scope,
        deficiencies=deficiencies,
        je=je,
        je_total=sum(r["count"] for r in je["rules"]),
        materiality=Decimal(deficiencies["materiality"]) if deficiencies["materiality"] else None,
    )
    return PageContent(p.t("内部統制（J-SOX）", "Internal control (J-SOX)"), html, data)


PAGES = PackPages(
    pages=(
        PackPage(
            "",
            Labels(ja="評価範囲・不備・仕訳テスト", en="Scope, deficiencies, JE tests"),
            overview,
        ),
    )
)
