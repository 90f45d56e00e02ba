"""The loader's checks over the typed table, driven by one aggregate pass.

A clean file is the common case, so one scan counts, per column, the rows that need a
second look (`__bad`: not convertible or breaking min/max/values) and the NULLs, and
counts the distinct key hashes. Only a non-zero count runs the row-level query that
names the rows; a clean 10M-row file costs one scan instead of one per check.

Key uniqueness, cheapest proof first: keys strictly increasing (or decreasing) in file
order are unique — one streaming `lag()` scan, and exported registers are usually sorted
by their key; else distinct `hash(key)` = non-blank rows proves it (distinct hashes ≤
distinct keys ≤ rows; integers hash-aggregate faster than strings); only when both fail —
a duplicate, or a 64-bit collision — does the exact GROUP BY run and name the rows.
"""

from __future__ import annotations

import duckdb

from mieruka.core.issues import Issue
from mieruka.core.readers import Source
from mieruka.core.schema import Column, DatasetSchema
from mieruka.core.typing_sql import (
    WS_SQL,
    conversion_message,
    patch_with_python,
    quote,
    violation_issue,
    violation_sql,
)

TABLE = "typed"


def check_table(
    con: duckdb.DuckDBPyConnection,
    schema: DatasetSchema,
    src: Source,
    positions: dict[str, int],
    label: str,
    found: list[Issue],
) -> tuple[int, int]:
    """Append the typed table's issues to `found`; returns (row count, issues dropped)."""
    present = [c for c in schema.columns if c.name in positions]
    aggs = ["count(*)"]
    for c in present:
        aggs.append(f"count({quote(c.name + '__bad')})")
        aggs.append(f"count(*) - count({quote(c.name)})")
    counts = [int(v) for v in con.execute(f"SELECT {', '.join(aggs)} FROM {TABLE}").fetchall()[0]]
    rows = counts[0]
    dropped = 0
    for i, column in enumerate(present):
        bad, nulls = counts[1 + 2 * i], counts[2 + 2 * i]
        errors: dict[str, str] = {}
        if bad and column.type.value != "string":
            errors = patch_with_python(con, TABLE, column)
        if bad:
            dropped += _bad_issues(con, src, column, errors, label, found)
        if nulls and column.required:
            dropped += _blank_issues(con, src, column, label, found)
    if schema.key and all(k in positions for k in schema.key):
        dropped += _key_issues(con, schema, src, label, found, rows)
    return rows, dropped


def rows_where(
    con: duckdb.DuckDBPyConnection, src: Source, select: str, where: str, cap: int = 50
) -> tuple[list[tuple], int]:
    """The first `cap` (row, select...) matching `where`, and how many more there are."""
    base = f"FROM (SELECT {src.row_sql} AS __row, * FROM {TABLE}) WHERE {where}"
    total = int(con.execute(f"SELECT count(*) {base}").fetchall()[0][0])
    if not total:
        return [], 0
    rows = con.execute(f"SELECT __row, {select} {base} ORDER BY __row LIMIT {cap}").fetchall()
    return rows, total - len(rows)


def _blank(column: Column) -> str:
    bad = quote(column.name + "__bad")
    return f"({bad} IS NULL OR trim({bad}, {WS_SQL}) = '')"


def _bad_issues(
    con: duckdb.DuckDBPyConnection,
    src: Source,
    column: Column,
    errors: dict[str, str],
    label: str,
    found: list[Issue],
) -> int:
    name, bad = quote(column.name), quote(column.name + "__bad")
    dropped = 0
    if errors:
        rows, more = rows_where(con, src, bad, f"{name} IS NULL AND NOT {_blank(column)}")
        dropped += more
        for row, text in rows:
            message, expected = conversion_message(column, text, errors.get(text, ""))
            found.append(Issue(message, label, row, column.name, expected=expected, found=text))
    violation = violation_sql(column, name)
    if violation:
        rows, more = rows_where(con, src, f"{name}, {bad}", f"{name} IS NOT NULL AND ({violation})")
        dropped += more
        for row, value, text in rows:
            message, expected = violation_issue(column, value)
            shown = text if text is not None else str(value)
            found.append(Issue(message, label, row, column.name, expected=expected, found=shown))
    return dropped


