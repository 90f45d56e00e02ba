"""Evaluate a spec set for a period: indicators in dependency order, then targets and rules.

This is a pure function of (specs, snapshots, period, pack functions): it reads only the
snapshots it is given and returns plain rows; storing them in the ledger is `runs.py`'s job.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from mieruka.core import sqlsafety
from mieruka.core.aggregate import (
    aggregation_sql,
    check_columns,
    dim_text,
    empty_total,
    group_rows,
    to_decimal,
)
from mieruka.core.common_tables import CommonTables, shared_ctes
from mieruka.core.engine import (
    DuckDBFactory,
    Engine,
    EngineError,
    EngineFactory,
    EngineRefusal,
    indicator_table_name,
)
from mieruka.core.issues import Issue, MierukaError
from mieruka.core.keyhash import datasets_to_key, keyed_copy, read_key_hash
from mieruka.core.period import Period
from mieruka.core.specs import Indicator, Rule, split_source
from mieruka.core.specset import SpecSet

Progress = Callable[[str], None]


@dataclass
class Evaluation:
    values: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    violations: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # id -> why it has no data


@dataclass
class Context:
    """What a pack function receives: the engine, the period and the workspace's pack options."""

    engine: Engine
    period: Period
    indicator: Indicator
    options: Mapping[str, Any]
    tables: Mapping[str, str]  # dataset id -> table name
    indicators: Mapping[str, str] = field(
        default_factory=dict
    )  # indicator id -> table (by dims, value)

    def sql(self, text: str) -> pa.Table:
        return self.engine.query(text)


