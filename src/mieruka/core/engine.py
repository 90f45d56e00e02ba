"""The DuckDB engine: snapshots as views, locked down before any user formula runs.

Every formula has already been parsed and restricted by `sqlsafety`; as a second wall,
DuckDB's own external access is switched off (only the snapshot folder stays readable)
and the configuration is locked, so no formula can read a file, a URL or attach a database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
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
    def materialise(self, name: str, sql: str) -> None: ...
    def close(self) -> None: ...


EngineFactory = Callable[[Mapping[str, Path]], Engine]


class EngineError(Exception):
    """A query failed in an engine other than DuckDB (DuckDB raises `duckdb.Error`)."""


class EngineRefusal(EngineError):
    """The engine will not run a construct because its result could differ from DuckDB's."""


@dataclass(frozen=True)
class DuckDBFactory:
    """DuckDB engines with the workspace's memory limit, spilling to `temp_directory`."""

    memory_limit: str | None = None
    temp_directory: Path | None = None

    def __call__(
        self, snapshots: Mapping[str, Path], *, keyed: Mapping[str, Path] | None = None
    ) -> DuckDBEngine:
        return DuckDBEngine(
            snapshots,
            keyed=keyed,
            memory_limit=self.memory_limit,
            temp_directory=self.temp_directory,
        )


def engine_factory(
    name: str = "duckdb",
    master: str | None = None,
    *,
    memory_limit: str | None = None,
    temp_directory: Path | None = None,
) -> EngineFactory:
    """The engine named by the workspace's `engine` setting (`spark_master` for Spark;
    `memory_limit` and the folder DuckDB spills to beyond it for DuckDB)."""
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
    return DuckDBFactory(memory_limit, temp_directory)


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
        memory_limit: str | None = None,
        temp_directory: Path | None = None,
    ) -> None:
        """`keyed`: dataset -> its keyed copy (see `keyhash`), read by rewritten formulas.
        `memory_limit` (e.g. "3GB"): beyond it DuckDB spills to `temp_directory`."""
        self.con = duckdb.connect(":memory:")
        self.con.execute("SET enable_progress_bar = false")  # the CLI draws its own
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            self.con.execute("SET memory_limit = ?", [memory_limit])
        if temp_directory is not None:
            temp_directory.mkdir(parents=True, exist_ok=True)
            self.con.execute("SET temp_directory = ?", [str(temp_directory)])
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

    def materialise(self, name: str, sql: str) -> None:
        """Keep a query's result for the rest of the run as temporary table `name`."""
        self.con.execute(f'CREATE TEMP TABLE "{name}" AS {sql}')

    def close(self) -> None:
        self.con.close()
