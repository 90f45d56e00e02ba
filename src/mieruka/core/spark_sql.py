"""DuckDB SQL -> Spark SQL, refusing whatever Spark would compute differently.

Formulas are checked and bound as DuckDB SQL (`sqlsafety`); the Spark engine transpiles
that text with sqlglot. sqlglot translates syntax, not semantics, so three things are
done by hand:

* only functions on an allow-list pass: those whose results are the same on both
  engines for the types mieruka stores (`SAFE_FUNCTIONS`). Anything else — `avg`
  (DOUBLE in DuckDB, DECIMAL in Spark), `round`, date arithmetic, string functions whose
  NULL rules differ — is refused with `SparkRefusal` naming the construct, never run;
* `a / b` becomes `CAST(a AS DOUBLE) / CAST(b AS DOUBLE)`: DuckDB's `/` always divides
  in DOUBLE, Spark divides DECIMALs in DECIMAL with its own precision-loss rules;
* `hash(x)` (the evidence fingerprint, see `aggregate.py`) becomes `duckdb_hash(x)`, a
  UDF that calls DuckDB's own hash, and `GROUPING(a, b)` becomes `grouping_id(a, b)`.

The engine additionally compares each query's output column types on both engines, so
a construct that slips through with a different type is refused too.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

HASH_UDF = "duckdb_hash"

SAFE_FUNCTIONS: tuple[type[exp.Func], ...] = (
    exp.And,  # sqlglot models the connectors as functions
    exp.Or,
    exp.Sum,
    exp.Count,
    exp.CountIf,
    exp.Min,
    exp.Max,
    exp.BitwiseXorAgg,
    exp.Grouping,
    exp.Coalesce,
    exp.Cast,
    exp.Case,
    exp.If,
    exp.Nullif,
    exp.Abs,
    exp.Upper,
    exp.Lower,
    exp.Exists,
    exp.Year,
    exp.Month,
    exp.Day,
)
SAFE_ANONYMOUS = frozenset({"hash"})


class SparkRefusal(Exception):
    """A construct the Spark engine will not run because its result could differ."""


def _name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name)
    return node.sql_name()


def _check(tree: exp.Expr) -> None:
    for node in tree.walk():
        if isinstance(node, exp.IntDiv):
            raise SparkRefusal("integer division // is not supported on Spark")
        if isinstance(node, exp.Like | exp.ILike) and "\\" in node.expression.sql():
            raise SparkRefusal("LIKE with a backslash is not supported on Spark (it escapes there)")
        if isinstance(node, exp.Anonymous):
            if node.name.lower() not in SAFE_ANONYMOUS:
                raise SparkRefusal(f"function {_name(node)}() is not supported on Spark")
        elif isinstance(node, exp.Func) and not isinstance(node, SAFE_FUNCTIONS):
            raise SparkRefusal(
                f"function {_name(node)}() is not supported on Spark"
                " (its result could differ from DuckDB's)"
            )


def _rewrite(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Div):
        left = exp.cast(node.this.copy(), exp.DataType.Type.DOUBLE)
        right = exp.cast(node.expression.copy(), exp.DataType.Type.DOUBLE)
        return exp.Div(this=left, expression=right)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "hash":
        return exp.Anonymous(this=HASH_UDF, expressions=[e.copy() for e in node.expressions])
    if isinstance(node, exp.Grouping):
        return exp.Anonymous(this="grouping_id", expressions=[e.copy() for e in node.expressions])
    return node


def to_spark(sql: str) -> str:
    """Spark SQL computing exactly what the DuckDB `sql` computes, or SparkRefusal."""
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except SqlglotError as exc:  # pragma: no cover - the text was rendered by sqlglot
        raise SparkRefusal(f"cannot parse the SQL: {exc}") from exc
    _check(tree)
    tree = tree.transform(_rewrite)
    try:
        return tree.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE)
    except SqlglotError as exc:
        raise SparkRefusal(f"Spark SQL has no equivalent: {exc}") from exc
