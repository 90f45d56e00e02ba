"""DuckDB SQL -> Spark SQL, refusing whatever Spark would compute differently.

Formulas are checked and bound as DuckDB SQL (`sqlsafety`); the Spark engine transpiles
that text with sqlglot. sqlglot translates syntax, not semantics, so the meaning is
handled here, function by function (docs/spark.md has the table):

* functions whose results are the same on both engines for the types mieruka stores
  pass as they are (`SAFE_FUNCTIONS`);
* others are written by hand in the Spark form that gives DuckDB's result, under a
  condition checked on the SQL (`CHECKED`: `trim` with DuckDB's set of spaces, `round`
  of a quotient done the way DuckDB rounds a DOUBLE, `dayofweek` from 0, date ±
  interval as a TIMESTAMP, `QUALIFY` as a subquery, DOUBLE -> DECIMAL casts by DuckDB…);
* where DuckDB's own result would be arbitrary (`any_value` over differing values,
  `arg_max`/`string_agg`/`row_number`/`lag` with ties in their ordering), the Spark SQL
  carries a check that raises "refused by the Spark engine" at run time instead of
  returning an arbitrary pick;
* anything else is refused with `SparkRefusal` naming the construct, never run;
* `a / b` becomes `CAST(a AS DOUBLE) / CAST(b AS DOUBLE)`: DuckDB's `/` always divides
  in DOUBLE, Spark divides DECIMALs in DECIMAL with its own precision-loss rules;
* `hash(x)` (the evidence fingerprint, see `aggregate.py`) becomes `duckdb_hash(x)`, a
  UDF that calls DuckDB's own hash, and `GROUPING(a, b)` becomes `grouping_id(a, b)`.

The engine additionally compares each query's output column types on both engines, so
a construct that slips through with a different type is refused too.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

HASH_UDF = "duckdb_hash"
# DOUBLE -> DECIMAL(p, s) as DuckDB casts it: duckdb_decimal_<p>_<s>, see spark_engine
DECIMAL_UDF = "duckdb_decimal"
# the start of the message of a run-time check's raise_error (spark_engine reports it)
REFUSED_AT_RUN_TIME = "refused by the Spark engine:"

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
    # NULLs skipped by both (NULL only when every argument is NULL)
    exp.Greatest,
    exp.Least,
    exp.LogicalOr,  # bool_or
    exp.LogicalAnd,  # bool_and
    exp.Replace,  # every occurrence, '' search leaves the text as it is, on both
    exp.Contains,
    exp.LastDay,  # DATE on both, also of a TIMESTAMP
    exp.DateFromParts,  # make_date: an invalid date fails on both (ANSI mode)
    exp.Explode,  # unnest of str_split only (checked below)
)
SAFE_ANONYMOUS = frozenset({"hash"})
# checked and translated by hand below (_check, _rewrite)
CHECKED: tuple[type[exp.Func], ...] = (
    exp.Trim,
    exp.Left,
    exp.Substring,
    exp.Round,
    exp.DateDiff,
    exp.DayOfWeek,
    exp.StrToTime,
    exp.Split,
    exp.SplitPart,
    exp.ConcatWs,
    exp.RegexpExtract,
    exp.RegexpLike,
    exp.RegexpReplace,
    exp.RowNumber,
    exp.Lag,
    exp.AnyValue,
    exp.ArgMax,
    exp.ArgMin,
    exp.GroupConcat,
)
# what DuckDB's trim(x) removes: the Unicode category Zs (space separators), not tabs
SPACE_SEPARATORS = "".join(
    chr(c) for c in (0x20, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)
)
# DuckDB strptime formats and the Spark datetime patterns that parse them the same way
STRPTIME_FORMATS = {"%Y%m%d": "yyyyMMdd", "%Y-%m-%d": "yyyy-MM-dd"}
# regular expressions both RE2 (DuckDB) and java.util.regex (Spark) read the same way:
# literal letters and digits, classes of them, + quantifiers, groups, anchors
_SAFE_REGEX = re.compile(r"^\^?(?:[A-Za-z0-9_:/-]|\[[A-Za-z0-9_-]+\]|\(|\)|\+)+\$?$")


class SparkRefusal(Exception):
    """A construct the Spark engine will not run because its result could differ."""


def _name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name)
    return node.sql_name()


def _int(node: exp.Expr | None) -> int | None:
    """The value of an integer literal (also a negative one), else None."""
    if isinstance(node, exp.Neg):
        inner = _int(node.this)
        return None if inner is None else -inner
    if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit():
        return int(node.this)
    return None


def _string(node: exp.Expr | None) -> str | None:
    return node.this if isinstance(node, exp.Literal) and node.is_string else None


def _window(node: exp.Func) -> exp.Window | None:
    return node.parent if isinstance(node.parent, exp.Window) else None


def _order_keys(node: exp.Expr) -> list[exp.Expr]:
    order = node.args.get("order") if isinstance(node, exp.Window) else node
    if not isinstance(order, exp.Order):
        return []
    return [o.this for o in order.expressions]


def _is_text(node: exp.Expr) -> bool:
    """A string literal, NULL, or a CASE/concatenation of those: text on both engines."""
    if isinstance(node, exp.Null) or _string(node) is not None:
        return True
    if isinstance(node, exp.Case):
        branches = [i.args["true"] for i in node.args.get("ifs", [])]
        default = node.args.get("default")
        return all(_is_text(b) for b in [*branches, *([default] if default else [])])
    return False


INTERVAL_UNITS = {"DAY": "days", "MONTH": "months", "YEAR": "years"}


def _interval(node: exp.Expr) -> tuple[str, exp.Expr] | None:
    """(unit, count) of to_days/to_months/to_years(n) or INTERVAL 'n' DAY|MONTH|YEAR."""
    if isinstance(node, exp.ToDays):
        return "days", node.this
    if (
        isinstance(node, exp.Anonymous)
        and node.name.lower() in ("to_months", "to_years")
        and len(node.expressions) == 1
    ):
        return node.name.lower()[3:], node.expressions[0]
    if isinstance(node, exp.Interval):
        unit = node.args.get("unit")
        count = (
            _int(exp.Literal.number(node.this.this)) if isinstance(node.this, exp.Literal) else None
        )
        if unit is not None and unit.name.upper() in INTERVAL_UNITS and count is not None:
            return INTERVAL_UNITS[unit.name.upper()], exp.Literal.number(count)
    return None


def _spark_interval(unit: str, count: exp.Expr) -> exp.Expr:
    if unit == "days":
        return _fn("make_dt_interval", count)
    zero = exp.Literal.number(0)
    return _fn("make_ym_interval", *((count, zero) if unit == "years" else (zero, count)))


def _shifted(node: exp.Add | exp.Sub) -> exp.Expr | None:
    """date/timestamp ± interval as in DuckDB: a TIMESTAMP, months clamped to the month's end."""
    for moment, shift in ((node.this, node.expression), (node.expression, node.this)):
        found = _interval(shift)
        if found is not None and (isinstance(node, exp.Add) or shift is node.expression):
            stamp = exp.cast(moment.copy(), exp.DataType.build("TIMESTAMP_NTZ", dialect="spark"))
            kind = exp.Add if isinstance(node, exp.Add) else exp.Sub
            return exp.Paren(this=kind(this=stamp, expression=_spark_interval(*found)))
    return None


