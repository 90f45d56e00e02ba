"""Source file → typed, checked Parquet file, all or nothing.

    typed = load_file(schema, Path("employees.csv"), Path("out.parquet"))

The pipeline (one DuckDB connection, one temporary directory):

1. `readers` exposes the file as text columns c0..cN with the user's row numbers;
2. `header` matches the header to the schema by name (order does not matter);
3. fast path, for a header without issues (`_copy_clean`, `_check_written`): one `COPY`
   streams the file through `typing_sql.strict_sql` — which raises on the first text SQL
   cannot convert, a blank required value or a broken min/max/values rule — into the
   output, reading, converting and writing in parallel, in file order. Then the written
   file is checked: text that needs trimming and key order (`written_checks`, pyarrow),
   key uniqueness when the keys are not sorted, and the packs' extra checks. A clean file,
   the common case, is done here. Any doubt (an error, text to trim, a blank or duplicate
   key, an extra check's issue) removes the output and takes the full path;
4. full path: one `CREATE TABLE ... AS SELECT` converts every column with `typing_sql` and
   keeps, next to each typed column, the original text of the rows that need a second
   look; `load_checks` counts, in one aggregate scan, what needs a second look per column;
   only a non-zero count runs the Python fallback (`mieruka.japan`, for the rare texts SQL
   could not convert) and the row-level queries that name rows; key uniqueness is proven
   by the cheapest means that works (sorted keys, then distinct hashes); the packs' extra
   checks run; if there is any issue, `MierukaError` carries all of them (capped) and no
   output exists; else `COPY` writes the table, in file order.

Output: zstd Parquet with version-2 pages (DuckDB, pyarrow, polars and Spark 4 read them;
half the bytes of snappy, and at 10M rows as fast to write). The same content is not
always the same bytes: DuckDB's parallel writer cuts row groups where its batches end.
Forcing one layout took a sort by row, a third of a 10M-row load, so a repeated load is
recognised by its content instead (`content.same_content`, in `datasets.load`).

Rows keep file order only because the connection disables DuckDB's `in_clause` optimizer
while converting (`_file_order`): it turns `x IN (a, b, ...)` into a hash join, which
reorders rows, so rowid — the user's row number — no longer followed the file beyond
~100k rows (issues named the wrong rows).

Measured at 10M rows (bench/bench_load.py) and not kept:

- a typed `read_csv(types=...)`: DuckDB's CSV casts are more lenient than the input
  contract ('12.5' → 13, '0x1F', '1e3', and with a dateformat 'epoch' and '24-03-31'), so
  it cannot be the reference;
- building a table first, then a `COPY ... ORDER BY` row (the design until session 4):
  the table stores everything once more and the sort is serial at its end — 5.1-5.3 s
  against 2.8-3.3 s for the stream;
- trimming text in SQL: testing each value's last character (`x[-1]`, `suffix` per
  whitespace character, a regexp) costs ~0.25 s per text column at 10M rows, pyarrow's
  `utf8_trim` on the written column ~0.08 s; a code list needs neither (' F' is no code);
- dates by `GLOB '[0-9]...'`: the round trip `CAST(try_cast(x AS DATE) AS VARCHAR) = x`
  is exact as well and cheaper;
- no dictionary encoding, a larger row group, snappy, lz4 or zstd level 1: within the
  noise, or slower.

Where the time goes now (10M clean rows, 2 cores): the COPY ~2.6 s (DuckDB's own typed
copy ~1.8 s; the difference is the strict conversion), written-file checks ~0.3 s, the
source's sha256 (provenance) on a thread after the COPY, overlapping with those checks.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
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
    edge_checked,
    lit,
    quote,
    sql_type,
    strict_rules_sql,
    strict_sql,
)
from mieruka.core.written_checks import scan_written

ExtraCheck = Callable[[duckdb.DuckDBPyConnection, str, str], list[Issue]]
VIEW = "data"  # what extra checks see: __row plus the typed columns in schema order
PARQUET = "(FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION V2)"


@dataclass(frozen=True)
class TypedFile:
    parquet: Path  # written file (the caller moves it into the snapshot store)
    sha256: str  # sha256 of the parquet file bytes (content address)
    rows: int
    source_sha256: str  # sha256 of the source file bytes
    encoding: str | None  # detected, for CSV


def sha256_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


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
    the full path's table and the COPY's buffers spill to the temporary directory."""
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
            header = match_header(schema, src.header, label)
            say("converting types and writing")
            copied = _copy_clean(con, schema, src, header, partial)
            # the COPY keeps every core busy; hashing the source overlaps with what follows
            source_hash = pool.submit(sha256_file, source)
            rows = None
            if copied:
                rows = _check_written(con, schema, header, src, label, extra_checks, partial)
            if rows is None:
                rows, src = _load(
                    con, schema, src, header, label, source, Path(tmp), extra_checks, say
                )
                say(f"writing {rows:,} rows")
                columns = ", ".join(quote(c.name) for c in schema.columns)
                con.execute(
                    f"COPY (SELECT {columns} FROM {TABLE}) TO {lit(str(partial))} {PARQUET}"
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


Header = tuple[dict[str, int], list[int], list[Issue]]  # what `match_header` returns


def _copy_clean(
    con: duckdb.DuckDBPyConnection, schema: DatasetSchema, src: Source, header: Header, out: Path
) -> bool:
    """The fast path: stream the file, typed, straight into `out`; False on any doubt.

    One `COPY` reads, converts with `strict_sql`/`strict_rules_sql` (which raise on the
    first text SQL cannot convert, a blank required value or a broken min/max/values rule)
    and writes, all in parallel and in file order. A header issue or an error leaves no
    `out`: the full path words every issue.
    """
    positions, unnamed, header_issues = header
    if header_issues or unnamed:
        return False
    inner: list[str] = []
    outer: list[str] = []
    for column in schema.columns:
        name = quote(column.name)
        if column.name in positions:
            inner.append(f"{strict_sql(column, f'c{positions[column.name]}')} AS {name}")
            outer.append(f"{strict_rules_sql(column, name)} AS {name}")
        else:
            outer.append(f"NULL::{sql_type(column)} AS {name}")
    try:
        with _file_order(con):
            con.execute(
                f"COPY (SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner) or '1'} "
                f"FROM {src.relation})) TO {lit(str(out))} {PARQUET}"
            )
    except duckdb.Error:
        out.unlink(missing_ok=True)
        return False
    return True


def _check_written(
    con: duckdb.DuckDBPyConnection,
    schema: DatasetSchema,
    header: Header,
    src: Source,
    label: str,
    extra_checks: Sequence[ExtraCheck],
    out: Path,
) -> int | None:
    """The fast path's checks on the written `out`: its row count, or None (and no `out`).

    Text edges and key order (`written_checks`), key uniqueness otherwise, then the packs'
    checks. Any doubt — text to trim, a blank or duplicate key, an extra check's issue —
    sends the load down the full path, which words every issue.
    """
    positions = header[0]
    scan = f"read_parquet({lit(str(out))})"  # in file order, as written
    rows = int(con.execute(f"SELECT count(*) FROM {scan}").fetchall()[0][0])
    keyed = bool(schema.key) and all(k in positions for k in schema.key)
    text = [c.name for c in schema.columns if c.name in positions and edge_checked(c)]
    single = schema.key[0] if keyed and len(schema.key) == 1 else None
    clean, ordered = scan_written(out, text, single)
    if clean and keyed and not ordered:  # a single key's order is already known
        keys = [quote(k) for k in schema.key]
        total, unique = keys_unique(con, keys, scan, check_order=single is None)
        clean = total == rows and unique
    if clean and extra_checks:
        _create_view(con, schema, src, written=out)
        clean = not any(check(con, VIEW, label) for check in extra_checks)
        con.execute(f"DROP VIEW {VIEW}")
    if not clean:
        out.unlink()
        return None
    return rows


def _load(
    con: duckdb.DuckDBPyConnection,
    schema: DatasetSchema,
    src: Source,
    header: Header,
    label: str,
    path: Path,
    tmp: Path,
    extra_checks: Sequence[ExtraCheck],
    say: Callable[[str], None],
) -> tuple[int, Source]:
    """The full path: build and check the typed table; its row count and the final source."""
    issues = IssueCollector()
    positions, unnamed, header_issues = header
    issues.extend(header_issues)
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


@contextmanager
def _file_order(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Keep rows in file order while the block runs.

    DuckDB rewrites `x IN (a, b, ...)` into a hash join, which does not keep insertion
    order: rowid (the user's row number) would no longer follow the file. Queries over
    the built table read rowid from the scan, so they may use the optimizer again.
    """
    con.execute("SET disabled_optimizers = 'in_clause'")
    try:
        yield
    finally:
        con.execute("RESET disabled_optimizers")


def _create_view(
    con: duckdb.DuckDBPyConnection, schema: DatasetSchema, src: Source, written: Path | None = None
) -> None:
    """`VIEW`: each row's `__row` as the user sees it, then the typed columns — over the
    typed table, or over the `written` file. That file is in source order, so a row's
    position stands for the table's rowid; a source that numbers its own rows (XLSX skips
    blank ones) lends them by position."""
    names = ", ".join(quote(c.name) for c in schema.columns)
    scan = f"read_parquet({lit(str(written))}, file_row_number=true)"
    if written is None:
        body = f"{src.row_sql} AS __row, {names} FROM {TABLE}"
    elif src.row_sql == "__row":
        body = f"s.__row, {names} FROM (SELECT __row FROM {src.relation}) s POSITIONAL JOIN {scan}"
    else:
        body = (
            f"{src.row_sql} AS __row, {names} "
            f"FROM (SELECT file_row_number AS rowid, {names} FROM {scan})"
        )
    con.execute(f"CREATE OR REPLACE VIEW {VIEW} AS SELECT {body}")


def _create_typed(
    con: duckdb.DuckDBPyConnection,
    schema: DatasetSchema,
    src: Source,
    positions: dict[str, int],
    unnamed: list[int],
) -> None:
    inner = ["__row"] if src.row_sql == "__row" else []
    inner += [f'c{i} AS "__unnamed_{i}"' for i in unnamed]
    outer = [c.split(" AS ")[-1] for c in inner]
    for column in schema.columns:
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
    with _file_order(con):
        con.execute(
            f"CREATE TABLE {TABLE} AS SELECT {', '.join(outer)} "
            f"FROM (SELECT {', '.join(inner) or '1 AS __none'} FROM {src.relation})"
        )


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
