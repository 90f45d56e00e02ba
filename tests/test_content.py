"""Identical content: compared by rows (any order), not by Parquet bytes; a repeated load of
it, written as other bytes, is still a no-op."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import duckdb
import pytest
from tests.conftest import STAFF_CSV, write

from mieruka.core import content
from mieruka.core.content import same_content
from mieruka.core.written_checks import scan_written


def parquet(path: Path, select: str, row_group_size: int = 122_880) -> Path:
    duckdb.sql(f"COPY ({select}) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE {row_group_size})")
    return path


def test_same_rows_in_any_order_and_row_groups_are_the_same_content(tmp_path: Path) -> None:
    rows = "SELECT range AS id, 'n' || range AS name, NULL::DATE AS d FROM range(5000)"
    a = parquet(tmp_path / "a.parquet", rows)
    b = parquet(tmp_path / "b.parquet", rows + " ORDER BY id DESC", row_group_size=1000)
    assert a.read_bytes() != b.read_bytes()
    assert same_content(a, b)


@pytest.mark.parametrize(
    "other",
    [
        "SELECT * FROM (VALUES (1, 'x'), (2, 'y'), (3, 'y')) t(id, name)",  # one value
        "SELECT * FROM (VALUES (1, 'x'), (1, 'x'), (2, 'y')) t(id, name)",  # a duplicate row
        "SELECT * FROM (VALUES (1, 'x'), (2, NULL), (3, 'z')) t(id, name)",  # a blank
        "SELECT * FROM (VALUES (1, 'x'), (2, 'y')) t(id, name)",  # a row fewer
        "SELECT * FROM (VALUES (1.0, 'x'), (2.0, 'y'), (3.0, 'z')) t(id, name)",  # a type
        "SELECT * FROM (VALUES (1, 'x'), (2, 'y'), (3, 'z')) t(id, label)",  # a name
    ],
)
def test_different_content_is_told_apart(tmp_path: Path, other: str) -> None:
    one = parquet(
        tmp_path / "one.parquet", "SELECT * FROM (VALUES (1, 'x'), (2, 'y'), (3, 'z')) t(id, name)"
    )
    assert not same_content(one, parquet(tmp_path / "other.parquet", other))


def test_multisets_with_equal_fingerprint_parts_still_differ(tmp_path: Path) -> None:
    """{a, a, b} and {a, b, b}: same rows counted, same distinct rows, different content —
    told apart by the fingerprint and, on its own, by the exact step behind it."""
    a = parquet(
        tmp_path / "a.parquet", "SELECT * FROM (VALUES ('a', 1), ('a', 1), ('b', NULL)) t(v, n)"
    )
    b = parquet(
        tmp_path / "b.parquet", "SELECT * FROM (VALUES ('a', 1), ('b', NULL), ('b', NULL)) t(v, n)"
    )
    assert not same_content(a, b)
    assert not exact_step(a, b)
    c = parquet(
        tmp_path / "c.parquet", "SELECT * FROM (VALUES ('b', NULL), ('a', 1), ('a', 1)) t(v, n)"
    )
    assert exact_step(a, c)  # NULLs match NULLs, order does not count


def exact_step(a: Path, b: Path) -> bool:
    """`same_content`'s exact comparison alone, past the fingerprint that decides first."""
    with content._connect(None, None) as con:
        return content._same_rows(con, a, b, "v, n")


def test_reloading_the_same_rows_in_another_order_is_a_no_op(staff_project, tmp_path) -> None:
    from mieruka.core.datasets import load

    header, *lines = STAFF_CSV.strip().splitlines()
    reordered = "\n".join([header, *reversed(lines)]) + "\n"
    before = staff_project.store.latest_snapshots()["staff"]
    again = load(staff_project, "staff", write(tmp_path / "reordered.csv", reordered))
    assert (again.created, again.made_current) == (False, False)
    assert again.snapshot.hash == before.hash
    assert len(staff_project.store.snapshots("staff")) == 1
    changed = reordered.replace("S9,M,管理", "S9,F,管理")
    other = load(staff_project, "staff", write(tmp_path / "changed.csv", changed))
    assert other.created and len(staff_project.store.snapshots("staff")) == 2


# ---------------------------------------------------------------- written_checks


def test_scan_written_finds_edge_whitespace_of_every_kind(tmp_path: Path) -> None:
    for i, space in enumerate([" ", "\t", "\r", "\n", "\u3000", "\u00a0"]):
        for text in (f"{space}x", f"x{space}", space):
            path = parquet(
                tmp_path / f"{i}.parquet", f"SELECT * FROM (VALUES ('a'), ('{text}')) t(v)"
            )
            assert scan_written(path, ["v"], None) == (False, False), repr(text)
    inner = parquet(
        tmp_path / "inner.parquet", "SELECT * FROM (VALUES ('a b'), ('山田\u3000花子')) t(v)"
    )
    assert scan_written(inner, ["v"], None) == (True, False)


@pytest.mark.parametrize(
    ("order", "ordered"),
    [
        ("range", True),  # ascending across many row groups
        ("-range", True),  # descending
        ("CASE WHEN range = 2500 THEN 2499 ELSE range END", False),  # a duplicate inside
        ("CASE WHEN range = 2048 THEN 2047 ELSE range END", False),  # across a batch edge
        ("CASE WHEN range = 3000 THEN 1 ELSE range END", False),  # out of order
        ("CASE WHEN range = 10 THEN NULL ELSE range END", False),  # a blank key
    ],
)
def test_scan_written_proves_keys_only_when_strictly_monotonic(
    tmp_path: Path, order: str, ordered: bool
) -> None:
    path = parquet(
        tmp_path / "k.parquet",
        f"SELECT {order} AS k, 'E' || lpad(range::VARCHAR, 5, '0') AS s FROM range(5000)",
        row_group_size=1000,  # DuckDB rounds up to 2,048 rows: three row groups, three batches
    )
    groups = duckdb.sql(
        f"SELECT count(DISTINCT row_group_id) FROM parquet_metadata('{path}')"
    ).fetchall()[0][0]
    assert groups == 3
    assert scan_written(path, ["s"], "k") == (True, ordered)
    assert scan_written(path, [], "s") == (True, True)


def test_comparison_under_a_memory_limit_spills_where_it_is_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """3M rows grouped under 128 MB must spill; DuckDB's own default would be ./.tmp."""
    rows = "SELECT range AS i, md5(range::VARCHAR) AS s FROM range(3000000)"
    a = parquet(tmp_path / "a.parquet", rows)
    b = parquet(tmp_path / "b.parquet", rows + " ORDER BY s")
    c = parquet(
        tmp_path / "c.parquet", rows.replace("range AS i", "range + (range = 7)::BIGINT AS i")
    )
    spill, cwd = tmp_path / "spill", tmp_path / "cwd"
    spill.mkdir()
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    seen: set[str] = set()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.update(os.listdir(spill))
            seen.update(f"cwd/{name}" for name in os.listdir(cwd))
            time.sleep(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        assert same_content(a, b, memory_limit="128MB", temp_directory=spill)
        assert not same_content(a, c, memory_limit="128MB", temp_directory=spill)
    finally:
        done.set()
        watcher.join()
    assert seen and not any(name.startswith("cwd/") for name in seen), seen