def _refuse(node: exp.Func, why: str) -> SparkRefusal:
    return SparkRefusal(f"function {_name(node)}() is not supported on Spark {why}")


def _check_checked(node: exp.Func) -> None:
    """The conditions under which a hand-translated function means the same on both."""
    if isinstance(node, exp.Trim):
        if node.args.get("expression") is not None or node.args.get("position"):
            raise _refuse(node, "with characters or LEADING/TRAILING (only trim(x) is)")
    elif isinstance(node, exp.Left):
        length = _int(node.expression)
        if length is None or length < 0:
            raise _refuse(
                node,
                "with a length that is not a literal >= 0"
                " (DuckDB counts a negative one from the end)",
            )
    elif isinstance(node, exp.Substring):
        start, length = _int(node.args.get("start")), node.args.get("length")
        count = None if length is None else _int(length)
        if start is None or start < 1 or (length is not None and (count is None or count < 0)):
            raise _refuse(
                node, "with a start that is not a literal >= 1 or a length not a literal >= 0"
            )
    elif isinstance(node, exp.Round):
        digits = _int(node.args.get("decimals"))
        if not isinstance(node.this, exp.Div) or digits is None or not 0 <= digits <= 15:
            raise _refuse(
                node,
                "except round(a / b, n) with a literal n from 0 to 15 (a DOUBLE: Spark"
                " rounds the shortest decimal form, DuckDB the binary value; DECIMAL"
                " results would differ in type)",
            )
    elif isinstance(node, exp.DateDiff):
        unit = node.args.get("unit")
        if unit is None or unit.name.upper() != "DAY":
            raise _refuse(node, "except with the unit 'day'")
    elif isinstance(node, exp.DayOfWeek):
        if type(node) is not exp.DayOfWeek:
            raise _refuse(node, "(only dayofweek)")
    elif isinstance(node, exp.StrToTime):
        if _string(node.args.get("format")) not in STRPTIME_FORMATS:
            raise _refuse(node, f"except with the format {' or '.join(STRPTIME_FORMATS)}")
    elif isinstance(node, exp.Split):
        delimiter = _string(node.expression)
        if not isinstance(node.parent, exp.Explode) or not delimiter:
            raise _refuse(node, "except as unnest(str_split(x, 'literal'))")
    elif isinstance(node, exp.SplitPart):
        if not _string(node.args.get("delimiter")) or (_int(node.args.get("part_index")) or 0) < 1:
            raise _refuse(node, "except with a literal delimiter and a literal part >= 1")
    elif isinstance(node, exp.ConcatWs):
        if not all(_is_text(e) for e in node.expressions):
            raise _refuse(
                node,
                "except of string literals and CASEs of them (casts of other types to text differ)",
            )
    elif isinstance(node, exp.RegexpExtract | exp.RegexpLike | exp.RegexpReplace):
        pattern = _string(node.expression)
        if pattern is None or not _SAFE_REGEX.match(pattern):
            raise _refuse(
                node, "except with a literal pattern of letters, digits, [classes], +, ( ), ^ and $"
            )
        if isinstance(node, exp.RegexpExtract) and _int(node.args.get("group")) is None:
            raise _refuse(node, "except with a literal group number")
        if isinstance(node, exp.RegexpReplace):
            replacement = _string(node.args.get("replacement"))
            if (
                replacement is None
                or "\\" in replacement
                or "$" in replacement
                or not pattern.endswith("$")
                or node.args.get("modifiers") is not None
            ):
                raise _refuse(
                    node,
                    "except with a pattern anchored at the end ($, so that it matches once:"
                    " DuckDB replaces the first match, Spark all) and a plain replacement",
                )
    elif isinstance(node, exp.RowNumber | exp.Lag):
        window = _window(node)
        if window is None or not _order_keys(window):
            raise _refuse(node, "without ORDER BY (the numbering would be arbitrary)")
        if isinstance(node, exp.Lag) and any(
            node.args.get(a) is not None for a in ("offset", "default")
        ):
            raise _refuse(node, "with an offset or default")
    elif isinstance(node, exp.AnyValue | exp.ArgMax | exp.ArgMin):
        if _window(node) is not None or node.args.get("count") is not None:
            raise _refuse(node, "as a window function or with a count")
    elif isinstance(node, exp.GroupConcat):
        inner = node.this
        if isinstance(inner, exp.Order) and isinstance(inner.this, exp.Distinct):
            parts = inner.this.expressions
            if len(parts) != 1 or [o.this for o in inner.expressions] != parts:
                raise _refuse(node, "with DISTINCT unless ordered by the parts themselves")
        elif not isinstance(inner, exp.Order):
            raise _refuse(
                node,
                "without ORDER BY, or with DISTINCT (the order of the parts would be arbitrary)",
            )
        if node.args.get("separator") is not None and _string(node.args["separator"]) is None:
            raise _refuse(node, "with a separator that is not a literal")


