"""DuckDB SQL -> Spark SQL: same results or a clear refusal (no JVM needed here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import make_project

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
        ("SELECT date_diff('day', a, b) FROM t", "DATEDIFF"),
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
