"""Source file → typed, checked Parquet file, all or nothing.

    typed = load_file(schema, Path("employees.csv"), Path("out.parquet"))

The pipeline (one DuckDB connection, one temporary directory):

1. `readers` exposes the file as text columns c0..cN with the user's row numbers;
2. `header` matches the header to the schema by name (order does not matter);
3. one `CREATE TABLE ... AS SELECT` converts every column with `typing_sql` and keeps,
   next to each typed column, the original text of the rows that need a second look;
4. `load_checks` counts, in one aggregate scan, what needs a second look per column;
   only a non-zero count runs the Python fallback (`mieruka.japan`, for the rare texts
   SQL could not convert) and the row-level queries that name rows; key uniqueness is
   proven by the cheapest means that works (sorted keys, then distinct hashes);
5. the packs' extra checks run; if there is any issue, `MierukaError` carries all of
   them (capped) and no output exists;
6. `COPY ... ORDER BY <row>` writes zstd Parquet. Ordering by the original row makes the
   bytes depend on the content only: a CSV and an XLSX with the same data give the same
   sha256 (without it, DuckDB's row-group boundaries follow the reader's batches and
   differ from run to run — measured at 10M rows).

The table keeps file order only because the connection disables DuckDB's `in_clause`
optimizer: it turns `x IN (a, b, ...)` into a hash join, which reorders rows, so rowid —
the user's row number — no longer followed the file beyond ~100k rows (issues named the
wrong rows and the bytes varied between runs).

Why no typed `read_csv(types=...)` fast path: measured at 10M rows it is slower than
reading all-VARCHAR and converting in SQL, and DuckDB's casts are more lenient than the
input contract ('12.5' → 13, '0x1F', 'nan'), so it could not be the reference anyway.
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
from mieruka.core.load_checks import TABLE, check_table, rows_where
from mieruka.core.readers import Source, read_source, reread_as_cp932
from mieruka.core.schema import DatasetSchema
from mieruka.core.typing_sql import (
    bad_sql,
    convert_sql,
    lit,
    quote,
    sql_type,
)

ExtraCheck = Callable[[duckdb.DuckDBPyConnection, str, str], list[Issue]]
VIEW = "data"  # what extra checks see: __row plus the typed columns in schema order


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
) -> TypedFile:
    """Check and type `source` against `schema` and write `out_parquet`, or raise."""
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
        tempfile.TemporaryDirectory(prefix="mieruka-load-") as tmp,
    ):
        source_hash = pool.submit(sha256_file, source)  # overlaps with DuckDB's work
        con = duckdb.connect(config={"temp_directory": tmp, "preserve_insertion_order": True})
        try:
            con.execute("SET enable_progress_bar = false")
            say(f"reading {source.name}")
            src = read_source(con, source, label, Path(tmp), sheet)
            rows, src = _load(con, schema, src, label, source, Path(tmp), extra_checks, say)
            say(f"writing {rows:,} rows")
            order = "__row" if src.row_sql == "__row" else "rowid"
            cols = ", ".join(quote(c.name) for c in schema.columns)
            con.execute(
                f"COPY (SELECT {cols} FROM {TABLE} ORDER BY {order}) TO {lit(str(partial))} "
                "(FORMAT parquet, COMPRESSION zstd)"
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
    con.execute(
        f"CREATE VIEW {VIEW} AS SELECT {src.row_sql} AS __row, "
        + ", ".join(quote(c.name) for c in schema.columns)
        + f" FROM {TABLE}"
    )
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
    # DuckDB rewrites `x IN (a, b, ...)` into a hash join, which does not keep insertion
    # order: rowid (the user's row number) would no longer follow the file. Queries over
    # the built table read rowid from the scan, so they may use the optimizer again.
    con.execute("SET disabled_optimizers = 'in_clause'")
    con.execute(
        f"CREATE TABLE {TABLE} AS SELECT {', '.join(outer)} "
        f"FROM (SELECT {', '.join(inner) or '1 AS __none'} FROM {src.relation})"
    )
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