def _check(tree: exp.Expr) -> None:
    for node in tree.walk():
        if isinstance(node, exp.IntDiv):
            raise SparkRefusal("integer division // is not supported on Spark")
        if isinstance(node, exp.Like | exp.ILike) and "\\" in node.expression.sql():
            raise SparkRefusal("LIKE with a backslash is not supported on Spark (it escapes there)")
        if _interval(node) is not None:
            parent = node.parent
            if not (
                isinstance(parent, exp.Add)
                or (isinstance(parent, exp.Sub) and parent.expression is node)
            ) or any(
                _interval(side) is not None
                for side in (parent.this, parent.expression)
                if side is not node
            ):
                raise SparkRefusal(
                    "an interval is supported on Spark only added to or subtracted from a date"
                    " or timestamp"
                )
        elif isinstance(node, exp.Interval):
            raise SparkRefusal(
                f"{node.sql(dialect='duckdb')} is not supported on Spark"
                " (only a whole number of DAY, MONTH or YEAR)"
            )
        elif isinstance(node, exp.GenerateSeries):
            table = node.parent
            alias = table.args.get("alias") if isinstance(table, exp.Table) else None
            if (
                alias is None
                or len(alias.columns) != 1
                or node.args.get("step") is not None
                or not node.args.get("is_end_exclusive")
            ):
                raise SparkRefusal(
                    "range() is supported on Spark only as FROM range(a, b) AS r(column)"
                )
        elif isinstance(node, exp.Anonymous):
            if node.name.lower() not in SAFE_ANONYMOUS:
                raise SparkRefusal(f"function {_name(node)}() is not supported on Spark")
        elif isinstance(node, CHECKED):
            _check_checked(node)
        elif isinstance(node, exp.Explode):
            if not isinstance(node.this, exp.Split):
                raise _refuse(node, "except as unnest(str_split(x, 'literal'))")
        elif isinstance(node, exp.Func) and not isinstance(node, SAFE_FUNCTIONS):
            raise SparkRefusal(
                f"function {_name(node)}() is not supported on Spark"
                " (its result could differ from DuckDB's)"
            )


