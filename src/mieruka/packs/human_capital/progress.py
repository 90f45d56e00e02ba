"""KPI progress: every `hc.` indicator with a target in the workspace's specs, per fiscal year.

The statuses are the ones each run recorded (`met`, `missed`, `no_data`) when it compared
the rounded figure with the target — the report does not re-judge them, so it agrees with
`mieruka show` and the ledger. Earlier years come from the latest run of each year made no
later than the report's own run (a report never looks ahead of its run); a year in which
an indicator had no target still shows the figure, marked "no target".
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from mieruka.core.issues import Issue, MierukaError
from mieruka.packs.human_capital.disclosure import latest_run

YEARS = 5  # fiscal years shown, the report's own year last


def _runs(project: Any, fy: int, years: int) -> dict[int, Any]:
    own = latest_run(project, fy)
    found: dict[int, Any] = {fy: own}
    for r in project.store.runs():
        year = r.fiscal_year
        in_range = year is not None and fy - years < year < fy and r.id <= own.id
        if in_range and (year not in found or found[year].id < r.id):
            found[year] = r
    return dict(sorted(found.items()))


def _key(indicator: str, dims: dict[str, Any]) -> tuple[str, str]:
    return indicator, json.dumps(dims, sort_keys=True, ensure_ascii=False)


def kpi_progress(project: Any, fy: int, years: int = YEARS) -> dict[str, Any]:
    """Value, target and status per targeted `hc.` figure and fiscal year, as data."""
    if years < 1:
        raise MierukaError(Issue("--years must be at least 1", found=str(years)))
    runs = _runs(project, fy, years)
    spec = json.loads(project.store.spec(runs[fy].spec_hash))
    specs = {i["id"]: i for i in spec["indicators"]}
    targets: dict[int, dict[tuple[str, str], dict[str, Any]]] = {}
    values: dict[int, dict[tuple[str, str], Any]] = {}
    keys: dict[tuple[str, str], dict[str, Any]] = {}
    for year, run in runs.items():
        targets[year] = {}
        for t in project.store.targets(run.id):
            if t["indicator"].startswith("hc.") and t["status"] != "no_target":
                targets[year][_key(t["indicator"], t["dims"])] = t
                keys.setdefault(_key(t["indicator"], t["dims"]), t["dims"])
        values[year] = {
            _key(v["indicator"], v["dims"]): v["value"] for v in project.store.values(run.id)
        }
    order = {ind: n for n, ind in enumerate(specs)}
    rows = []
    for key in sorted(keys, key=lambda k: (order.get(k[0], len(order)), k)):
        indicator, _ = key
        ind = specs.get(indicator, {})
        per_year = []
        for year in runs:
            t = targets[year].get(key)
            per_year.append(
                {
                    "fiscal_year": year,
                    "run": runs[year].id,
                    "value": _dec(t["value"] if t else values[year].get(key)),
                    "comparator": t["comparator"] if t else None,
                    "target": _dec(t["target"]) if t else None,
                    "status": t["status"] if t else "no_target",
                }
            )
        rows.append(
            {
                "indicator": indicator,
                "label": ind.get("label", {}),
                "unit": ind.get("unit", ""),
                "dims": keys[key],
                "years": per_year,
            }
        )
    return {
        "fiscal_year": fy,
        "runs": {year: run.id for year, run in runs.items()},
        "rows": rows,
        "summary": summary(rows, fy),
    }


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def summary(rows: list[dict[str, Any]], fy: int) -> dict[str, int]:
    """How many targeted figures of the report's own year were met, missed or had no data."""
    counts = {"met": 0, "missed": 0, "no_data": 0}
    for row in rows:
        status = next(y["status"] for y in row["years"] if y["fiscal_year"] == fy)
        if status in counts:
            counts[status] += 1
    return counts
