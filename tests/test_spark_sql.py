"""DuckDB SQL -> Spark SQL: same results or a clear refusal (no JVM needed here)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from tests.conftest import make_project

from mieruka.core.engine import EngineRefusal
from mieruka.core.issues import MierukaError
from mieruka.core.spark_sql import SparkRefusal, to_spark
from mieruka.core.workspace import open_workspace


def test_division_is_done_in_double_as_duckdb_does() -> None:
    assert to_spark("SELECT a / b AS r FROM t") == (
        "SELECT CAST(a AS DOUBLE) / CAST(b AS DOUBLE) AS r FROM t"
    )


def test_the_fingerprint_hash_is_duckdbs_and_grouping_becomes_grouping_id() -> None:
    sql = to_spark('SELECT "d", GROUPING("d", "e") AS gid, bit_xor(hash(key)) FROM t')
    assert "DUCKDB_HASH(key)" in sql and "GROUPING_ID(`d`, `e`)" in sql


def test_nulls_sort_last_as_in_duckdb() -> None:
    assert to_spark("SELECT key FROM t ORDER BY key").endswith("ORDER BY key NULLS LAST")


@pytest.mark.parametrize(
    ("sql", "construct"),
    [
        ("SELECT avg(x) FROM t", "AVG"),
        ("SELECT round(x, 1) FROM t", "ROUND"),
        ("SELECT date_diff('month', a, b) FROM t", "DATEDIFF"),
        ("SELECT trim(x, 'ab') FROM t", "TRIM"),
        ("SELECT left(x, -2) FROM t", "LEFT"),
        ("SELECT left(x, n) FROM t", "LEFT"),
        ("SELECT substring(x, 0, 2) FROM t", "SUBSTRING"),
        ("SELECT strptime(x, '%d/%m/%Y') FROM t", "STR_TO_TIME"),
        ("SELECT concat_ws(',', a, b) FROM t", "CONCAT_WS"),
        ("SELECT regexp_matches(x, 'a.b') FROM t", "REGEXP_LIKE"),
        ("SELECT regexp_replace(x, '^[0-9]+', '') FROM t", "REGEXP_REPLACE"),
        ("SELECT string_agg(x, ',') FROM t", "GROUP_CONCAT"),
        ("SELECT string_agg(DISTINCT x, ',') FROM t", "GROUP_CONCAT"),
        ("SELECT row_number() OVER () FROM t", "ROW_NUMBER"),
        ("SELECT lag(x, 2) OVER (ORDER BY k) FROM t", "LAG"),
        ("SELECT str_split(x, ';') FROM t", "SPLIT"),
        ("SELECT to_days(3) AS span FROM t", "interval"),
        ("SELECT to_days(1) + to_days(2) FROM t", "interval"),
        ("SELECT d - INTERVAL 1 HOUR FROM t", "HOUR"),
        ("SELECT my_macro(x) FROM t", "my_macro"),
        ("SELECT x // 2 FROM t", "//"),
        ("SELECT x FROM t WHERE y LIKE 'a\\_%'", "LIKE"),
    ],
)
def test_what_spark_would_compute_differently_is_refused(sql: str, construct: str) -> None:
    with pytest.raises(SparkRefusal, match=construct):
        to_spark(sql)


def test_spark_master_is_a_setting(tmp_path: Path) -> None:
    project = make_project(tmp_path / "ws", {}, packs=[])
    config = project.ws.root / "mieruka.toml"
    text = config.read_text(encoding="utf-8").replace("engine = 'duckdb'", 'engine = "spark"')
    config.write_text(text + 'spark_master = "spark://cluster:7077"\n', encoding="utf-8")
    settings = open_workspace(project.ws.root).settings
    assert (settings.engine, settings.spark_master) == ("spark", "spark://cluster:7077")
    config.write_text(text + "spark_master = 7077\n", encoding="utf-8")
    with pytest.raises(MierukaError, match="spark_master"):
        open_workspace(project.ws.root)


# --- each translated function, run on both engines over the same edge cases -------------

STRINGS = [
    "  a b  ",
    "\ta\t",
    "\n a",
    "",
    None,
    "　全角　",
    "JE-0012",
    "X12\n",
    "a;b;",
    ";",
    "日本語テキスト",
]
DATES = [
    date(2024, 2, 29),
    date(2023, 2, 28),
    date(2024, 12, 31),
    date(2025, 3, 30),
    None,
    date(2024, 3, 1),
    date(2000, 1, 1),
    date(1999, 12, 31),
    date(2024, 4, 6),
    date(2024, 4, 7),
    date(2024, 1, 31),
]
STAMPS = [
    datetime(2024, 2, 28, 23, 59),
    datetime(2024, 3, 1, 0, 1),
    None,
    datetime(2024, 12, 31, 12),
    datetime(2023, 1, 1),
    datetime(2024, 2, 29, 0, 0, 1),
    datetime(2024, 4, 7, 8),
    datetime(2024, 4, 6, 23, 59, 59),
    datetime(1999, 12, 31, 23),
    datetime(2025, 1, 1),
    datetime(2024, 6, 15, 12, 30),
]
NUMBERS = [2.675, 1.005, -2.5, 0.125, -0.125, 1e-7, 2.5, -0.5, None, 123456.789, 0.0]


def _edge_table() -> pa.Table:
    n = len(STRINGS)
    return pa.table(
        {
            "i": pa.array(range(n), pa.int64()),
            "s": STRINGS,
            "d": pa.array(DATES, pa.date32()),
            "e": pa.array(list(reversed(DATES)), pa.date32()),
            "ts": pa.array(STAMPS, pa.timestamp("us")),
            "x": pa.array(NUMBERS, pa.float64()),
            "g": ["a", "a", "a", "b", "b", "b", "c", "c", "c", "d", "d"],
            "v": [3, None, 1, 5, 5, None, 7, 8, 9, None, None],
        }
    )


def _random_doubles() -> pa.Table:
    import numpy as np

    rng = np.random.default_rng(9)
    halves = rng.integers(-(10**6), 10**6, 2000) / 2000  # many exact .5 ties at 3 digits
    wide = rng.normal(0, 1000, 2000)
    return pa.table({"x": np.concatenate([halves, wide]), "y": rng.integers(1, 9, 4000)})


@pytest.fixture(scope="module")
def engine() -> Iterator[Any]:
    """A Spark engine with the edge-case tables; its shadow DuckDB holds the same ones."""
    if shutil.which("java") is None:  # the test set-up (scripts/setup) installs Java
        pytest.fail("Java is not installed: run scripts/setup", pytrace=False)
    from mieruka.core.spark_engine import SparkEngine

    spark = SparkEngine({}, master="local[2]")
    for name, table in {"t": _edge_table(), "r": _random_doubles()}.items():
        spark.register(name, table)
    yield spark
    spark.close()


def _both(engine: Any, sql: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """DuckDB's rows and Spark's (column types checked equal by the engine)."""
    return engine.shadow.rows(sql), engine.rows(sql)


SAME_ON_BOTH = {
    "trim removes spaces only": "SELECT i, trim(s) FROM t ORDER BY i",
    "replace, also of nothing": "SELECT i, replace(s, ';', ','), replace(s, 'a', ''), replace(s, '', 'x') FROM t ORDER BY i",
    "left counts characters": "SELECT i, left(s, 0), left(s, 2) FROM t ORDER BY i",
    "substring from a position": "SELECT i, substring(s, 2), substring(s, 2, 3), substring(s, 12) FROM t ORDER BY i",
    "contains, also the empty string": "SELECT i, contains(s, 'a'), contains(s, '') FROM t ORDER BY i",
    "greatest and least skip NULLs": "SELECT i, greatest(v, i), least(v, i), greatest(d, e), least(CAST(NULL AS INTEGER), v) FROM t ORDER BY i",
    "round of a quotient, ties and negatives": "SELECT i, round(x / 1, 0), round(x / 1, 2), round(x / 3, 6), round(x / -7, 15) FROM t ORDER BY i",
    "round of many quotients": "SELECT x, y, round(x / y, 0), round(x / y, 2), round(x / 1, 3), round(x * 1000 / y, 6) FROM r ORDER BY x, y",
    "date_diff in days, dates and timestamps": "SELECT i, date_diff('day', d, e), date_diff('day', e, d), datediff('day', ts, CAST('2024-03-01 00:00:00' AS TIMESTAMP)) FROM t ORDER BY i",
    "dayofweek from Sunday 0": "SELECT i, dayofweek(d), dayofweek(ts) FROM t ORDER BY i",
    "last_day, leap years": "SELECT i, last_day(d), last_day(ts) FROM t ORDER BY i",
    "make_date": "SELECT i, make_date(year(d), month(d), 1), make_date(2024, 2, 29) FROM t ORDER BY i",
    "bool_or and bool_and skip NULLs": "SELECT g, bool_or(v > 4), bool_and(v > 2) FROM t GROUP BY g ORDER BY g",
    "strptime of digits": "SELECT i, strptime(CAST(year(d) * 10000 + month(d) * 100 + day(d) AS VARCHAR), '%Y%m%d'), strptime(CAST(d AS VARCHAR), '%Y-%m-%d') FROM t ORDER BY i",
    "concat_ws skips NULLs": "SELECT i, concat_ws('; ', CASE WHEN v > 3 THEN 'big' END, CASE WHEN v IS NULL THEN 'none' ELSE 'some' END, NULL) FROM t ORDER BY i",
    "regular expressions anchored at the end": "SELECT i, regexp_matches(s, '[0-9]+$'), regexp_extract(s, '([0-9]+)$', 1), regexp_replace(s, '[0-9]+$', ''), regexp_extract(s, '^([A-Z]+)-', 1) FROM t ORDER BY i",
    "unnest of str_split": "SELECT i, unnest(str_split(s, ';')) AS part FROM t WHERE i >= 8 ORDER BY i, part",
    "split_part": "SELECT i, split_part(s, ';', 1), split_part(s, ';', 2), split_part(s, ';', 5) FROM t ORDER BY i",
    "any_value of equal values": "SELECT g, any_value(CASE WHEN g = 'd' THEN NULL ELSE g || '!' END) FROM t GROUP BY g ORDER BY g",
    "arg_max and arg_min skip NULLs": "SELECT g, arg_max(v, i), arg_min(v, i), arg_max(i, v) FILTER (WHERE v < 8), arg_max(s, d) FROM t WHERE g <> 'b' GROUP BY g ORDER BY g",
    "string_agg ordered by its parts": "SELECT g, string_agg(s, '|' ORDER BY s), listagg(CAST(v AS VARCHAR), ',' ORDER BY CAST(v AS VARCHAR) DESC), string_agg(s, '' ORDER BY s) FILTER (WHERE i > 100) FROM t GROUP BY g ORDER BY g",
    "string_agg ordered by a unique key": "SELECT g, string_agg(s || '/' || CAST(i AS VARCHAR), ';' ORDER BY i DESC) FROM t GROUP BY g ORDER BY g",
    "row_number and lag over a total order": "SELECT i, g, row_number() OVER (PARTITION BY g ORDER BY i DESC), lag(v) OVER (PARTITION BY g ORDER BY i), lag(i) OVER (ORDER BY d, i) FROM t ORDER BY i",
    "date and timestamp plus intervals: month ends, leap days": "SELECT i, d + to_days(CAST(v AS INTEGER)), d - INTERVAL '1' DAY, d + to_months(CAST(v AS INTEGER)), d + to_years(1), to_months(1) + ts, ts - to_years(4), d - INTERVAL '1' MONTH + to_days(10) FROM t ORDER BY i",
    "range as a table": "SELECT k, last_day(DATE '2024-01-31' + to_months(CAST(k AS INTEGER))) FROM range(14) r(k) UNION ALL SELECT k, NULL FROM range(-2, 0) AS r(k) ORDER BY k",
    "string_agg of distinct parts ordered by them": "SELECT g, string_agg(DISTINCT s, ',' ORDER BY s) FROM t GROUP BY g ORDER BY g",
    "double to decimal as DuckDB casts it": "SELECT x, y, CAST(x AS DECIMAL(38, 10)), CAST(x * 1000.123 AS DECIMAL(38, 10)), CAST(x / y AS DECIMAL(18, 3)), CAST(x / 7 AS DECIMAL) FROM r ORDER BY x, y",
    "decimal and integer to decimal": "SELECT i, CAST(v AS DECIMAL(10, 2)), CAST(CAST(x AS DECIMAL(20, 6)) AS DECIMAL(20, 1)), CAST(1234567.8912345 AS DECIMAL(38, 10)) FROM t ORDER BY i",
    "grouping sets over no rows keep the total": "SELECT g, GROUPING(g) AS gid, count(*) AS n, sum(v) AS s, bit_xor(hash(s)) AS h FROM t WHERE i > 100 GROUP BY GROUPING SETS ((), (g))",
    "grouping sets with rows": "SELECT * FROM (SELECT g, GROUPING(g) AS gid, count(*) AS n, sum(v) AS s, bit_xor(hash(s)) AS h FROM t GROUP BY GROUPING SETS ((), (g))) ORDER BY gid, g",
    "qualify row_number": "SELECT g, i FROM t QUALIFY row_number() OVER (PARTITION BY g ORDER BY i DESC) = 1 ORDER BY g",
}


@pytest.mark.xdist_group("spark")
@pytest.mark.parametrize("sql", SAME_ON_BOTH.values(), ids=SAME_ON_BOTH.keys())
def test_translated_functions_give_duckdbs_results(engine: Any, sql: str) -> None:
    duck, spark = _both(engine, sql)
    assert duck and spark == duck


ARBITRARY_ON_DUCKDB = {
    "any_value of differing values": "SELECT g, any_value(i) FROM t GROUP BY g",
    "arg_max with a tie": "SELECT g, arg_max(i, v) FROM t GROUP BY g",
    "string_agg ordered with ties": "SELECT string_agg(s, ';' ORDER BY g) FROM t",
    "row_number with ties": "SELECT i, row_number() OVER (PARTITION BY g ORDER BY v) FROM t",
    "lag with ties": "SELECT i, lag(i) OVER (ORDER BY g) FROM t",
}


@pytest.mark.xdist_group("spark")
@pytest.mark.parametrize("sql", ARBITRARY_ON_DUCKDB.values(), ids=ARBITRARY_ON_DUCKDB.keys())
def test_what_duckdb_would_pick_arbitrarily_fails_on_spark(engine: Any, sql: str) -> None:
    with pytest.raises(EngineRefusal, match="arbitrar"):
        engine.rows(sql)


@pytest.mark.xdist_group("spark")
def test_query_hands_python_values_of_duckdbs_types(engine: Any) -> None:
    # sum(BIGINT) is a HUGEINT in DuckDB (DECIMAL(38, 0) in Arrow, so Decimal in Python),
    # a bigint on Spark; dayofweek is BIGINT in DuckDB, int on Spark; hashes are UBIGINT
    sql = (
        "SELECT g, sum(i) AS s, max(dayofweek(d)) AS w, bit_xor(hash(s)) AS h"
        " FROM t GROUP BY g ORDER BY g"
    )
    duck, spark = engine.shadow.query(sql).to_pylist(), engine.query(sql).to_pylist()
    assert spark == duck
    assert isinstance(duck[0]["s"], Decimal) and isinstance(spark[0]["s"], Decimal)
    assert engine.rows(sql) == engine.shadow.rows(sql)
