"""Second wall: even SQL that slipped past the parser cannot reach files, URLs or settings."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mieruka.core.engine import DuckDBEngine


@pytest.fixture
def engine(tmp_path):
    snap = tmp_path / "snapshots"
    snap.mkdir()
    pq.write_table(pa.table({"a": [1, 2, 3]}), snap / "t.parquet")
    (tmp_path / "secret.csv").write_text("password\nhunter2\n")
    eng = DuckDBEngine({"t": snap / "t.parquet"})
    yield eng, tmp_path
    eng.close()


def test_snapshots_stay_readable(engine):
    eng, _ = engine
    assert eng.rows("SELECT sum(a) FROM ds_t") == [(6,)]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('{root}/secret.csv')",
        "SELECT * FROM read_text('/etc/passwd')",
        "COPY (SELECT 1) TO '{root}/out.csv'",
        "ATTACH '{root}/other.duckdb' AS other",
        "SET enable_external_access = true",
        "INSTALL httpfs",
        "SELECT * FROM read_parquet('https://example.invalid/x.parquet')",
    ],
)
def test_files_urls_and_settings_are_refused_by_duckdb_itself(engine, sql):
    eng, root = engine
    with pytest.raises(duckdb.Error):
        eng.rows(sql.format(root=root))
    assert not (root / "out.csv").exists()