def _fn(name: str, *args: exp.Expr) -> exp.Anonymous:
    """A Spark function written as is (sqlglot would translate a typed node again)."""
    return exp.Anonymous(this=name, expressions=[a.copy() for a in args])


def _unless(check: exp.Expr, value: exp.Expr, message: str) -> exp.Expr:
    """`value`, or a run-time error where `check` is false: a refusal with data in hand."""
    fail = _fn("raise_error", exp.Literal.string(f"{REFUSED_AT_RUN_TIME} {message}"))
    return exp.Case(ifs=[exp.If(this=check, true=value)], default=fail)


def _filtered(agg: exp.Expr, where: exp.Expr | None) -> exp.Expr:
    if where is None:
        return agg
    return exp.Filter(this=agg, expression=exp.Where(this=where.copy()))


def _as_regex(pattern: str) -> str:
    # Java's $ also matches before a final line break; \z is the end of the text, as in RE2
    return pattern[:-1] + "\\z" if pattern.endswith("$") else pattern


def _aggregate(node: exp.Func, where: exp.Expr | None) -> exp.Expr:
    """ANY_VALUE, ARG_MAX/ARG_MIN and ordered string_agg, deterministic or refused."""
    if isinstance(node, exp.AnyValue):
        value = node.this
        single = exp.LTE(
            this=_filtered(exp.Count(this=exp.Distinct(expressions=[value.copy()])), where),
            expression=exp.Literal.number(1),
        )
        return _unless(
            single,
            _filtered(exp.Min(this=value.copy()), where),
            "ANY_VALUE() over differing values (DuckDB would pick one arbitrarily)",
        )
    if isinstance(node, exp.ArgMax | exp.ArgMin):
        value, by = node.this, node.expression
        fn = "max_by" if isinstance(node, exp.ArgMax) else "min_by"
        # the rows behind it: neither the value nor the ordering NULL (DuckDB's arg_max)
        both = exp.and_(
            exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null())),
            exp.Not(this=exp.Is(this=by.copy(), expression=exp.Null())),
        )
        where = exp.and_(where.copy(), both) if where is not None else both
        unique = exp.EQ(
            this=_filtered(exp.Count(this=by.copy()), where),
            expression=_filtered(exp.Count(this=exp.Distinct(expressions=[by.copy()])), where),
        )
        return _unless(
            unique,
            _filtered(_fn(fn, value, by), where),
            f"{_name(node)}() with a tie in its ordering value (DuckDB would pick one arbitrarily)",
        )
    assert isinstance(node, exp.GroupConcat) and isinstance(node.this, exp.Order)
    value = node.this.this
    if isinstance(value, exp.Distinct):  # checked: ordered by the distinct parts themselves
        value = value.expressions[0]
    keys = [o.this for o in node.this.expressions]
    separator = node.args.get("separator") or exp.Literal.string(",")
    # sqlglot writes this as LISTAGG(v, sep) WITHIN GROUP (ORDER BY ...)
    ordered = _filtered(exp.GroupConcat(this=node.this.copy(), separator=separator.copy()), where)
    if len(keys) == 1 and keys[0] == value:
        return ordered  # ordered by the parts themselves: equal parts are interchangeable
    key = keys[0].copy() if len(keys) == 1 else exp.Struct(expressions=[k.copy() for k in keys])
    counted = exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null()))
    where_all = exp.and_(where.copy(), counted) if where is not None else counted
    # not COUNT(DISTINCT): Spark 4 fails to plan it next to LISTAGG (ClassCastException)
    keys_seen = _fn("size", _fn("array_distinct", _filtered(_fn("collect_list", key), where_all)))
    unique = exp.EQ(this=_filtered(exp.Count(this=exp.Star()), where_all), expression=keys_seen)
    return _unless(
        unique,
        ordered,
        "string_agg() whose ORDER BY has ties (the parts' order would be arbitrary)",
    )


