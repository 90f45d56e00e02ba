"""The public-funds pack's dashboard page: holdings, guideline violations and actions.

Registered as `Pack.pages` (see `mieruka.core.pages`) and mounted at `/packs/funds`. It reads
one stored run: the figures per entity the run stored (present value, unrealised gain or
loss, BPV, the +100bp shock), the violations of the guideline's rules with the action each
rule prescribes, and the holdings held on the run's date — `valuation.HOLDINGS_SQL` over
the run's own snapshots — with the violations that name each holding.
"""

from __future__ import annotations

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
from mieruka.core.runs import snapshot_paths
from mieruka.core.schema import Labels
from mieruka.packs.funds.valuation import HOLDINGS_SQL

TEMPLATES = pack_templates(Path(__file__).parent / "templates" / "pages")
FIGURES = (
    ("funds.present_value", "時価（現在価値）", "Present value"),
    ("funds.unrealised_gain", "評価損益", "Unrealised gain (loss)"),
    ("funds.bpv", "BPV（1bp上昇）", "BPV (1bp up)"),
    ("funds.shock_100bp", "金利100bp上昇時の損益", "P&L at +100bp"),
)


def _holdings(p: PageRequest, run: RunView) -> list[dict[str, Any]]:
    engine = DuckDBEngine(snapshot_paths(p.project, run.run.snapshots_dict()))
    try:
        if not {"holdings", "funds"} <= set(engine.tables):
            return []
        names = {d: engine.tables[d] for d in ("holdings", "funds")}
        table = engine.query(HOLDINGS_SQL.format(as_of=run.run.as_of, **names))
        return [
            {
                "holding_id": r["holding_id"],
                "entity_id": r["entity_id"],
                "fund_id": r["fund_id"],
                "instrument_type": r["instrument_type"],
                "currency": r["currency"],
                "face": r["face"],
                "book": r["book"],
                "maturity_date": None if r["maturity_date"] is None else str(r["maturity_date"]),
            }
            for r in table.to_pylist()
        ]
    finally:
        engine.close()


def overview(p: PageRequest) -> PageContent:
    run = p.run()
    entity_filter = p.param("entity")
    figures: list[dict[str, Any]] = []
    for indicator, ja, en in FIGURES:
        by_entity = {e: v for (e,), v in run.breakdown(indicator, "entity_id").items()}
        figures.append(
            {
                "id": indicator,
                "label": p.t(ja, en),
                "total": run.value(indicator),
                "by_entity": by_entity,
            }
        )
    entities = sorted({e for f in figures for e in f["by_entity"]})
    rules = [r for r in run.rules("funds") if r["violations"] or r["skipped"]]
    named: dict[str, list[str]] = {}
    for r in rules:
        for v in r["violations"]:
            if "holding_id" in v["key"]:
                named.setdefault(str(v["key"]["holding_id"]), []).append(r["id"])
    holdings = [
        {**h, "rules": named.get(str(h["holding_id"]), [])}
        for h in _holdings(p, run)
        if entity_filter is None or h["entity_id"] == entity_filter
    ]
    data = {
        "run": run.run.id,
        "as_of": run.run.as_of.isoformat() if run.run.as_of else None,
        "figures": [
            {
                "indicator": f["id"],
                "total": None if f["total"] is None else str(f["total"]),
                "by_entity": {e: None if v is None else str(v) for e, v in f["by_entity"].items()},
            }
            for f in figures
        ],
        "violations": [
            {
                "rule": r["id"],
                "severity": r["severity"],
                "label": r["label"],
                "action": r["action"],
                "skipped": r["skipped"],
                "rows": [v["key"] for v in r["violations"]],
            }
            for r in rules
        ],
        "holdings": holdings,
    }
    html = render_page(
        TEMPLATES,
        "overview.html",
        p,
        run=run,
        figures=figures,
        entities=entities,
        rules=rules,
        holdings=holdings,
        entity_filter=entity_filter,
        errors=sum(len(r["violations"]) for r in rules if r["severity"] == "error"),
    )
    return PageContent(p.t("公金運用", "Public funds"), html, data)


PAGES = PackPages(
    pages=(
        PackPage("", Labels(ja="保有・違反・対応", en="Holdings, violations, actions"), overview),
    )
)
