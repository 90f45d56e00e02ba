"""Run comparisons and sign-offs as the dashboard reads them.

A sign-off is an audit-log entry (`run.signoff`, target `run:N`, after-hash = the run's
hash): the ledger itself is never written to, and who signed what stays on record.
"""

from __future__ import annotations

from typing import Any

from mieruka.core.diff import diff_runs
from mieruka.core.store import Store
from mieruka.web.data import Dashboard


def diff_runs_checked(dash: Dashboard, a: int, b: int) -> dict[str, Any]:
    dash.run(a), dash.run(b)  # 404 for a run that does not exist
    return diff_runs(dash.project, a, b)


def signoffs(store: Store) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    for entry in store.audit_log():
        target = str(entry["target"])
        if entry["action"] == "run.signoff" and target.startswith("run:"):
            found.setdefault(int(target[4:]), []).append(
                {
                    "actor": entry["actor"],
                    "at": entry["at"].isoformat(),
                    "hash": entry["after_hash"],
                }
            )
    return found