def _ordered_window(node: exp.Window, message: str) -> exp.Expr:
    """ROW_NUMBER/LAG over an ORDER BY: refused at run time if two rows tie in it."""
    peers = exp.Window(
        this=exp.Count(this=exp.Star()),
        partition_by=[
            *(p.copy() for p in node.args.get("partition_by") or []),
            *(k.copy() for k in _order_keys(node)),
        ],
        over="OVER",
    )
    return _unless(exp.EQ(this=peers, expression=exp.Literal.number(1)), node.copy(), message)


def _without_qualify(select: exp.Select) -> exp.Expr:
    """SELECT … QUALIFY c [ORDER BY o] as SELECT names FROM (SELECT …, c's parts) WHERE c.

    Spark has no QUALIFY. (sqlglot's own rewrite leaves `alias.column` references in the
    outer WHERE, which Spark cannot resolve.) Each window and each column the condition
    uses becomes a hidden column of the inner query; so do ORDER BY keys.
    """
    inner = select.copy()
    condition = inner.args["qualify"].this.copy()
    order = inner.args.get("order")
    inner.set("qualify", None)
    inner.set("order", None)
    names = [p.alias_or_name for p in inner.expressions]
    if any(isinstance(p, exp.Star) or not n for p, n in zip(inner.expressions, names, strict=True)):
        raise SparkRefusal("QUALIFY after SELECT * or an unnamed column is not supported on Spark")
    if len(set(names)) != len(names):
        raise SparkRefusal("QUALIFY with two output columns of the same name is not supported")
    hidden: list[exp.Expr] = []

    def hide(part: exp.Expr) -> exp.Expr:
        for projection, name in zip(inner.expressions, names, strict=True):
            if projection.unalias() == part:
                return exp.column(name, quoted=True)
        alias = f"__q{len(hidden)}"
        hidden.append(exp.alias_(part.copy(), alias, quoted=True))
        return exp.column(alias, quoted=True)

    windows = [w for w in condition.find_all(exp.Window) if not w.find_ancestor(exp.Window)]
    for w in windows:
        w.replace(hide(w))
    for column in list(condition.find_all(exp.Column)):
        if not column.name.startswith("__q") or column.table:
            column.replace(hide(column))
    outer_order = None
    if order is not None:
        keys = [o.copy() for o in order.expressions]
        for key in keys:
            key.set("this", hide(key.this))
        outer_order = exp.Order(expressions=keys)
    for part in hidden:
        inner.append("expressions", part)
    outer = exp.select(*(exp.column(n, quoted=True) for n in names)).from_(
        exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier("__qualified")))
    )
    outer = outer.where(condition)
    if outer_order is not None:
        outer.set("order", outer_order)
    return outer


