"""Source file → typed, checked Parquet file, all or nothing.

    typed = load_file(schema, Path("employees.csv"), Path("out.parquet"))

The pipeline (one DuckDB connection, one temporary directory):

1. `readers` exposes the file as text columns c0..cN with the user's row numbers;
2. `header` matches the header to the schema by name (order does not matter);
3. fast path (`_load_clean`), for a header without issues: one `CREATE TABLE ... AS
   SELECT` converts with `typing_sql.strict_sql`, which raises on the first text SQL
   cannot convert, a blank required value or a broken min/max/values rule; then keys and
   the packs' extra checks. A clean file — the common case — is done here, without the
   `__bad` columns and the counting scan below. Any doubt (an error, a blank or duplicate
   key, an extra check's issue) falls through to the full path, which words every issue;
4. full path: one `CREATE TABLE ... AS SELECT` converts every column with `typing_sql` and
   keeps, next to each typed column, the original text of the rows that need a second
   look; `load_checks` counts, in one aggregate scan, what needs a second look per column;
   only a non-zero count runs the Python fallback (`mieruka.japan`, for the rare texts SQL
   could not convert) and the row-level queries that name rows; key uniqueness is proven
   by the cheapest means that works (sorted keys, then distinct hashes); the packs' extra
   checks run; if there is any issue, `MierukaError` carries all of them (capped) and no
   output exists;
5. `COPY ... ORDER BY <row>` writes zstd Parquet.

Both paths, and every source format, write the same bytes for the same content:

- Ordering by the original row makes the bytes depend on the content only: without it,
  DuckDB's row-group boundaries follow the batches of the parallel insert and differ from
  run to run (measured at 10M rows; an explicit ROW_GROUP_SIZE does not help, DuckDB
  merges whole chunks up to it and cuts where its merge calls happen to end).
- Every column is written OPTIONAL (`_optional`). DuckDB 2.0 writes REQUIRED when the
  statistics show no NULL, and the two paths' tables disagree on that for the same
  content; fixing one answer keeps the bytes independent of how they were produced. (It
  changes the sha256 of NULL-free content written before: a reload is a new snapshot.)

The table keeps file order only because the connection disables DuckDB's `in_clause`
optimizer: it turns `x IN (a, b, ...)` into a hash join, which reorders rows, so rowid —
the user's row number — no longer followed the file beyond ~100k rows (issues named the
wrong rows and the bytes varied between runs).

Measured at 10M rows (bench/bench_load.py, 2 cores shared with other work) and not kept:

- a typed `read_csv(types=...)`: DuckDB's CSV casts are more lenient than the input
  contract ('12.5' → 13, '0x1F', '1e3', and with a dateformat 'epoch' and '24-03-31'), so
  it cannot be the reference;
- streaming `COPY` straight from the CSV without a table, ordered by `row_number() OVER
  ()`: least CPU (~8.4 s against ~10), but the streaming window is not a parallel
  operator, so reading and converting run on one thread — slower whenever a second core
  is free (6.4-7.0 s against 5.0-5.3 s at load 3-5) and worse with more cores;
- the same stream unsorted into a temporary Parquet file, then sorted by its
  `file_row_number`: parallel, but more work than the table (the first write alone cost
  ~7 CPU-seconds);
- snappy instead of zstd (no measurable gain, twice the bytes); pyarrow's writer with
  fixed row groups (slower than DuckDB's); cheaper spellings of the conversion SQL (edge
  whitespace by prefix/suffix/regexp, dates by LIKE plus range checks) — none beat the
  current ones by more than the noise, except the exact-spelling arm for booleans.

Where the time goes now (10M clean rows, 2 busy cores): the strict CREATE ~5 s (reading
~1.5 CPU-s, conversion SQL ~2, storing ~1), keys ~0.4 s, the sorted COPY ~3.5 s — about
twice DuckDB's own read-and-write; the conversion and the sort are the difference.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from mieruka.core.header import match_header
from mieruka.core.issues import Issue, IssueCollector, MierukaError
from mieruka.core.load_checks import TABLE, check_table, keys_unique, rows_where
from mieruka.core.readers import Source, read_source, reread_as_cp932
from mieruka.core.schema import DatasetSchema
from mieruka.core.typing_sql import (
    bad_sql,
    convert_sql,
    lit,
    quote,
    sql_type,
    strict_rules_sql,
    strict_sql,
)

ExtraCheck = Callable[[duckdb.DuckDBPyConnection, str, str], list[Issue]]
VIEW = "data"  # what extra checks see: __row plus the typed columns in schema order
PARQUET = "(FORMAT parquet, COMPRESSION zstd)"


@dataclass(frozen=True)
class TypedFile:
    parquet: Path  # written file (the caller moves it into the snapshot store)
    sha256: str  # sha256 of the parquet file bytes (content address)
    rows: int
    source_sha256: str  # sha256 of the source file bytes
    encoding: str | None  # detected, for CSV


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(8 << 20):
            digest.update(block)
    return digest.hexdigest()


def load_file(
    schema: DatasetSchema,
    source: Path,
    out_parquet: Path,
    *,
    sheet: str | None = None,
    extra_checks: Sequence[ExtraCheck] = (),
    progress: Callable[[str], None] | None = None,
    memory_limit: str | None = None,
) -> TypedFile:
    """Check and type `source` against `schema` and write `out_parquet`, or raise.

    `memory_limit` (the workspace setting, e.g. "3GB") bounds DuckDB's memory; beyond it
    the typed table and the sort spill to the temporary directory."""
    label = str(source)
    say = progress or (lambda _msg: None)
    if not source.is_file():
        raise MierukaError(Issue("no such file", file=label))
    if source.stat().st_size == 0:
        raise MierukaError(
            Issue("file is empty", file=label, expected="a header row", found="0 bytes")
        )
    out_parquet = Path(out_parquet)
    partial = out_parquet.with_name(f".{out_parquet.name}.partial")
    with (
        ThreadPoolExecutor(max_workers=1) as pool,
        tempfile.TemporaryDirectory(prefix="mieruka-load-", dir=out_parquet.parent) as tmp,
    ):
        source_hash = pool.submit(sha256_file, source)  # overlaps with DuckDB's work
        config: dict[str, str | bool | int | float | list[str]] = {
            "temp_directory": tmp,
            "preserve_insertion_order": True,
        }
        if memory_limit:
            config["memory_limit"] = memory_limit
        con = duckdb.connect(config=config)
        try:
            con.execute("SET enable_progress_bar = false")
            say(f"reading {source.name}")
            src = read_source(con, source, label, Path(tmp), sheet)
            rows, src = _load(con, schema, src, label, source, Path(tmp), extra_checks, say)
            say(f"writing {rows:,} rows")
            order = "__row" if src.row_sql == "__row" else "rowid"
            con.execute(
                f"COPY (SELECT {_optional(schema, order)} FROM {TABLE} ORDER BY {order}) "
                f"TO {lit(str(partial))} {PARQUET}"
            )
            con.close()
            os.replace(partial, out_parquet)
        except BaseException:
            con.close()
            partial.unlink(missing_ok=True)
            raise
        try:
            digest = sha256_file(out_parquet)
            return TypedFile(out_parquet, digest, rows, source_hash.result(), src.encoding)
        except BaseException:
            out_parquet.unlink(missing_ok=True)
            raise


def _load(
    con: duckdb.DuckDBPyConnection,
    schema: DatasetSchema,
    src: Source,
    label: str,
    path: Path,
    tmp: Path,
    extra_checks: Sequence[ExtraCheck],
    say: Callable[[str], None],
) -> tuple[int, Source]:
    """Build and check the typed table; returns its row count and the (final) source."""
    issues = IssueCollector()
    positions, unnamed, header_issues = match_header(schema, src.header, label)
    issues.extend(header_issues)
    say("converting types")
    if not header_issues and not unnamed:
        rows = _load_clean(con, schema, src, positions, label, extra_checks)
        if rows is not None:
            return rows, src
    try:
        _create_typed(con, schema, src, positions, unnamed)
    except duckdb.InvalidInputException as exc:
        if "Invalid unicode" not in str(exc) or src.encoding == "cp932":
            raise _csv_error(exc, label) from None
        src = reread_as_cp932(path, label, tmp)  # UTF-8 head, CP932 further down
        try:
            _create_typed(con, schema, src, positions, unnamed)
        except duckdb.InvalidInputException as again:
            raise _csv_error(again, label) from None
    _create_view(con, schema, src)
    say("checking rows")
    found: list[Issue] = []
    rows, dropped = check_table(con, schema, src, positions, label, found)
    for i in unnamed:
        values, _ = rows_where(con, src, f'"__unnamed_{i}"', f'"__unnamed_{i}" IS NOT NULL', 1)
        found.extend(
            Issue(
                f"value in column {i + 1}, which has no name in the header",
                label,
                row,
                expected="a header name for every column with values",
                found=text,
            )
            for row, text in values
        )
    if not header_issues:
        for check in extra_checks:
            found.extend(check(con, VIEW, label))
    order = {c.name: i for i, c in enumerate(schema.columns)}
    found.sort(key=lambda i: (i.row or 0, order.get(i.column or "", -1)))
    issues.extend(found)
    issues.dropped += dropped
    issues.raise_if_any()
    return rows, src


def _load_clean(
    con: duckdb.DuckDBPyConnection,
    schema: DatasetSchema,
    src: Source,
    positions: dict[str, int],
    label: str,
    extra_checks: Sequence[ExtraCheck],
) -> int | None:
    """The fast path: the typed table's row count when the file is clean, else None.

    The table is built with `strict_sql`/`strict_rules_sql`, which raise on the first text
    SQL cannot convert, a blank required value or a broken min/max/values rule, so it holds
    no `__bad` texts and needs no counting scan; then keys and the packs' checks. Any doubt
    — an error, a blank or duplicate key, an extra check's issue — returns None, and the
    full path rebuilds the table and words every issue.
    """
    try:
        _create_typed(con, schema, src, positions, [], strict=True)
    except duckdb.Error:
        return None
    _create_view(con, schema, src)
    rows = int(con.execute(f"SELECT count(*) FROM {TABLE}").fetchall()[0][0])
    if schema.key and all(k in positions for k in schema.key):
        total, unique = keys_unique(con, [quote(k) for k in schema.key])
        if total < rows or not unique:
            return None
    for check in extra_checks:
        if check(con, VIEW, label):
            return None
    return rows


def _optional(schema: DatasetSchema, order: str) -> str:
    """The schema's columns, written OPTIONAL whatever the table's statistics say.

    DuckDB 2.0 writes a column REQUIRED when the statistics show no NULL. Statistics only
    grow: after the full path patches Python-converted values in with UPDATE they still
    say "may be NULL", while the fast path's table says "no NULL" for the same content.
    `order` is never NULL; the CASE only keeps the optimizer from proving it.
    """
    return ", ".join(
        f"CASE WHEN {order} IS NULL THEN error('no row number') ELSE {quote(c.name)} END "
        f"AS {quote(c.name)}"
        for c in schema.columns
    )


def _create_view(con: duckdb.DuckDBPyConnection, schema: DatasetSchema, src: Source) -> None:
    con.execute(
        f"CREATE OR REPLACE VIEW {VIEW} AS SELECT {src.row_sql} AS __row, "
        + ", ".join(quote(c.name) for c in schema.columns)
        + f" FROM {TABLE}"
    )


def _create_typed(
    con: duckdb.DuckDBPyConnection,
    schema: DatasetSchema,
    src: Source,
    positions: dict[str, int],
    unnamed: list[int],
    *,
    strict: bool = False,
) -> None:
    inner = ["__row"] if src.row_sql == "__row" else []
    inner += [f'c{i} AS "__unnamed_{i}"' for i in unnamed]
    outer = [c.split(" AS ")[-1] for c in inner]
    for column in schema.columns:
        if strict:  # typed columns only: every doubt raises (see `_load_clean`)
            name = quote(column.name)
            if column.name in positions:
                inner.append(f"{strict_sql(column, f'c{positions[column.name]}')} AS {name}")
                outer.append(f"{strict_rules_sql(column, name)} AS {name}")
            else:
                outer.append(f"NULL::{sql_type(column)} AS {name}")
            continue
        name, raw = quote(column.name), quote(column.name + "__raw")
        if column.name in positions:
            text = f"c{positions[column.name]}"
            inner += [f"{convert_sql(column, text)} AS {name}", f"{text} AS {raw}"]
            outer += [name, f"{bad_sql(column, name, raw)} AS {quote(column.name + '__bad')}"]
        else:
            outer += [
                f"NULL::{sql_type(column)} AS {name}",
                f"NULL::VARCHAR AS {quote(column.name + '__bad')}",
            ]
    con.execute(f"DROP TABLE IF EXISTS {TABLE}")
    # DuckDB rewrites `x IN (a, b, ...)` into a hash join, which does not keep insertion
    # order: rowid (the user's row number) would no longer follow the file. Queries over
    # the built table read rowid from the scan, so they may use the optimizer again.
    con.execute("SET disabled_optimizers = 'in_clause'")
    try:
        con.execute(
            f"CREATE TABLE {TABLE} AS SELECT {', '.join(outer)} "
            f"FROM (SELECT {', '.join(inner) or '1 AS __none'} FROM {src.relation})"
        )
    finally:
        con.execute("RESET disabled_optimizers")


_LINE = re.compile(r"CSV Error on Line: (\d+)")
_COUNT = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


def _csv_error(exc: Exception, label: str) -> MierukaError:
    text = str(exc)
    line = _LINE.search(text)
    row = int(line.group(1)) if line else None
    count = _COUNT.search(text)
    if count:
        return MierukaError(
            Issue(
                "wrong number of fields",
                label,
                row,
                expected=f"{count.group(1)} fields, as in the header",
                found=f"{count.group(2)} fields",
            )
        )
    if "Invalid unicode" in text:
        return MierukaError(
            Issue(
                "cannot read file as UTF-8 or CP932 (Shift_JIS)",
                label,
                row,
                expected="text encoded in UTF-8 or CP932 (Shift_JIS)",
            )
        )
    detail = next((ln for ln in text.splitlines()[1:] if ln and not ln.startswith("Original")), "")
    return MierukaError(Issue(f"cannot read as CSV: {detail or text.splitlines()[0]}", label, row))
