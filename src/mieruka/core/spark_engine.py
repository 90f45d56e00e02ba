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

A DOUBLE cast to DECIMAL is rounded differently by the two engines; such casts call
`duckdb_decimal_<p>_<s>`, an Arrow UDF doing DuckDB's cast, registered on first use.

One SparkSession serves the whole process (a JVM takes seconds to start); each engine
works in its own `newSession()`, so temp views of two runs never meet.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from mieruka.core.engine import DuckDBEngine, EngineError, EngineRefusal, view_name
from mieruka.core.issues import Issue, MierukaError
from mieruka.core.spark_sql import (
    DECIMAL_UDF,
    HASH_UDF,
    REFUSED_AT_RUN_TIME,
    SparkRefusal,
    to_spark,
)

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
                .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "1g"))
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
        .config("spark.ui.showConsoleProgress", "false")  # the CLI draws its own progress
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


def _duckdb_decimal(precision: int, scale: int) -> Any:
    """DuckDB's CAST(x AS DECIMAL(precision, scale)) of each value, for an Arrow UDF."""
    cast = f"SELECT CAST(x AS DECIMAL({precision}, {scale})) FROM batch"

    def convert(values: pa.Array) -> pa.Array:
        con = _WORKER.get("con")
        if con is None:
            con = _WORKER["con"] = duckdb.connect(":memory:")
        batch = pa.table({"x": values})  # noqa: F841 - read by DuckDB's replacement scan
        return con.sql(cast).to_arrow_table().column(0).combine_chunks()

    return convert


_DECIMAL_CALL = re.compile(rf"\b{DECIMAL_UDF}_(\d+)_(\d+)\(", re.IGNORECASE)


@contextmanager
def _spark_errors() -> Iterator[None]:
    from pyspark.errors import PySparkException

    try:
        yield
    except SparkRefusal as exc:
        raise EngineRefusal(str(exc)) from exc
    except PySparkException as exc:
        first = str(exc).strip().split("\n")[0]
        if REFUSED_AT_RUN_TIME in first:  # a check the translation added (see spark_sql)
            reason = first.split(REFUSED_AT_RUN_TIME, 1)[1].split(" SQLSTATE")[0].strip()
            raise EngineRefusal(reason) from exc
        raise EngineError(first) from exc


class SparkEngine:
    name = "spark"

    def __init__(self, snapshots: Mapping[str, Path], *, master: str | None = None) -> None:
        from pyspark.sql.functions import arrow_udf

        self.shadow = DuckDBEngine(snapshots)
        self.spark = spark_session(master).newSession()
        hash_udf = arrow_udf(_duckdb_hash, "long")  # type: ignore[call-overload]  # stubs lag 4.x
        self.spark.udf.register(HASH_UDF, hash_udf)
        self.udfs: set[str] = set()
        self.views: list[str] = []
        self.cached: list[DataFrame] = []
        for dataset, path in snapshots.items():
            self._view(view_name(dataset), self.spark.read.parquet(str(path.resolve())))
        self.tables = {d: view_name(d) for d in snapshots}

    def _view(self, name: str, frame: DataFrame) -> None:
        frame.createOrReplaceTempView(name)
        self.views.append(name)

    def _spark_sql(self, sql: str) -> str:
        """The Spark text of DuckDB `sql`, with the UDFs it calls registered."""
        text = to_spark(sql)
        for found in _DECIMAL_CALL.finditer(text):
            precision, scale = int(found.group(1)), int(found.group(2))
            name = f"{DECIMAL_UDF}_{precision}_{scale}"
            if name not in self.udfs:
                from pyspark.sql.functions import arrow_udf

                udf = arrow_udf(  # type: ignore[call-overload]  # stubs lag 4.x
                    _duckdb_decimal(precision, scale), f"decimal({precision},{scale})"
                )
                self.spark.udf.register(name, udf)
                self.udfs.add(name)
        return text

    def _frame(self, sql: str) -> tuple[DataFrame, dict[str, str]]:
        """Spark's DataFrame for DuckDB `sql` and DuckDB's column types, refused if they differ."""
        expected = self.shadow.describe(sql)
        with _spark_errors():
            frame = self.spark.sql(self._spark_sql(sql))
            found = [(f.name, f.dataType) for f in frame.schema.fields]
        if len(found) != len(expected):  # e.g. two output columns with the same name
            raise EngineRefusal(
                f"the query returns columns {', '.join(f for f, _ in found)} on Spark but"
                f" {', '.join(expected)} on DuckDB"
            )
        for (name, duck), (_, spark_type) in zip(expected.items(), found, strict=True):
            if duck == "UBIGINT" and spark_type.simpleString() == "bigint":
                continue  # DuckDB's 64-bit hash, signed on Spark (see _as_duckdb)
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
        frame, types = self._frame(sql)
        with _spark_errors():
            table = frame.toArrow()
        for i, duck in enumerate(types.values()):
            column = table.column(i).combine_chunks()
            if duck == "UBIGINT":
                column = column.view(pa.uint64())
            elif duck == "HUGEINT":  # DuckDB hands a HUGEINT (sum of BIGINT) as DECIMAL(38, 0)
                column = column.cast(pa.decimal128(38, 0))
            elif duck in _INTEGERS and pa.types.is_decimal(column.type):
                column = column.cast(pa.int64())
            else:
                continue
            table = table.set_column(i, table.field(i).with_type(column.type), column)
        return table

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        frame, types = self._frame(sql)  # a pack function's rows too: same types or refused
        integers = [i for i, duck in enumerate(types.values()) if duck in _INTEGERS]
        unsigned = [i for i, duck in enumerate(types.values()) if duck == "UBIGINT"]
        with _spark_errors():
            rows = [tuple(row) for row in frame.collect()]
        if integers or unsigned:
            rows = [_as_duckdb(row, integers, unsigned) for row in rows]
        return rows

    def register(self, name: str, table: pa.Table) -> None:
        self.shadow.register(name, table)
        with _spark_errors():
            self._view(name, self.spark.createDataFrame(table))

    def materialise(self, name: str, sql: str) -> None:
        """A view of the query, cached by Spark when first computed (memory, then disk);
        the DuckDB shadow, which only describes queries, gets an empty table of its types."""
        frame, _ = self._frame(sql)
        self.shadow.materialise(name, f"SELECT * FROM ({sql}) AS s LIMIT 0")
        with _spark_errors():
            self.cached.append(frame.cache())
            self._view(name, frame)

    def close(self) -> None:
        for frame in self.cached:
            frame.unpersist()
        self.cached.clear()
        for name in self.views:
            self.spark.catalog.dropTempView(name)
        self.views.clear()
        self.shadow.close()


def _as_duckdb(row: tuple[Any, ...], integers: list[int], unsigned: list[int]) -> tuple[Any, ...]:
    """Python values as DuckDB's `fetchall` gives them: integers as int (Spark may hold an
    integer as DECIMAL(p, 0)), UBIGINT (the fingerprint hashes) from Spark's signed bits."""
    out = list(row)
    for i in integers:
        if out[i] is not None:
            out[i] = int(out[i])
    for i in unsigned:
        if out[i] is not None:
            out[i] = out[i] & 0xFFFFFFFFFFFFFFFF
    return tuple(out)


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