def _decimal_cast(node: exp.Cast) -> exp.Expr:
    """CAST(x AS DECIMAL(p, s)) with DuckDB's result also when x is a binary float.

    DuckDB rounds x · 10^s in binary (1234567.8912345 -> 1234567.8912345002); Spark
    rounds the shortest decimal form of x (-> 1234567.8912345000). For a DOUBLE or FLOAT
    the cast is done by DuckDB itself, in an Arrow UDF; `typeof` is folded by Spark's
    optimiser, so other types keep Spark's own cast, which rounds as DuckDB does.
    """
    params = node.to.expressions
    p, s = (_int(params[0].this), _int(params[1].this)) if len(params) == 2 else (18, 3)
    if p is None or s is None:
        raise SparkRefusal(f"{node.sql(dialect='duckdb')} is not supported on Spark")
    target = exp.DataType.build(f"DECIMAL({p}, {s})")
    plain = exp.Cast(this=node.this.copy(), to=target)
    floating = exp.In(
        this=_fn("typeof", node.this),
        expressions=[exp.Literal.string("double"), exp.Literal.string("float")],
    )
    by_duckdb = _fn(f"{DECIMAL_UDF}_{p}_{s}", node.this)
    return exp.Case(ifs=[exp.If(this=floating, true=by_duckdb)], default=plain)


def _grand_total(select: exp.Select) -> exp.Expr | None:
    """GROUPING SETS ((), …) with the () total computed by a plain aggregate.

    Over no rows DuckDB returns the () row (count 0, sums NULL), as the SQL standard
    says; Spark returns no row at all. The total is therefore a SELECT without GROUP BY
    (one row, also over nothing), its grouped columns NULL and GROUPING(…) all ones,
    UNION ALL the other sets. Left as it is where HAVING, ORDER BY or other GROUP BY
    terms make that rewrite unsafe.
    """
    group = select.args.get("group")
    if group is None or len(group.expressions) != 1:
        return None
    sets = group.expressions[0]
    if not isinstance(sets, exp.GroupingSets) or any(
        select.args.get(a) is not None for a in ("having", "order", "limit", "qualify")
    ):
        return None
    empty = [e for e in sets.expressions if isinstance(e, exp.Tuple) and not e.expressions]
    if not empty:
        return None
    grouped = {c.copy() for e in sets.expressions for c in e.find_all(exp.Column)}
    ctes = select.args.get("with_") or select.args.get("with")
    total = select.copy()
    total.set("group", None)
    total.set("with_", None)
    total.set("with", None)
    for node in list(total.find_all(exp.Column, exp.Anonymous)):
        if isinstance(node, exp.Anonymous) and node.name.lower() == "grouping_id":
            node.replace(exp.Literal.number(2 ** len(node.expressions) - 1))
        elif (
            isinstance(node, exp.Column)
            and node in grouped
            and not node.find_ancestor(exp.AggFunc)
            and node.find_ancestor(exp.Literal) is None
        ):
            node.replace(exp.Null())
    for projection in total.expressions:  # keep the output names of bare columns
        if isinstance(projection, exp.Null):
            name = select.expressions[total.expressions.index(projection)].alias_or_name
            projection.replace(exp.alias_(exp.Null(), name, quoted=True))
    others = [e.copy() for e in sets.expressions if e not in empty]
    if not others:
        if ctes is not None:
            total.set("with_" if "with_" in exp.Select.arg_types else "with", ctes.copy())
        return total
    rest = select.copy()
    rest.set("with_", None)
    rest.set("with", None)
    rest.set("group", exp.Group(expressions=[exp.GroupingSets(expressions=others)]))
    union = exp.union(rest, total, distinct=False)
    if ctes is not None:  # WITH … applies to the whole UNION
        union.set("with_" if "with_" in exp.Union.arg_types else "with", ctes.copy())
    return union


