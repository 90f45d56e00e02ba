"""The DuckDB engine: snapshots as views, locked down before any user formula runs.

Every formula has already been parsed and restricted by `sqlsafety`; as a second wall,
DuckDB's own external access is switched off (only the snapshot folder stays readable)
and the configuration is locked, so no formula can read a file, a URL or attach a database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from mieruka.core.issues import Issue, MierukaError
from mieruka.core.keyhash import keyed_table


class Engine(Protocol):
    """What the evaluator needs from an engine; SQL passed in is DuckDB SQL."""

    name: str
    tables: dict[str, str]

    def describe(self, sql: str) -> dict[str, str]: ...
    def query(self, sql: str) -> pa.Table: ...
    def rows(self, sql: str) -> list[tuple[Any, ...]]: ...
    def register(self, name: str, table: pa.Table) -> None: ...
    def close(self) -> None: ...


EngineFactory = Callable[[Mapping[str, Path]], Engine]


class EngineError(Exception):
    """A query failed in an engine other than DuckDB (DuckDB raises `duckdb.Error`)."""


class EngineRefusal(EngineError):
    """The engine will not run a construct because its result could differ from DuckDB's."""


def engine_factory(name: str = "duckdb", master: str | None = None) -> EngineFactory:
    """The engine named by the workspace's `engine` setting (`spark_master` for Spark)."""
    if name == "spark":
        try:
            from mieruka.core.spark_engine import SparkEngine  # pyspark is an optional extra
        except ImportError as exc:
            raise MierukaError(
                Issue(
                    f'engine = "spark" needs PySpark ({exc}); install it with'
                    " pip install 'mieruka[spark]'"
                )
            ) from exc

        def spark(snapshots: Mapping[str, Path]) -> Engine:
            return SparkEngine(snapshots, master=master)

        return spark
    return DuckDBEngine


def view_name(dataset: str) -> str:
    return f"ds_{dataset}"


def indicator_table_name(index: int) -> str:
    return f"ind_{index}"


class DuckDBEngine:
    name = "duckdb"

    def __init__(
        self,
        snapshots: Mapping[str, Path],
        *,
        threads: int | None = None,
        keyed: Mapping[str, Path] | None = None,
    ) -> None:
        """`keyed`: dataset -> its keyed copy (see `keyhash`), read by rewritten formulas."""
        self.con = duckdb.connect(":memory:")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        keyed = keyed or {}
        paths = [*snapshots.values(), *keyed.values()]
        folders = sorted({str(p.resolve().parent) + "/" for p in paths})
        views = {view_name(d): p for d, p in snapshots.items()}
        views |= {keyed_table(d): p for d, p in keyed.items()}
        for view, path in views.items():
            literal = str(path.resolve()).replace("'", "''")
            self.con.execute(f"CREATE VIEW \"{view}\" AS SELECT * FROM read_parquet('{literal}')")
        if folders:
            quoted = ", ".join("'" + f.replace("'", "''") + "'" for f in folders)
            self.con.execute(f"SET allowed_directories = [{quoted}]")
        self.con.execute("SET enable_external_access = false")
        self.con.execute("SET autoinstall_known_extensions = false")
        self.con.execute("SET autoload_known_extensions = false")
        self.con.execute("SET lock_configuration = true")
        self.tables = {d: view_name(d) for d in snapshots}

    def describe(self, sql: str) -> dict[str, str]:
        """Column name -> DuckDB type of a query's output, without running it."""
        rows = self.con.execute(f"DESCRIBE {sql}").fetchall()
        return {str(r[0]): str(r[1]) for r in rows}

    def query(self, sql: str) -> pa.Table:
        return self.con.sql(sql).to_arrow_table()

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()

    def register(self, name: str, table: pa.Table) -> None:
        self.con.register(name, table)

    def close(self) -> None:
        self.con.close()
