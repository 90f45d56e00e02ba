"""The store on SQLite and on a real PostgreSQL server.

The PostgreSQL cases create one fresh database per test session on 127.0.0.1:5432 and give
each test its own schema in it (via `search_path` in the URL); they fail loudly when the
server is not reachable. Deselect them with `-m "not postgres"`.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from mieruka.core import ledger
from mieruka.core import store as store_module
from mieruka.core.issues import MierukaError
from mieruka.core.store import Store, metadata, normalize_url

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    import psycopg

    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL on 127.0.0.1:5432 is not reachable: {exc}")
    name = f"mieruka_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / '.mieruka' / 'store.sqlite'}"
    database = request.getfixturevalue("pg_database")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}")
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    # a plain postgresql:// URL: the store must add the psycopg driver itself
    return f"postgresql://postgres@127.0.0.1:5432/{database}?options=-csearch_path%3D{schema}"


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    s = Store(url)
    yield s
    s.close()


def values_for(n: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "indicator": "女性管理職比率",
            "dims": {},
            "value": Decimal("12.50"),
            "numerator": Decimal("5"),
            "denominator": Decimal("40"),
            "rows": 40 + n,
            "fp_numerator": "1234",
            "fp_denominator": "-99",
            "unit": "%",
        },
        {
            "indicator": "女性管理職比率",
            "dims": {"部署": "営業部", "年度": 2024},
            "value": None,
            "numerator": None,
            "denominator": Decimal("0"),
            "rows": None,
            "fp_numerator": None,
            "fp_denominator": None,
            "unit": None,
        },
        {
            "indicator": "headcount",
            "dims": {"grade": "M1"},
            "value": Decimal("123456789012345678901234567890.000001"),
            "numerator": Decimal("-1E+3"),
            "denominator": None,
            "rows": 3_000_000_000,
            "fp_numerator": None,
            "fp_denominator": None,
            "unit": "人",
        },
    ]


def targets_for() -> list[dict[str, Any]]:
    return [
        {
            "indicator": "女性管理職比率",
            "dims": {},
            "comparator": ">=",
            "target": Decimal("15.0"),
            "value": Decimal("12.50"),
            "status": "missed",
        },
        {
            "indicator": "headcount",
            "dims": {},
            "comparator": "",
            "target": None,
            "value": None,
            "status": "no_target",
        },
    ]


def violations_for() -> list[dict[str, Any]]:
    return [
        {
            "rule": "預金上限",
            "seq": 1,
            "severity": "error",
            "key": {"口座": "001"},
            "row": {"口座": "001", "残高": Decimal("1000000.00"), "日付": dt.date(2025, 3, 31)},
        },
        {
            "rule": "預金上限",
            "seq": 2,
            "severity": "error",
            "key": {"口座": "002"},
            "row": {"口座": "002", "残高": None, "メモ": "「注意」\n改行", "比率": 0.25},
        },
        {"rule": "bond_rating", "seq": 1, "severity": "warning", "key": {"id": 7}, "row": {}},
    ]


def append(store: Store, n: int = 0, **over: Any) -> Any:
    kwargs: dict[str, Any] = {
        "fiscal_year": 2024,
        "as_of": dt.date(2025, 3, 31),
        "params": {"fy": 2024, "as_of": "2025-03-31", "options": {"丸め": "切り捨て"}},
        "spec_hash": "a" * 64,
        "snapshots": {"employees": "b" * 64, "deposits": "c" * 64},
        "code_version": "0.1.0",
        "values": values_for(n),
        "targets": targets_for(),
        "violations": violations_for(),
    }
    kwargs.update(over)
    return store.append_run(**kwargs)


def counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("runs", "run_values", "run_targets", "run_violations")
        }


def raw(store: Store, sql: str, **params: Any) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def by_key(rows: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: tuple(ledger.canonical_json(r[k]) for k in keys))


# --- round trip ------------------------------------------------------------------------


def test_round_trip_rows_and_hash(store: Store) -> None:
    run = append(store, note="初回")
    assert run.id == 1 and run.prev_hash is None and run.note == "初回"
    values, targets, violations = store.values(1), store.targets(1), store.violations(1)

    assert by_key(values, "indicator", "dims") == by_key(
        ledger.normalize_values(values_for()), "indicator", "dims"
    )
    assert by_key(targets, "indicator", "dims") == by_key(
        ledger.normalize_targets(targets_for()), "indicator", "dims"
    )
    assert by_key(violations, "rule", "seq") == by_key(
        ledger.normalize_violations(violations_for()), "rule", "seq"
    )
    big = next(v for v in values if v["indicator"] == "headcount")
    assert big["value"] == Decimal("123456789012345678901234567890.000001")
    assert str(big["numerator"]) == "-1E+3" and big["rows"] == 3_000_000_000
    assert isinstance(targets[0]["target"], Decimal | type(None))

    assert ledger.results_hash(values, targets, violations) == run.results_hash
    assert ledger.run_hash(store.run(1).header()) == run.run_hash
    assert store.run(1) == run
    assert store.violations(1, rule="bond_rating") == [violations_for()[2]]


def test_read_order(store: Store) -> None:
    append(store)
    assert [(v["indicator"], len(v["dims"])) for v in store.values(1)] == [
        ("headcount", 1),
        ("女性管理職比率", 0),
        ("女性管理職比率", 2),
    ]
    assert [(x["rule"], x["seq"]) for x in store.violations(1)] == [
        ("bond_rating", 1),
        ("預金上限", 1),
        ("預金上限", 2),
    ]


def test_run_record_fields(store: Store) -> None:
    run = append(store)
    assert run.created_at.tzinfo is not None and run.created_at.utcoffset() == dt.timedelta(0)
    assert run.params == '{"as_of":"2025-03-31","fy":2024,"options":{"丸め":"切り捨て"}}'
    assert run.snapshots_dict() == {"deposits": "c" * 64, "employees": "b" * 64}
    assert run.as_of == dt.date(2025, 3, 31)


def test_empty_run(store: Store) -> None:
    run = append(store, values=[], targets=[], violations=[], fiscal_year=None, as_of=None)
    assert store.values(run.id) == [] and store.verify_chain() == []
    assert store.run(run.id).as_of is None


# --- chain -----------------------------------------------------------------------------


def test_chain_of_three_verifies(store: Store) -> None:
    assert store.latest_run() is None
    r1, r2, r3 = (append(store, n) for n in range(3))
    assert [r.id for r in store.runs()] == [1, 2, 3]
    assert r2.prev_hash == r1.run_hash and r3.prev_hash == r2.run_hash
    assert len({r1.run_hash, r2.run_hash, r3.run_hash}) == 3
    assert store.latest_run() == r3
    assert store.verify_chain() == []


def test_newest_run_key_names_the_last_run_appended(store: Store) -> None:
    assert store.newest_run_key() is None
    append(store, 0)
    last = append(store, 1)
    assert store.newest_run_key() == (last.id, last.run_hash)


def test_missing_run_message(store: Store) -> None:
    with pytest.raises(MierukaError, match="no run 1; there are no runs yet"):
        store.run(1)
    append(store)
    append(store)
    with pytest.raises(MierukaError, match=r"no run 7; runs are 1\.\.2"):
        store.run(7)


def test_supersedes(store: Store) -> None:
    append(store)
    r2 = append(store, supersedes=1, note="訂正")
    assert store.run(2).supersedes == 1 and r2.supersedes == 1
    with pytest.raises(MierukaError, match="cannot supersede run 9"):
        append(store, supersedes=9)
    assert counts(store)["runs"] == 2
    assert store.verify_chain() == []


def messages(store: Store) -> list[str]:
    return [i.message for i in store.verify_chain()]


def test_tampered_value_is_detected(store: Store) -> None:
    for n in range(3):
        append(store, n)
    raw(store, "UPDATE run_values SET value = '99' WHERE run_id = 2 AND value = '12.50'")
    assert messages(store) == [
        "run 2: stored results do not match results_hash (run_values changed)"
    ]


def test_deleted_violation_is_detected(store: Store) -> None:
    for n in range(3):
        append(store, n)
    raw(store, "DELETE FROM run_violations WHERE run_id = 3 AND rule = 'bond_rating'")
    assert messages(store) == [
        "run 3: stored results do not match results_hash (run_violations changed)"
    ]


def test_tampered_target_and_value_are_both_named(store: Store) -> None:
    append(store)
    raw(store, "UPDATE run_targets SET status = 'met' WHERE status = 'missed'")
    raw(store, "UPDATE run_values SET unit = 'pct' WHERE unit = '%'")
    assert messages(store) == [
        "run 1: stored results do not match results_hash (run_values, run_targets changed)"
    ]


def test_changed_prev_hash_is_detected(store: Store) -> None:
    for n in range(4):
        append(store, n)
    raw(store, "UPDATE runs SET prev_hash = :h WHERE id = 4", h="0" * 64)
    assert messages(store) == [
        "run 4: header does not match run_hash (a run field changed)",
        "run 4: prev_hash does not match run 3's run_hash",
    ]


def test_changed_header_field_is_detected(store: Store) -> None:
    for n in range(2):
        append(store, n)
    raw(store, "UPDATE runs SET fiscal_year = 2023 WHERE id = 1")
    assert messages(store) == ["run 1: header does not match run_hash (a run field changed)"]


def test_rehashed_run_breaks_the_next_link(store: Store) -> None:
    # a forger who recomputes run 2's run_hash after editing it still breaks run 3's link
    for n in range(3):
        append(store, n)
    forged = store.run(2)
    header = {**forged.header(), "note": "forged"}
    raw(
        store,
        "UPDATE runs SET note = 'forged', run_hash = :h WHERE id = 2",
        h=ledger.run_hash(header),
    )
    assert messages(store) == ["run 3: prev_hash does not match run 2's run_hash"]


def test_deleted_run_is_detected(store: Store) -> None:
    for n in range(3):
        append(store, n)
    for table in ("run_values", "run_targets", "run_violations"):
        raw(store, f"DELETE FROM {table} WHERE run_id = 2")
    raw(store, "DELETE FROM runs WHERE id = 2")
    assert messages(store) == [
        "run 3: run 2 is missing from the ledger",
        "run 3: prev_hash does not match run 1's run_hash",
    ]


# --- atomicity -------------------------------------------------------------------------


def test_missing_key_writes_nothing(store: Store) -> None:
    append(store)
    bad = values_for()
    del bad[1]["unit"]
    with pytest.raises(MierukaError, match="run_values row 2: missing key"):
        append(store, values=bad)
    assert counts(store) == {"runs": 1, "run_values": 3, "run_targets": 2, "run_violations": 3}
    assert store.verify_chain() == []


def test_failure_after_rows_were_inserted_rolls_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    append(store)
    real = ledger.canonical_json

    def failing(obj: Any) -> str:
        if obj == {"boom": 1}:  # only when writing the violation's key, after the other rows
            raise RuntimeError("disk full")
        return real(obj)

    monkeypatch.setattr(store_module.ledger, "canonical_json", failing)
    bad = [
        *violations_for(),
        {"rule": "r", "seq": 1, "severity": "e", "key": {"boom": 1}, "row": {}},
    ]
    with pytest.raises(RuntimeError, match="disk full"):
        append(store, violations=bad)
    monkeypatch.undo()
    assert counts(store) == {"runs": 1, "run_values": 3, "run_targets": 2, "run_violations": 3}
    assert append(store).id == 2
    assert store.verify_chain() == []


def test_float_values_are_refused(store: Store) -> None:
    bad = values_for()
    bad[0]["value"] = 12.5
    with pytest.raises(MierukaError, match="value must be a Decimal"):
        append(store, values=bad)
    assert counts(store)["runs"] == 0


# --- snapshots, specs, audit ------------------------------------------------------------


def test_snapshots(store: Store) -> None:
    assert store.snapshots() == [] and store.latest_snapshots() == {}
    assert store.find_snapshot("employees", "h1") is None
    s1 = store.add_snapshot("employees", "h1", 10, '{"a":1}', "社員.csv", "s" * 64, ".mieruka/x")
    s2 = store.add_snapshot("deposits", "h2", None, {"b": [1, 2]}, None, None, "d/h2")
    s3 = store.add_snapshot("employees", "h3", 12, None, "社員.csv", None, ".mieruka/y")
    assert [s.id for s in (s1, s2, s3)] == sorted(s.id for s in (s1, s2, s3))
    assert s2.schema_json == '{"b":[1,2]}'
    assert s1.loaded_at.utcoffset() == dt.timedelta(0)
    assert store.find_snapshot("employees", "h1") == s1
    assert store.add_snapshot("employees", "h1", 99, None, None, None, "z") == s1
    assert store.snapshots() == [s1, s2, s3]
    assert store.snapshots("employees") == [s1, s3]
    assert store.latest_snapshots() == {"employees": s3, "deposits": s2}


def test_specs(store: Store) -> None:
    store.save_spec("h" * 64, "indicators: 見える化")
    store.save_spec("h" * 64, "indicators: 見える化")
    assert store.spec("h" * 64) == "indicators: 見える化"
    with pytest.raises(MierukaError, match="already stored with different content"):
        store.save_spec("h" * 64, "other")
    with pytest.raises(MierukaError, match="not in the store"):
        store.spec("x" * 64)


def test_audit_log(store: Store) -> None:
    store.audit("alice", "approve", "run 1", after_hash="a" * 64, detail="承認")
    store.audit("bob", "view", "run 1")
    log = store.audit_log()
    assert [(e["actor"], e["action"], e["detail"]) for e in log] == [
        ("alice", "approve", "承認"),
        ("bob", "view", None),
    ]
    assert log[0]["at"].utcoffset() == dt.timedelta(0)


# --- migrations ------------------------------------------------------------------------


def test_opening_twice_is_idempotent(url: str) -> None:
    with Store(url) as first:
        append(first)
    with Store(url) as second:
        assert [r.id for r in second.runs()] == [1]
        assert second.verify_chain() == []
        with second.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).all() == [
                ("0002",)
            ]


def test_a_store_made_before_dataset_loads_keeps_its_current_snapshots(tmp_path: Path) -> None:
    """Upgrading from 0001: each existing snapshot counts as loaded, in its original order."""
    from alembic import command

    from mieruka.core.store import alembic_config

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(connection=conn), "0001")
        for i, digest in enumerate(("a" * 64, "b" * 64)):
            conn.execute(
                sa.text(
                    "INSERT INTO snapshots (dataset, hash, rows, loaded_at, path) "
                    "VALUES ('staff', :h, 1, :t, :p)"
                ),
                {"h": digest, "t": dt.datetime(2025, 1, 1 + i, tzinfo=dt.UTC), "p": f"{i}.parquet"},
            )
    engine.dispose()
    with Store(url) as store:
        assert store.latest_snapshots()["staff"].hash == "b" * 64


def test_tables_match_the_migrations(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_normalize_url() -> None:
    assert (
        normalize_url("postgresql://u:p%40ss@h:5432/db")
        == "postgresql+psycopg://u:p%40ss@h:5432/db"
    )
    assert normalize_url("postgres://h/db").startswith("postgresql+psycopg://")
    assert normalize_url("sqlite:////x/y.sqlite") == "sqlite:////x/y.sqlite"


# --- performance -----------------------------------------------------------------------


def test_hundred_thousand_values_bulk(store: Store) -> None:
    n = 100_000
    rows = [
        {
            "indicator": f"ind{i % 50}",
            "dims": {"部署": f"部{i}"},
            "value": Decimal(i) / 7,
            "numerator": Decimal(i),
            "denominator": Decimal(7),
            "rows": i,
            "fp_numerator": None,
            "fp_denominator": None,
            "unit": "円",
        }
        for i in range(n)
    ]
    start = time.perf_counter()
    run = append(store, values=rows, targets=[], violations=[])
    elapsed = time.perf_counter() - start
    assert counts(store)["run_values"] == n
    assert elapsed < 60, f"appending {n} values took {elapsed:.1f}s"
    assert ledger.results_hash(store.values(run.id), [], []) == run.results_hash


def test_first_runs_deleted_is_detected(store: Store) -> None:
    for n in range(3):
        append(store, n)
    for run_id in (1, 2):
        for table in ("run_values", "run_targets", "run_violations"):
            raw(store, f"DELETE FROM {table} WHERE run_id = {run_id}")
        raw(store, f"DELETE FROM runs WHERE id = {run_id}")
    assert messages(store) == ["run 3: runs 1..2 are missing from the ledger"]
