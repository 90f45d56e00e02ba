"""A run's rules and the rows that violate them, as the run stored them (never re-evaluated).

A rule's violations are kept in the ledger with the run: each with the rule's key columns
and the values of the violating row as the rule's query returned them. The run page lists
every rule with its severity and count; the rule page shows the rows, 50 a page, the key
columns first; the CSV download has every row (cells a spreadsheet would evaluate as a
formula are quoted, as for the evidence downloads).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from mieruka.core.store import RunRecord
from mieruka.web.data import Dashboard, NotFound
from mieruka.web.evidence import MAX_PER_PAGE, PER_PAGE, _cell

SEVERITY_ORDER = ("error", "warning", "info")


def _counts(dash: Dashboard, run: RunRecord) -> dict[str, int]:
    """Violations by rule (a run never changes, so this is kept with the run's other reads)."""

    def make() -> dict[str, int]:
        found: dict[str, int] = {}
        for v in dash.store.violations(run.id):
            found[v["rule"]] = found.get(v["rule"], 0) + 1
        return found

    counts: dict[str, int] = dash._cache.get(("rule_counts", run.id), make)
    return dict(counts)


def run_rules(dash: Dashboard, run: RunRecord) -> list[dict[str, Any]]:
    """Every rule of the run: id, label, pack, severity, action, skipped, violations (count);
    the violated first (errors before warnings), then the others in the spec's order."""
    skipped = dash.summary(run).get("skipped", {})
    counts = _counts(dash, run)
    rules = [
        {
            "id": r["id"],
            "label": r.get("label") or {},
            "pack": r.get("pack") or "",
            "severity": r.get("severity", "error"),
            "action": r.get("action") or {},
            "skipped": skipped.get(r["id"]),
            "violations": counts.get(r["id"], 0),
        }
        for r in dash.spec(run).get("rules", [])
    ]

    def order(rule: dict[str, Any]) -> tuple[int, int]:
        if not rule["violations"]:
            return (1, 0)
        severity = rule["severity"]
        rank = SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else 0
        return (0, rank)

    return sorted(rules, key=order)


def rule_spec(dash: Dashboard, run: RunRecord, rule: str) -> dict[str, Any]:
    for r in dash.spec(run).get("rules", []):
        if r["id"] == rule:
            return dict(r)
    raise NotFound(f"run {run.id} has no rule '{rule}'")


def _table(spec: dict[str, Any], stored: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """(key columns in the order the rule names them, the other columns as stored)."""
    keys = list(spec.get("key") or [])
    for v in stored:
        keys += [k for k in v["key"] if k not in keys]
    others: list[str] = []
    for v in stored:
        others += [c for c in v["row"] if c not in keys and c not in others]
    return keys, others


def _line(v: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    return {c: v["row"].get(c, v["key"].get(c)) for c in columns}


def violations_of(
    dash: Dashboard, run: RunRecord, rule: str, page: int = 1, per_page: int = PER_PAGE
) -> dict[str, Any]:
    """One page of a rule's violating rows, with the rule itself and the run it is from."""
    spec = rule_spec(dash, run, rule)
    stored = dash.store.violations(run.id, rule)
    keys, others = _table(spec, stored)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    total = len(stored)
    pages = max(1, -(-total // per_page))
    page = max(1, min(page, pages))
    shown = stored[(page - 1) * per_page : page * per_page]
    return {
        "run": run.id,
        "rule": {
            "id": spec["id"],
            "label": spec.get("label") or {},
            "pack": spec.get("pack") or "",
            "severity": spec.get("severity", "error"),
            "action": spec.get("action") or {},
            "key": list(spec.get("key") or []),
            "formula": spec.get("formula", ""),
            "source": spec.get("source"),
            "skipped": dash.summary(run).get("skipped", {}).get(rule),
        },
        "total": total,
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "key_columns": keys,
        "columns": keys + others,
        "rows": [
            {"seq": v["seq"], "key": v["key"], "values": _line(v, keys + others)} for v in shown
        ],
    }


def violations_csv(dash: Dashboard, run: RunRecord, rule: str) -> bytes:
    """Every violating row of the rule: seq, the key columns, the other columns."""
    spec = rule_spec(dash, run, rule)
    stored = dash.store.violations(run.id, rule)
    keys, others = _table(spec, stored)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["seq", *keys, *others])
    for v in stored:
        line = _line(v, keys + others)
        writer.writerow([v["seq"], *[_cell(line[c]) for c in keys + others]])
    return out.getvalue().encode("utf-8-sig")


def download_name(rule: str, run_id: int) -> str:
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in rule)
    return f"violations_{safe}_run{run_id}.csv"