def _rewrite(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Select) and node.args.get("qualify") is not None:
        return _without_qualify(node)
    if isinstance(node, exp.Select):
        total = _grand_total(node)
        if total is not None:
            return total
    if type(node) is exp.Cast and node.to.is_type(exp.DataType.Type.DECIMAL):
        return _decimal_cast(node)
    if isinstance(node, exp.Div):
        left = exp.cast(node.this.copy(), exp.DataType.Type.DOUBLE)
        right = exp.cast(node.expression.copy(), exp.DataType.Type.DOUBLE)
        return exp.Div(this=left, expression=right)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "hash":
        return exp.Anonymous(this=HASH_UDF, expressions=[e.copy() for e in node.expressions])
    if isinstance(node, exp.Grouping):
        return exp.Anonymous(this="grouping_id", expressions=[e.copy() for e in node.expressions])
    if isinstance(node, exp.Round):
        # DuckDB: round(x * 10^n) / 10^n in binary floating point, halves away from zero;
        # Spark's round of an integral-or-half DOUBLE to 0 digits does the same
        scale = exp.Literal.number(f"1e{_int(node.args['decimals'])}")
        scaled = exp.Mul(this=exp.Paren(this=node.this.copy()), expression=scale)
        rounded = exp.Round(this=scaled, decimals=exp.Literal.number(0))
        return exp.Paren(this=exp.Div(this=rounded, expression=scale.copy()))
    if isinstance(node, exp.Add | exp.Sub):
        shifted = _shifted(node)
        if shifted is not None:
            return shifted
    if isinstance(node, exp.GenerateSeries):  # range(a, b): BIGINT a … b - 1 on both
        start = node.args.get("start") or exp.Literal.number(0)
        return _fn("range", start, node.args["end"])
    if isinstance(node, exp.Trim):  # DuckDB trims Unicode space separators, Spark only ' '
        return exp.Trim(this=node.this.copy(), expression=exp.Literal.string(SPACE_SEPARATORS))
    if isinstance(node, exp.DateDiff):  # day boundaries crossed = difference of the dates
        end = exp.cast(node.this.copy(), exp.DataType.Type.DATE)
        start = exp.cast(node.expression.copy(), exp.DataType.Type.DATE)
        return _fn("datediff", end, start)
    if isinstance(node, exp.DayOfWeek):  # DuckDB: Sunday 0 … Saturday 6; Spark: 1 … 7
        return exp.Paren(
            this=exp.Sub(this=_fn("dayofweek", node.this), expression=exp.Literal.number(1))
        )
    if isinstance(node, exp.StrToTime):
        fmt = STRPTIME_FORMATS[node.args["format"].this]
        return _fn("to_timestamp_ntz", node.this, exp.Literal.string(fmt))
    if isinstance(node, exp.RegexpExtract):
        pattern = exp.Literal.string(_as_regex(node.expression.this))
        return _fn("regexp_extract", node.this, pattern, node.args["group"])
    if isinstance(node, exp.RegexpLike):
        pattern = exp.Literal.string(_as_regex(node.expression.this))
        return exp.RegexpLike(this=node.this.copy(), expression=pattern)
    if isinstance(node, exp.RegexpReplace):
        pattern = exp.Literal.string(_as_regex(node.expression.this))
        return _fn("regexp_replace", node.this, pattern, node.args["replacement"])
    if isinstance(node, exp.Filter) and isinstance(
        node.this, exp.AnyValue | exp.ArgMax | exp.ArgMin | exp.GroupConcat
    ):
        return _aggregate(node.this, node.expression.this)
    if isinstance(node, exp.AnyValue | exp.ArgMax | exp.ArgMin | exp.GroupConcat) and not (
        isinstance(node.parent, exp.Filter)
    ):
        return _aggregate(node, None)
    if isinstance(node, exp.IgnoreNulls) and isinstance(node.this, exp.Case):
        return node.this.copy()  # DuckDB's any_value skips NULLs; so does min()
    if isinstance(node, exp.Window) and isinstance(node.this, exp.RowNumber | exp.Lag):
        return _ordered_window(
            node,
            f"{_name(node.this)}() whose ORDER BY has ties (the rows' order would be arbitrary)",
        )
    return node


def to_spark(sql: str) -> str:
    """Spark SQL computing exactly what the DuckDB `sql` computes, or SparkRefusal."""
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except SqlglotError as exc:  # pragma: no cover - the text was rendered by sqlglot
        raise SparkRefusal(f"cannot parse the SQL: {exc}") from exc
    _check(tree)
    # children first, so that a rewritten node is built from rewritten parts
    for node in reversed(list(tree.dfs())):
        new = _rewrite(node)
        if new is not node:
            if node is tree:
                tree = new
            else:
                node.replace(new)
    try:
        return tree.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE)
    except SqlglotError as exc:
        raise SparkRefusal(f"Spark SQL has no equivalent: {exc}") from exc
