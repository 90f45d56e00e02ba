"""The rows behind a figure, re-derived from the run's immutable snapshots.

A run stores, for every figure, the count and a fingerprint of the key sets behind it
(see `aggregate.py`). Here the formula is re-run against the same snapshots with the
same parameters, restricted to the figure's dimensions; the keys found must reproduce the
stored fingerprint, otherwise the evidence is reported as not matching.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mieruka.core.aggregate import BLANK, aggregation_sql, check_columns, fingerprint
from mieruka.core.evaluate import Evaluator
from mieruka.core.issues import Issue, MierukaError, did_you_mean
from mieruka.core.project import Project
from mieruka.core.runs import project_engine, run_period, run_specs, snapshot_paths
from mieruka.core.store import RunRecord


@dataclass
class Evidence:
    indicator: str
    dims: dict[str, str]
    stored: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)
    numerator_keys: list[Any] = field(default_factory=list)
    denominator_keys: list[Any] = field(default_factory=list)
    derived_from: list[str] = field(default_factory=list)
    matches: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "dims": self.dims,
            "value": None if self.stored["value"] is None else str(self.stored["value"]),
            "matches_run": self.matches,
            "numerator_keys": self.numerator_keys,
            "denominator_keys": self.denominator_keys,
            "derived_from": self.derived_from,
            "rows": self.rows,
        }


def _dim_filter(column: str, value: str) -> str:
    if value == BLANK:
        return f'"{column}" IS NULL'
    return f'CAST("{column}" AS VARCHAR) = {_literal(value)}'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def indicator_evidence(
    project: Project, run: RunRecord, indicator: str, dims: dict[str, str]
) -> Evidence:
    specs = run_specs(project, run)
    if indicator not in specs.indicators:
        raise MierukaError(
            Issue(
                f"run {run.id} has no indicator '{indicator}'{did_you_mean(indicator, specs.indicators)}"
            )
        )
    ind = specs.indicators[indicator]
    unknown = [d for d in dims if d not in ind.by]
    if unknown:
        raise MierukaError(
            Issue(
                f"{indicator} cannot be broken down by {', '.join(unknown)}",
                expected=", ".join(ind.by) or "no dimensions",
                found=", ".join(unknown),
            )
        )
    stored = next(
        (
            v
            for v in project.store.values(run.id)
            if v["indicator"] == indicator and v["dims"] == dims
        ),
        None,
    )
    if stored is None:
        raise MierukaError(
            Issue(
                f"run {run.id} has no figure for {indicator} with {json.dumps(dims, ensure_ascii=False)}"
            )
        )
    evidence = Evidence(indicator, dims, stored)
    if ind.aggregate == "value":
        evidence.derived_from = list(specs.dependencies(indicator))
        return evidence
    period = run_period(run)
    ev = Evaluator(
        specs,
        snapshot_paths(project, json.loads(run.snapshots)),
        period,
        project.functions,
        project.options,
        project_engine(project),
    )
    try:
        for dep in specs.order:  # dependencies must be published for ind() references
            if dep == indicator:
                break
            if dep in specs.dependencies(indicator) and not ev.missing_inputs(dep):
                ev.publish(specs.indicators[dep], ev.indicator(specs.indicators[dep]))
        if ev.missing_inputs(indicator):
            return evidence
        sql = ev.formula_sql(ind)
        columns = ev.engine.describe(sql)
        check_columns(ind, columns)
        where = " AND ".join(_dim_filter(k, v) for k, v in dims.items()) or "TRUE"
        filtered = f"SELECT * FROM ({sql}) AS f WHERE {where}"
        table = ev.engine.query(f"{filtered} ORDER BY key")
        evidence.rows = [{k: _plain(v) for k, v in r.items()} for r in table.to_pylist()]
        total = ind.model_copy(update={"by": ()})
        agg = ev.engine.rows(aggregation_sql(total, filtered, columns))[0]
        n_num, n_den, fp_num, fp_den = agg[3:7]
        matches = fingerprint(n_den, fp_den) == stored["fp_denominator"]
        if ind.aggregate == "ratio":
            matches = matches and fingerprint(n_num, fp_num) == stored["fp_numerator"]
            evidence.numerator_keys = [
                r["key"] for r in evidence.rows if _truthy(r.get("numerator"))
            ]
            evidence.denominator_keys = [
                r["key"] for r in evidence.rows if _truthy(r.get("denominator"))
            ]
        else:
            evidence.denominator_keys = [
                r["key"]
                for r in evidence.rows
                if ind.aggregate == "count" or r.get("value") is not None
            ]
        evidence.matches = matches
    finally:
        ev.close()
    return evidence


def _truthy(value: Any) -> bool:
    return bool(value) and value is not None


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value.__class__.__name__ == "Decimal":
        return str(value)
    return value