class Evaluator:
    def __init__(
        self,
        specs: SpecSet,
        snapshots: Mapping[str, Path],
        period: Period,
        functions: Mapping[str, Callable[[Context], pa.Table]] | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        engine: EngineFactory | None = None,
        keyed_cache: Path | None = None,
    ) -> None:
        """`keyed_cache`: where keyed copies of snapshots are kept (see `keyhash`); None
        hashes every key in every formula (`verify` and `evidence` re-compute that way)."""
        self.specs = specs
        self.period = period
        self.functions = functions or {}
        self.options = options or {}
        self.hashed: dict[str, str] = {}  # dataset -> key column whose hash a copy stores
        factory = engine or DuckDBFactory()
        if keyed_cache is not None and isinstance(factory, DuckDBFactory):
            formulas = [
                specs.formulas[i].tables
                for i, ind in specs.indicators.items()
                if i in specs.formulas and ind.aggregate != "value"
            ]
            self.hashed = {
                d: k for d, k in datasets_to_key(formulas, specs.datasets).items() if d in snapshots
            }
            copies = {d: keyed_copy(snapshots[d], k, keyed_cache) for d, k in self.hashed.items()}
            self.engine: Engine = factory(snapshots, keyed=copies)
        else:
            self.engine = factory(snapshots)
        self.ind_tables: dict[str, str] = {}
        self.rule_tables: dict[str, str] = {}  # rule id -> its rows, for rule('id')
        self.read_rules = {r for f in specs.formulas.values() for r in f.rules}
        self.available = set(snapshots)
        rule_trees = [specs.formulas[r].tree for r in specs.rules if r in specs.formulas]
        self.common = CommonTables(shared_ctes(rule_trees), self.engine.materialise)

    def close(self) -> None:
        self.engine.close()

    def bind(self, item_id: str) -> str:
        parsed = self.specs.formulas[item_id]
        return sqlsafety.bind(parsed, self.period.params(), self.engine.tables, self.ind_tables)

    def missing_inputs(self, item_id: str) -> str | None:
        """Why an indicator or rule cannot be evaluated (a dataset not loaded…), or None."""
        parsed = self.specs.formulas.get(item_id)
        rules: tuple[str, ...] = ()
        if parsed is not None:
            tables, indicators = set(parsed.tables), list(parsed.indicators)
            rules = parsed.rules
        else:  # a pack function: its declared `needs`
            needs = self.specs.indicators[item_id].needs
            tables = {n for n in needs if n in self.specs.datasets}
            indicators = [n for n in needs if n in self.specs.indicators]
        lacking = sorted(t for t in tables if t not in self.available)
        if lacking:
            return "dataset(s) not loaded: " + ", ".join(lacking)
        unready = [i for i in indicators if i not in self.ind_tables]
        if unready:
            return "indicator(s) without data: " + ", ".join(unready)
        unready = [r for r in rules if r not in self.rule_tables]
        return "rule(s) without data: " + ", ".join(unready) if unready else None

    def formula_sql(self, ind: Indicator) -> str:
        if ind.function is not None:
            fn = self.functions[ind.function]
            ctx = Context(
                self.engine,
                self.period,
                ind,
                self.options.get(ind.pack or "", {}),
                self.engine.tables,
                dict(self.ind_tables),
            )
            table = fn(ctx)
            name = f"fn_{ind.id.replace('.', '_')}"
            self.engine.register(name, table)
            return f'SELECT * FROM "{name}"'
        if ind.aggregate == "value" or not self.hashed:
            return self.bind(ind.id)
        parsed = self.specs.formulas[ind.id]
        tree = sqlsafety.bind_tree(
            parsed, self.period.params(), self.engine.tables, self.ind_tables
        )
        read_key_hash(tree, self.hashed)
        return sqlsafety.to_sql(tree)

    def indicator(self, ind: Indicator) -> list[dict[str, Any]]:
        sql = self.formula_sql(ind)
        columns = self.engine.describe(sql)
        check_columns(ind, columns)
        if ind.aggregate == "value":
            rows = self.engine.query(sql).to_pylist()
            out = []
            for row in rows:
                dims = {d: dim_text(row[d]) for d in ind.by if row.get(d) is not None}
                raw = to_decimal(row["value"])
                from mieruka.japan.yen import round_decimal

                rounded = (
                    None
                    if raw is None
                    else round_decimal(raw * ind.multiplier, ind.rounding.digits, ind.rounding.mode)
                )
                out.append(
                    {**empty_total(ind), "dims": dims, "value": rounded, "rows": None, "_raw": raw}
                )
            if not any(not r["dims"] for r in out):
                out.append(empty_total(ind))
            return out
        return group_rows(ind, self.engine.rows(aggregation_sql(ind, sql, columns)))

    def publish(self, ind: Indicator, rows: list[dict[str, Any]]) -> None:
        """Make an indicator's figures readable by later formulas as ind('id')."""
        name = indicator_table_name(len(self.ind_tables))
        data: dict[str, list[Any]] = {d: [r["dims"].get(d) for r in rows] for d in ind.by}
        # unrounded figures with 14 decimals (DECIMAL(38, 14)): later formulas divide them
        # without the disclosed rounding leaking in, and yen totals up to 10^24 still fit
        with localcontext() as ctx:
            ctx.prec = 60
            data["value"] = [
                None if r["_raw"] is None else r["_raw"].quantize(Decimal("1e-14")) for r in rows
            ]
        schema = pa.schema(
            [*(pa.field(d, pa.string()) for d in ind.by), pa.field("value", pa.decimal128(38, 14))]
        )
        self.engine.register(name, pa.table(data, schema=schema))
        self.ind_tables[ind.id] = name

    def rule_sql(self, rule_id: str) -> str:
        """A rule's SQL: bound, reading earlier rules' rows and the run's shared CTEs."""
        parsed = self.specs.formulas[rule_id]
        tree = sqlsafety.bind_tree(
            parsed, self.period.params(), self.engine.tables, self.ind_tables, self.rule_tables
        )
        return sqlsafety.to_sql(self.common.rewrite(parsed.tree, tree))

    def rule(self, rule: Rule) -> list[dict[str, Any]]:
        table = self.engine.query(self.rule_sql(rule.id))
        if rule.id in self.read_rules:  # only those: registering is a job of its own on Spark
            name = f"rule_{len(self.rule_tables)}"
            self.engine.register(name, table)
            self.rule_tables[rule.id] = name
        rows = [{k: _jsonable(v) for k, v in r.items()} for r in table.to_pylist()]
        key_cols = list(rule.key) or table.column_names[:1]
        unknown = [k for k in key_cols if k not in table.column_names]
        if unknown:
            file, line = split_source(rule.source)
            raise MierukaError(
                Issue(
                    f"{rule.id}: key column(s) {', '.join(unknown)} not returned by the formula",
                    file=file,
                    line=line,
                    found=", ".join(table.column_names),
                )
            )
        rows.sort(key=lambda r: (_sort_text({k: r[k] for k in key_cols}), _sort_text(r)))
        return [
            {
                "rule": rule.id,
                "seq": i + 1,
                "severity": rule.severity,
                "key": {k: row[k] for k in key_cols},
                "row": row,
            }
            for i, row in enumerate(rows)
        ]


