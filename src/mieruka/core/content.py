"""Whether two Parquet files hold the same content: what a repeated load is compared by.

    same_content(new_file, stored_file)  # True: the load is a no-op

A snapshot's hash is the sha256 of its file's bytes, which is what `verify` checks and
what runs record. The bytes do not follow from the content alone: the loader writes rows
in file order, but DuckDB's parallel writer cuts row groups where its batches end, so
the same rows can be written as different bytes. Sorting to force one layout cost a
third of a 10M-row load; comparing the content when it matters is cheaper.

Two files hold the same content when they have the same column names and types, in
order, and the same rows as a multiset: equal row counts and nothing in one `EXCEPT ALL`
the other (NULLs compare equal there). The order of the rows does not count; a dataset
is a table to its indicators. A fingerprint (the sum of 64-bit row hashes) decides most
pairs in one scan of each file before the exact comparison runs.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from mieruka.core.typing_sql import lit, quote


def same_content(a: Path, b: Path, *, memory_limit: str | None = None) -> bool:
    scans = [f"read_parquet({lit(str(p))})" for p in (a, b)]
    config: dict[str, str | bool | int | float | list[str]] = {}
    if memory_limit:
        config["memory_limit"] = memory_limit
    with duckdb.connect(config=config) as con:
        columns = [con.execute(f"DESCRIBE SELECT * FROM {s}").fetchall() for s in scans]
        if [c[:2] for c in columns[0]] != [c[:2] for c in columns[1]]:
            return False
        row = ", ".join(quote(str(c[0])) for c in columns[0])
        prints = [
            con.execute(f"SELECT count(*), sum(hash({row})::HUGEINT) FROM {s}").fetchall()
            for s in scans
        ]
        if prints[0] != prints[1]:
            return False
        left = con.execute(
            f"SELECT count(*) FROM (SELECT * FROM {scans[0]} EXCEPT ALL SELECT * FROM {scans[1]})"
        ).fetchall()
        return int(left[0][0]) == 0