def _blank_issues(
    con: duckdb.DuckDBPyConnection, src: Source, column: Column, label: str, found: list[Issue]
) -> int:
    rows, more = rows_where(con, src, "1", f"{quote(column.name)} IS NULL AND {_blank(column)}")
    found.extend(
        Issue("required value is blank", label, r[0], column.name, expected="a value", found="")
        for r in rows
    )
    return more


def keys_unique(
    con: duckdb.DuckDBPyConnection,
    keys: list[str],
    relation: str = TABLE,
    *,
    check_order: bool = True,
) -> tuple[int, bool]:
    """(rows with a whole key, True when those keys are proven unique without grouping).

    `relation` must scan in file order (the typed table, or the written file). Without
    `check_order` (the caller already knows the keys are not sorted) only the distinct
    hashes are counted."""
    not_null = " AND ".join(f"{k} IS NOT NULL" for k in keys)
    if check_order:
        key = keys[0] if len(keys) == 1 else f"({', '.join(keys)})"
        lagged = (
            f"FROM (SELECT k, lag(k) OVER () AS p FROM (SELECT {key} AS k FROM {relation} "
            f"WHERE {not_null}))"
        )
        # One stream must give every row but the first a predecessor: p IS NULL counts too.
        # Ascending first, alone: a second comparison in the same scan costs a third more.
        total, up = con.execute(
            f"SELECT count(*), count(*) FILTER (p IS NULL OR NOT k > p) {lagged}"
        ).fetchall()[0]
        if up <= 1:
            return int(total), True
        down = con.execute(f"SELECT count(*) FILTER (p IS NULL OR NOT k < p) {lagged}").fetchall()
        if down[0][0] <= 1:
            return int(total), True
    total, distinct = con.execute(
        f"SELECT count(*), count(DISTINCT hash({', '.join(keys)})) FROM {relation} WHERE {not_null}"
    ).fetchall()[0]
    return int(total), distinct == total


def _key_issues(
    con: duckdb.DuckDBPyConnection,
    schema: DatasetSchema,
    src: Source,
    label: str,
    found: list[Issue],
    row_count: int,
) -> int:
    dropped = 0
    keys = [quote(k) for k in schema.key]
    total, unique = keys_unique(con, keys)
    if total < row_count:
        for key in schema.key:
            column = schema.column(key)
            if column is not None and not column.required:
                blanks, more = rows_where(con, src, "1", f"{quote(key)} IS NULL")
                dropped += more
                found.extend(
                    Issue("key value is blank", label, r[0], key, expected="a value", found="")
                    for r in blanks
                )
    if unique:
        return dropped
    not_null = " AND ".join(f"{k} IS NOT NULL" for k in keys)
    groups = con.execute(
        f"SELECT {', '.join(keys)}, list(__row ORDER BY __row) AS rows "
        f"FROM (SELECT {src.row_sql} AS __row, * FROM {TABLE}) WHERE {not_null} "
        f"GROUP BY ALL HAVING count(*) > 1 ORDER BY rows[1]"
    ).fetchall()
    for *values, rows in groups:
        shown = ", ".join(f"{k}={v}" for k, v in zip(schema.key, values, strict=True))
        also = ", ".join(str(r) for r in rows[1:6]) + (" ..." if len(rows) > 6 else "")
        plural = "s" if len(rows) > 2 else ""
        found.append(
            Issue(
                f"duplicate key {shown}: also on row{plural} {also}",
                label,
                rows[0],
                schema.key[0],
                expected="a unique key",
                found=", ".join(map(str, values)),
            )
        )
    return dropped