@contextmanager
def _located(item_id: str, source: str | None) -> Iterator[None]:
    """A database error while evaluating a spec becomes an error at the spec's file:line."""
    try:
        yield
    except EngineRefusal as exc:
        file, line = split_source(source)
        raise MierukaError(
            Issue(f"{item_id}: refused by the Spark engine: {exc}", file=file, line=line)
        ) from exc
    except (duckdb.Error, EngineError) as exc:
        file, line = split_source(source)
        message = str(exc).split("\n")[0]
        raise MierukaError(
            Issue(f"{item_id}: the formula failed: {message}", file=file, line=line)
        ) from exc


def _sort_text(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def target_statuses(specs: SpecSet, values: list[dict[str, Any]], fy: int) -> list[dict[str, Any]]:
    by_key = {(v["indicator"], json.dumps(v["dims"], sort_keys=True)): v for v in values}
    out: list[dict[str, Any]] = []
    targeted: set[str] = set()
    for t in specs.targets:
        if not t.applies_to(fy):
            continue
        targeted.add(t.indicator)
        found = by_key.get((t.indicator, json.dumps(t.dims, sort_keys=True)))
        value = found["value"] if found else None
        status = (
            "no_data"
            if value is None
            else ("met" if _compare(value, t.comparator, t.value) else "missed")
        )
        out.append(
            {
                "indicator": t.indicator,
                "dims": dict(t.dims),
                "comparator": t.comparator,
                "target": t.value,
                "value": value,
                "status": status,
            }
        )
    for ind_id in specs.order:
        if ind_id not in targeted:
            total = by_key.get((ind_id, "{}"))
            out.append(
                {
                    "indicator": ind_id,
                    "dims": {},
                    "comparator": "",
                    "target": None,
                    "value": total["value"] if total else None,
                    "status": "no_target",
                }
            )
    return out


def _compare(value: Decimal, comparator: str, target: Decimal) -> bool:
    return {
        ">=": value >= target,
        "<=": value <= target,
        ">": value > target,
        "<": value < target,
        "==": value == target,
    }[comparator]


def evaluate(
    specs: SpecSet,
    snapshots: Mapping[str, Path],
    period: Period,
    *,
    functions: Mapping[str, Callable[[Context], pa.Table]] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    progress: Progress | None = None,
    engine: EngineFactory | None = None,
    keyed_cache: Path | None = None,
) -> Evaluation:
    result = Evaluation()
    ev = Evaluator(specs, snapshots, period, functions, options, engine, keyed_cache)
    try:
        for ind_id in specs.order:
            ind = specs.indicators[ind_id]
            why = ev.missing_inputs(ind_id)
            if why:
                result.skipped[ind_id] = why
                rows = [empty_total(ind)]
            else:
                with _located(ind.id, ind.source):
                    rows = ev.indicator(ind)
                ev.publish(ind, rows)
            result.values.extend({k: v for k, v in r.items() if k != "_raw"} for r in rows)
            if progress:
                progress(ind_id)
        for rule in specs.rules_in_order():
            why = ev.missing_inputs(rule.id)
            if why:
                result.skipped[rule.id] = why
            else:
                with _located(rule.id, rule.source):
                    result.violations.extend(ev.rule(rule))
            if progress:
                progress(rule.id)
    finally:
        ev.close()
    result.targets = target_statuses(specs, result.values, period.fiscal_year)
    return result
