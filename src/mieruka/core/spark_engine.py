"""The Spark engine: the same specs, figures and evidence as DuckDB, on a Spark cluster.

The evaluator hands every engine DuckDB SQL (that is what `sqlsafety` checked). Here it
is transpiled to Spark SQL (`spark_sql.to_spark`, which refuses what Spark would compute
differently) and run against temp views of the snapshots' Parquet files with the same
names as DuckDB's views.

A small DuckDB "shadow" engine over the same snapshots answers `describe` without
reading data (Parquet footers only), so column types are DuckDB's on both engines and
the aggregation SQL is built the same way; every query's output types on Spark are then
compared with DuckDB's and a difference is refused rather than returned.

The evidence fingerprint XORs DuckDB's 64-bit `hash` of each key. Spark computes it with
an Arrow UDF that calls DuckDB on each batch of keys, so fingerprints are bit-identical
and `mieruka evidence` (which runs on either engine) can check a Spark run. The UDF needs
`duckdb` and `pyarrow` on the executors — the same versions as on the driver.

One SparkSession serves the whole process (a JVM takes seconds to start); each engine
works in its own `newSession()`, so temp views of two runs never meet.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from mieruka.core.engine import DuckDBEngine, EngineError, EngineRefusal, view_name
from mieruka.core.issues import Issue, MierukaError
from mieruka.core.spark_sql import HASH_UDF, SparkRefusal, to_spark

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import DataType

DEFAULT_MASTER = "local[2]"
_LOCK = threading.Lock()
_SESSION: dict[str, SparkSession] = {}


def spark_session(master: str | None = None) -> SparkSession:
    """The process's SparkSession, started on first use (local mode: no UI, loopback only)."""
    master = master or DEFAULT_MASTER
    with _LOCK:
        if "root" in _SESSION:
            started = _SESSION["root"].sparkContext.master
            if started != master:
                raise MierukaError(
                    Issue(
                        f"a Spark session on {started} is already running in this process;"
                        f" cannot also use {master}"
                    )
                )
            return _SESSION["root"]
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master(master).appName("mieruka")
        if master.startswith("local"):
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            builder = (
                builder.config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.memory", "1g")
                .config("spark.sql.shuffle.partitions", "2")
            )
        try:
            session = _start(builder)
        except Exception as exc:  # no Java, master unreachable…: say so, not a JVM trace
            first = str(exc).strip().split("\n")[0]
            raise MierukaError(Issue(f"could not start Spark on {master}: {first}")) from exc
        session.sparkContext.setLogLevel("ERROR")
        _SESSION["root"] = session
        return session


def _start(builder: Any) -> SparkSession:
    return (
        builder.config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "true")
        .config("spark.sql.runSQLOnFiles", "false")  # no `parquet.`/path`` in a formula
        .getOrCreate()
    )


_WORKER: dict[str, duckdb.DuckDBPyConnection] = {}


def _duckdb_hash(keys: pa.Array) -> pa.Array:
    """DuckDB's hash of each key, as a signed 64-bit integer (bit_xor needs BIGINT).

    Runs in Spark's Python workers; one in-memory DuckDB connection per worker process.
    """
    con = _WORKER.get("con")
    if con is None:
        con = _WORKER["con"] = duckdb.connect(":memory:")
    batch = pa.table({"k": keys})  # noqa: F841 - read by DuckDB's replacement scan
    hashed = con.sql("SELECT hash(k) FROM batch").to_arrow_table().column(0)
    return hashed.combine_chunks().view(pa.int64())


@contextmanager
def _spark_errors() -> Iterator[None]:
    from pyspark.errors import PySparkException

    try:
        yield
    except SparkRefusal as exc:
        raise EngineRefusal(str(exc)) from exc
    except PySparkException as exc:
        raise EngineError(str(exc).strip().split("\n")[0]) from exc


class SparkEngine:
    name = "spark"

    def __init__(self, snapshots: Mapping[str, Path], *, master: str | None = None) -> None:
        from pyspark.sql.functions import arrow_udf

        self.shadow = DuckDBEngine(snapshots)
        self.spark = spark_session(master).newSession()
        hash_udf = arrow_udf(_duckdb_hash, "long")  # type: ignore[call-overload]  # stubs lag 4.x
        self.spark.udf.register(HASH_UDF, hash_udf)
        self.views: list[str] = []
        for dataset, path in snapshots.items():
            self._view(view_name(dataset), self.spark.read.parquet(str(path.resolve())))
        self.tables = {d: view_name(d) for d in snapshots}

    def _view(self, name: str, frame: DataFrame) -> None:
        frame.createOrReplaceTempView(name)
        self.views.append(name)

    def _frame(self, sql: str) -> tuple[DataFrame, dict[str, str]]:
        """Spark's DataFrame for DuckDB `sql` and DuckDB's column types, refused if they differ."""
        expected = self.shadow.describe(sql)
        with _spark_errors():
            frame = self.spark.sql(to_spark(sql))
            found = [(f.name, f.dataType) for f in frame.schema.fields]
        if len(found) != len(expected):  # e.g. two output columns with the same name
            raise EngineRefusal(
                f"the query returns columns {', '.join(f for f, _ in found)} on Spark but"
                f" {', '.join(expected)} on DuckDB"
            )
        for (name, duck), (_, spark_type) in zip(expected.items(), found, strict=True):
            if not same_type(duck, spark_type):
                raise EngineRefusal(
                    f"column {name} would be {spark_type.simpleString()} on Spark but {duck}"
                    " on DuckDB"
                )
        return frame, expected

    def describe(self, sql: str) -> dict[str, str]:
        """Column name -> DuckDB type, once Spark's plan is known to give the same types."""
        return self._frame(sql)[1]

    def query(self, sql: str) -> pa.Table:
        frame, _ = self._frame(sql)
        with _spark_errors():
            return frame.toArrow()

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with _spark_errors():
            return [tuple(row) for row in self.spark.sql(to_spark(sql)).collect()]

    def register(self, name: str, table: pa.Table) -> None:
        self.shadow.register(name, table)
        with _spark_errors():
            self._view(name, self.spark.createDataFrame(table))

    def hash_keys(self, dataset: str, key: str, columns: Sequence[str]) -> bool:
        """Spark hashes each formula's keys itself: it has no cheaper shared place for them."""
        return False

    def close(self) -> None:
        for name in self.views:
            self.spark.catalog.dropTempView(name)
        self.views.clear()
        self.shadow.close()


_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT"}
_SPARK_KINDS = {
    "BOOLEAN": "boolean",
    "VARCHAR": "string",
    "DATE": "date",
    "TIMESTAMP": "timestamp_ntz",
    "TIMESTAMP WITH TIME ZONE": "timestamp",
    "DOUBLE": "double",
    "FLOAT": "float",
}


def same_type(duck: str, spark: DataType) -> bool:
    """Whether a DuckDB column type and a Spark one hold the same values the same way."""
    text = spark.simpleString()
    if text == "void" or duck == '"NULL"':
        return True
    if duck.startswith("DECIMAL("):
        scale = duck.rstrip(")").split(",")[1].strip()
        return text.startswith("decimal(") and text.rstrip(")").split(",")[1] == scale
    if duck in _INTEGERS:
        return text in ("tinyint", "smallint", "int", "bigint") or text.endswith(",0)")
    return _SPARK_KINDS.get(duck) == text
