"""The funds rules' findings for a date, computed without recording a run.

`mieruka run` records the same rules in the ledger; the pack's commands (check, report,
actions, plan) need the findings of one date on demand, so they evaluate only the funds
rules and indicators over the current snapshots, the same way the run does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from mieruka.core.engine import DuckDBEngine
from mieruka.core.issues import Issue, MierukaError
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.runs import compute, current_snapshots, snapshot_paths

Finding = dict[str, Any]


def check_rows(project: Project, period: Period) -> tuple[list[Finding], dict[str, str]]:
    """The funds rules' violations for the period, each with its label and action."""
    specs = project.specs.of_pack("funds")
    result = compute(project, specs, current_snapshots(project), period)
    lang = project.ws.settings.language
    out = []
    for v in result.violations:
        rule = specs.rules[v["rule"]]
        out.append(
            {
                "rule": v["rule"],
                "severity": v["severity"],
                "label": rule.label.get(lang),
                "action": rule.action.get(lang) if rule.action else "",
                "key": v["key"],
                "figures": v["row"],
            }
        )
    skipped = {k: why for k, why in result.skipped.items() if k.startswith("funds.")}
    return out, skipped


@dataclass
class Snapshots:
    """The current snapshots in DuckDB, shaped like a pack function's context (`valued`)."""

    engine: DuckDBEngine
    period: Period
    tables: dict[str, str] = field(default_factory=dict)

    def sql(self, query: str) -> pa.Table:
        return self.engine.query(query)

    def rows(self, dataset: str, columns: str, where: str = "TRUE") -> list[dict[str, Any]]:
        """Rows of a dataset as dicts ([] when it was never loaded)."""
        if dataset not in self.tables:
            return []
        return self.sql(f"SELECT {columns} FROM {self.tables[dataset]} WHERE {where}").to_pylist()

    def at(self, period: Period) -> Snapshots:
        return Snapshots(self.engine, period, self.tables)


@contextmanager
def snapshots(project: Project, period: Period, need: tuple[str, ...] = ()) -> Iterator[Snapshots]:
    engine = DuckDBEngine(snapshot_paths(project, current_snapshots(project)))
    try:
        missing = [d for d in need if d not in engine.tables]
        if missing:
            raise MierukaError(
                Issue(
                    f"load the {', '.join(missing)} file(s) first (mieruka load <dataset> <file>)"
                )
            )
        yield Snapshots(engine, period, dict(engine.tables))
    finally:
        engine.close()


def quote(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
