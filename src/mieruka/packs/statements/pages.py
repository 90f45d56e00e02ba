"""The statements pack's dashboard page: the check status of schedule (1), 固定資産の明細.

Registered as `Pack.pages` (see `mieruka.core.pages`) and mounted at `/packs/statements`.
For one stored run it shows the verdicts the run stored (`st.fa_built_schedule_errors`,
`st.fa_prepared_schedule_errors`), the pack's rules with their violations or why they were
skipped, and the findings behind each verdict: `check.check_schedule` over the schedule
`schedule.build_schedule` builds from the run's own `fixed_assets` snapshot, and over the
prepared `schedule_fixed_assets` the run used — errors, and the differences that 千円
truncation explains (listed, not failed).
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
from mieruka.core.period import Period
from mieruka.core.runs import snapshot_paths
from mieruka.core.schema import Labels
from mieruka.packs.statements.build import asset_from_record
from mieruka.packs.statements.check import CheckReport, check_schedule
from mieruka.packs.statements.reader import row_from_record
from mieruka.packs.statements.schedule import build_schedule

TEMPLATES = pack_templates(Path(__file__).parent / "templates" / "pages")
CHECKS = (
    ("built", "st.fa_built_schedule_errors", "fixed_assets"),
    ("prepared", "st.fa_prepared_schedule_errors", "schedule_fixed_assets"),
)


def _records(engine: DuckDBEngine, dataset: str) -> list[dict[str, Any]] | None:
    if dataset not in engine.tables:
        return None
    rows = engine.query(f"SELECT * FROM {engine.tables[dataset]}").to_pylist()
    return [{k: v for k, v in r.items() if k != "__row"} for r in rows]


def _report(kind: str, records: list[dict[str, Any]], run: RunView) -> CheckReport | str:
    if kind == "built":
        period = Period.from_json(run.params)
        assets = [asset_from_record(r) for r in records]
        schedule = build_schedule(assets, period.fiscal_year, period.start, period.end)
        return check_schedule(schedule.rows)
    try:
        return check_schedule([row_from_record(r) for r in records])
    except ValueError as exc:
        return str(exc)


def status(p: PageRequest) -> PageContent:
    run = p.run()
    engine = DuckDBEngine(snapshot_paths(p.project, run.run.snapshots_dict()))
    checks = []
    try:
        for kind, indicator, dataset in CHECKS:
            records = _records(engine, dataset)
            report = None if records is None else _report(kind, records, run)
            stored = run.value(indicator)
            checks.append(
                {
                    "kind": kind,
                    "indicator": indicator,
                    "dataset": dataset,
                    "label": p.label((run.indicator(indicator) or {}).get("label"), indicator),
                    "stored_errors": None if stored is None else int(stored),
                    "report": report.to_dict() if isinstance(report, CheckReport) else None,
                    "problem": report if isinstance(report, str) else None,
                    "findings": [str(f) for f in report.findings]
                    if isinstance(report, CheckReport)
                    else [],
                }
            )
    finally:
        engine.close()
    rules = run.rules("statements")
    data = {
        "run": run.run.id,
        "fiscal_year": run.run.fiscal_year,
        "checks": [{k: v for k, v in c.items() if k != "findings"} for c in checks],
        "rules": [
            {
                "rule": r["id"],
                "skipped": r["skipped"],
                "violations": [v["key"] for v in r["violations"]],
            }
            for r in rules
        ],
    }
    html = render_page(TEMPLATES, "status.html", p, run=run, checks=checks, rules=rules)
    return PageContent(p.t("附属明細書の検査", "Schedule checks"), html, data)


PAGES = PackPages(
    pages=(PackPage("", Labels(ja="明細書の検査状況", en="Schedule check status"), status),)
)
