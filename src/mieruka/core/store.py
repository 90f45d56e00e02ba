"""The run/metadata store: snapshots, spec versions, the hash-chained run ledger, audit log.

SQLAlchemy 2 Core (Table objects, no ORM): SQLite embedded by default, PostgreSQL in server
mode. The schema is created and upgraded by the Alembic migrations shipped in
`mieruka/core/migrations`; opening a `Store` runs `alembic upgrade head` (a no-op when the
schema is current). The `Table` objects below mirror the migrations, and a test checks that
they agree.

Numbers are stored as exact decimal text, never as floats; JSON columns hold canonical JSON
(`ledger.canonical_json`). Everything a run writes goes in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url

from mieruka.core import ledger
from mieruka.core.issues import Issue, MierukaError

MIGRATIONS = Path(__file__).parent / "migrations"

metadata = sa.MetaData()
_TS = sa.DateTime(timezone=True)
_HASH = sa.String(64)

snapshots_table = sa.Table(
    "snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dataset", sa.String(100), nullable=False),
    sa.Column("hash", _HASH, nullable=False),
    sa.Column("rows", sa.BigInteger),
    sa.Column("schema_json", sa.Text),
    sa.Column("source_file", sa.Text),
    sa.Column("source_sha256", _HASH),
    sa.Column("loaded_at", _TS, nullable=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.UniqueConstraint("dataset", "hash", name="uq_snapshots_dataset_hash"),
)

dataset_loads_table = sa.Table(
    "dataset_loads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dataset", sa.String(100), nullable=False),
    sa.Column("hash", _HASH, nullable=False),
    sa.Column("source_file", sa.Text),
    sa.Column("source_sha256", _HASH),
    sa.Column("loaded_at", _TS, nullable=False),
    sa.Index("ix_dataset_loads_dataset", "dataset"),
)

spec_versions_table = sa.Table(
    "spec_versions",
    metadata,
    sa.Column("hash", _HASH, primary_key=True),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("created_at", _TS, nullable=False),
)

runs_table = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("fiscal_year", sa.Integer),
    sa.Column("as_of", sa.Date),
    sa.Column("params", sa.Text, nullable=False),
    sa.Column("spec_hash", _HASH, nullable=False),
    sa.Column("snapshots", sa.Text, nullable=False),
    sa.Column("code_version", sa.String(100), nullable=False),
    sa.Column("results_hash", _HASH, nullable=False),
    sa.Column("values_hash", _HASH, nullable=False),
    sa.Column("targets_hash", _HASH, nullable=False),
    sa.Column("violations_hash", _HASH, nullable=False),
    sa.Column("prev_hash", _HASH),
    sa.Column("run_hash", _HASH, nullable=False),
    sa.Column("supersedes", sa.Integer, sa.ForeignKey("runs.id", name="fk_runs_supersedes")),
    sa.Column("note", sa.Text),
    sa.UniqueConstraint("run_hash", name="uq_runs_run_hash"),
)

run_values_table = sa.Table(
    "run_values",
    metadata,
    sa.Column(
        "run_id",
        sa.Integer,
        sa.ForeignKey("runs.id", name="fk_run_values_run"),
        nullable=False,
    ),
    sa.Column("indicator", sa.String(200), nullable=False),
    sa.Column("dims", sa.Text, nullable=False),
    sa.Column("value", sa.Text),
    sa.Column("numerator", sa.Text),
    sa.Column("denominator", sa.Text),
    sa.Column("rows", sa.BigInteger),
    sa.Column("fp_numerator", sa.String(200)),
    sa.Column("fp_denominator", sa.String(200)),
    sa.Column("unit", sa.String(100)),
    sa.Index("ix_run_values_run_indicator", "run_id", "indicator"),
)

run_targets_table = sa.Table(
    "run_targets",
    metadata,
    sa.Column(
        "run_id",
        sa.Integer,
        sa.ForeignKey("runs.id", name="fk_run_targets_run"),
        nullable=False,
    ),
    sa.Column("indicator", sa.String(200), nullable=False),
    sa.Column("dims", sa.Text, nullable=False),
    sa.Column("comparator", sa.String(20), nullable=False),
    sa.Column("target", sa.Text),
    sa.Column("value", sa.Text),
    sa.Column("status", sa.String(20), nullable=False),
    sa.CheckConstraint(
        "status IN ('met', 'missed', 'no_target', 'no_data')", name="ck_run_targets_status"
    ),
    sa.Index("ix_run_targets_run_indicator", "run_id", "indicator"),
)

run_violations_table = sa.Table(
    "run_violations",
    metadata,
    sa.Column(
        "run_id",
        sa.Integer,
        sa.ForeignKey("runs.id", name="fk_run_violations_run"),
        nullable=False,
    ),
    sa.Column("rule", sa.String(200), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("severity", sa.String(20), nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("row", sa.Text, nullable=False),
    sa.Index("ix_run_violations_run_rule", "run_id", "rule"),
)

audit_log_table = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", _TS, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("action", sa.String(100), nullable=False),
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("before_hash", _HASH),
    sa.Column("after_hash", _HASH),
    sa.Column("detail", sa.Text),
)

_HASH_COLUMN = {
    "run_values": "values_hash",
    "run_targets": "targets_hash",
    "run_violations": "violations_hash",
}


@dataclass(frozen=True)
class SnapshotRecord:
    id: int
    dataset: str
    hash: str
    rows: int | None
    schema_json: str | None
    source_file: str | None
    source_sha256: str | None
    loaded_at: dt.datetime
    path: str


@dataclass(frozen=True)
class RunRecord:
    """One ledger entry. `params` and `snapshots` are the stored canonical JSON texts."""

    id: int
    created_at: dt.datetime
    fiscal_year: int | None
    as_of: dt.date | None
    params: str
    spec_hash: str
    snapshots: str
    code_version: str
    results_hash: str
    prev_hash: str | None
    run_hash: str
    supersedes: int | None
    note: str | None
    values_hash: str = ""
    targets_hash: str = ""
    violations_hash: str = ""

    def header(self) -> dict[str, Any]:
        """The fields `ledger.run_hash` covers."""
        return {f: getattr(self, f) for f in ledger.RUN_HEADER_FIELDS}

    def params_dict(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.params)
        return loaded

    def snapshots_dict(self) -> dict[str, str]:
        loaded: dict[str, str] = json.loads(self.snapshots)
        return loaded


def _utc(value: dt.datetime) -> dt.datetime:
    """Aware UTC; SQLite hands back naive datetimes, which the store always wrote in UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _date(value: Any) -> dt.date | None:
    if value is None or type(value) is dt.date:
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise TypeError(f"not a date: {value!r}")


def _dec_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def normalize_url(url: str) -> str:
    """Plain `postgresql://` (or `postgres://`) URLs get the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Any:
    """An Alembic `Config` for the shipped migrations (no alembic.ini needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine) -> None:
    """`alembic upgrade head` on the engine's database (idempotent)."""
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin (so a
    # transaction's reads and writes are one unit), and enforce foreign keys.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")


class Store:
    """The store behind a workspace (SQLite file) or a server (PostgreSQL)."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = sa.create_engine(self.url)
        self._newest_sql: str | None = None  # see newest_run_key
        if self.dialect == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        try:
            upgrade(self.engine)
        except Exception:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    # --- snapshots ------------------------------------------------------------------------

    @staticmethod
    def _snapshot(row: Any) -> SnapshotRecord:
        return SnapshotRecord(
            id=row.id,
            dataset=row.dataset,
            hash=row.hash,
            rows=row.rows,
            schema_json=row.schema_json,
            source_file=row.source_file,
            source_sha256=row.source_sha256,
            loaded_at=_utc(row.loaded_at),
            path=row.path,
        )

    def find_snapshot(self, dataset: str, hash: str) -> SnapshotRecord | None:
        t = snapshots_table
        with self._tx() as conn:
            row = conn.execute(sa.select(t).where(t.c.dataset == dataset, t.c.hash == hash)).first()
        return None if row is None else self._snapshot(row)

    def add_snapshot(
        self,
        dataset: str,
        hash: str,
        rows: int | None,
        schema_json: str | Mapping[str, Any] | None,
        source_file: str | None,
        source_sha256: str | None,
        path: str,
    ) -> SnapshotRecord:
        """Record a snapshot; snapshots are content-addressed, so adding the same
        (dataset, hash) again returns the existing record unchanged."""
        if schema_json is not None and not isinstance(schema_json, str):
            schema_json = ledger.canonical_json(schema_json)
        t = snapshots_table
        with self._tx() as conn:
            existing = conn.execute(
                sa.select(t).where(t.c.dataset == dataset, t.c.hash == hash)
            ).first()
            if existing is not None:
                return self._snapshot(existing)
            self._insert_load(conn, dataset, hash, source_file, source_sha256)
            inserted = conn.execute(
                t.insert().values(
                    dataset=dataset,
                    hash=hash,
                    rows=rows,
                    schema_json=schema_json,
                    source_file=source_file,
                    source_sha256=source_sha256,
                    loaded_at=_now(),
                    path=path,
                )
            ).inserted_primary_key
            assert inserted is not None
            row = conn.execute(sa.select(t).where(t.c.id == inserted[0])).one()
        return self._snapshot(row)

    def snapshots(self, dataset: str | None = None) -> list[SnapshotRecord]:
        """Snapshots, oldest first (optionally of one dataset)."""
        t = snapshots_table
        query = sa.select(t).order_by(t.c.id)
        if dataset is not None:
            query = query.where(t.c.dataset == dataset)
        with self._tx() as conn:
            return [self._snapshot(r) for r in conn.execute(query)]

    @staticmethod
    def _insert_load(
        conn: Connection, dataset: str, hash: str, source: str | None, source_sha256: str | None
    ) -> None:
        conn.execute(
            dataset_loads_table.insert().values(
                dataset=dataset,
                hash=hash,
                source_file=source,
                source_sha256=source_sha256,
                loaded_at=_now(),
            )
        )

    def record_load(
        self, dataset: str, hash: str, source_file: str | None, source_sha256: str | None
    ) -> None:
        """Make an already stored snapshot current again (its content was loaded anew)."""
        if self.find_snapshot(dataset, hash) is None:
            raise MierukaError(f"no snapshot {hash[:12]} of dataset '{dataset}' to make current")
        with self._tx() as conn:
            self._insert_load(conn, dataset, hash, source_file, source_sha256)

    def latest_snapshots(self) -> dict[str, SnapshotRecord]:
        """The current snapshot of each dataset: the one its latest load named."""
        loads = dataset_loads_table
        with self._tx() as conn:
            rows = conn.execute(sa.select(loads.c.dataset, loads.c.hash).order_by(loads.c.id)).all()
        current = {dataset: digest for dataset, digest in rows}
        by_key = {(s.dataset, s.hash): s for s in self.snapshots()}
        return {d: by_key[(d, h)] for d, h in sorted(current.items()) if (d, h) in by_key}

    # --- specs ----------------------------------------------------------------------------

    def save_spec(self, hash: str, content: str) -> None:
        t = spec_versions_table
        with self._tx() as conn:
            stored = conn.execute(sa.select(t.c.content).where(t.c.hash == hash)).scalar()
            if stored is None:
                conn.execute(t.insert().values(hash=hash, content=content, created_at=_now()))
            elif stored != content:
                raise MierukaError(
                    Issue(f"spec version {hash[:12]} is already stored with different content")
                )

    def spec(self, hash: str) -> str:
        t = spec_versions_table
        with self._tx() as conn:
            content = conn.execute(sa.select(t.c.content).where(t.c.hash == hash)).scalar()
        if content is None:
            raise MierukaError(Issue(f"spec version {hash[:12]} is not in the store"))
        return str(content)

    # --- runs -----------------------------------------------------------------------------

    def append_run(
        self,
        *,
        fiscal_year: int | None,
        as_of: dt.date | None,
        params: Mapping[str, Any],
        spec_hash: str,
        snapshots: Mapping[str, str],
        code_version: str,
        values: Sequence[Mapping[str, Any]],
        targets: Sequence[Mapping[str, Any]],
        violations: Sequence[Mapping[str, Any]],
        supersedes: int | None = None,
        note: str | None = None,
    ) -> RunRecord:
        """Append a run and all its result rows in one transaction; nothing is written if
        anything fails."""
        norm_values = ledger.normalize_values(values)
        norm_targets = ledger.normalize_targets(targets)
        norm_violations = ledger.normalize_violations(violations)
        hashes = {
            "run_values": ledger.rows_hash(norm_values),
            "run_targets": ledger.rows_hash(norm_targets),
            "run_violations": ledger.rows_hash(norm_violations),
        }
        params_json = ledger.canonical_json(params)
        snapshots_json = ledger.canonical_json(snapshots)
        created_at = _now()

        with self._tx() as conn:
            if self.dialect == "postgresql":
                # one appender at a time, so two runs never claim the same id / prev_hash
                conn.exec_driver_sql("LOCK TABLE runs IN EXCLUSIVE MODE")
            t = runs_table
            last = conn.execute(
                sa.select(t.c.id, t.c.run_hash).order_by(t.c.id.desc()).limit(1)
            ).first()
            if supersedes is not None and (
                conn.execute(sa.select(t.c.id).where(t.c.id == supersedes)).first() is None
            ):
                raise MierukaError(Issue(f"cannot supersede run {supersedes}: no such run"))
            record = RunRecord(
                id=1 if last is None else last.id + 1,
                created_at=created_at,
                fiscal_year=fiscal_year,
                as_of=_date(as_of),
                params=params_json,
                spec_hash=spec_hash,
                snapshots=snapshots_json,
                code_version=code_version,
                results_hash=ledger.combine_results_hash(hashes),
                prev_hash=None if last is None else last.run_hash,
                run_hash="",
                supersedes=supersedes,
                note=note,
                values_hash=hashes["run_values"],
                targets_hash=hashes["run_targets"],
                violations_hash=hashes["run_violations"],
            )
            record = replace(record, run_hash=ledger.run_hash(record.header()))
            conn.execute(t.insert().values(**record.__dict__))
            run_id = record.id
            if norm_values:
                conn.execute(
                    run_values_table.insert(),
                    [
                        {
                            "run_id": run_id,
                            "indicator": v["indicator"],
                            "dims": ledger.canonical_json(v["dims"]),
                            "value": _dec_text(v["value"]),
                            "numerator": _dec_text(v["numerator"]),
                            "denominator": _dec_text(v["denominator"]),
                            "rows": v["rows"],
                            "fp_numerator": v["fp_numerator"],
                            "fp_denominator": v["fp_denominator"],
                            "unit": v["unit"],
                        }
                        for v in norm_values
                    ],
                )
            if norm_targets:
                conn.execute(
                    run_targets_table.insert(),
                    [
                        {
                            "run_id": run_id,
                            "indicator": g["indicator"],
                            "dims": ledger.canonical_json(g["dims"]),
                            "comparator": g["comparator"],
                            "target": _dec_text(g["target"]),
                            "value": _dec_text(g["value"]),
                            "status": g["status"],
                        }
                        for g in norm_targets
                    ],
                )
            if norm_violations:
                conn.execute(
                    run_violations_table.insert(),
                    [
                        {
                            "run_id": run_id,
                            "rule": x["rule"],
                            "seq": x["seq"],
                            "severity": x["severity"],
                            "key": ledger.canonical_json(x["key"]),
                            "row": ledger.canonical_json(x["row"]),
                        }
                        for x in norm_violations
                    ],
                )
        return record

    @staticmethod
    def _run(row: Any) -> RunRecord:
        return RunRecord(
            id=row.id,
            created_at=_utc(row.created_at),
            fiscal_year=row.fiscal_year,
            as_of=_date(row.as_of),
            params=row.params,
            spec_hash=row.spec_hash,
            snapshots=row.snapshots,
            code_version=row.code_version,
            results_hash=row.results_hash,
            prev_hash=row.prev_hash,
            run_hash=row.run_hash,
            supersedes=row.supersedes,
            note=row.note,
            values_hash=row.values_hash,
            targets_hash=row.targets_hash,
            violations_hash=row.violations_hash,
        )

    def runs(self) -> list[RunRecord]:
        """All runs, oldest first."""
        with self._tx() as conn:
            return [
                self._run(r) for r in conn.execute(sa.select(runs_table).order_by(runs_table.c.id))
            ]

    def newest_run_key(self) -> tuple[int, str] | None:
        """(id, run hash) of the last run appended, or None: one indexed row. Runs are only
        appended, each hash-chained to the one before, so this names the whole ledger — what
        is derived from the list of runs may be cached under it. Asked on every dashboard
        request, so it goes to the pool's DBAPI connection: a tenth of the time of a
        SQLAlchemy statement, on SQLite as on PostgreSQL."""
        if self._newest_sql is None:
            t = runs_table
            newest = sa.select(t.c.id, t.c.run_hash).order_by(t.c.id.desc()).limit(1)
            compiled = newest.compile(
                dialect=self.engine.dialect, compile_kwargs={"literal_binds": True}
            )
            self._newest_sql = str(compiled)
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(self._newest_sql)
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            connection.close()  # back to the pool, which rolls back what a read left open
        return None if row is None else (int(row[0]), str(row[1]))

    def run(self, run_id: int) -> RunRecord:
        t = runs_table
        with self._tx() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == run_id)).first()
            if row is None:
                bounds = conn.execute(sa.select(sa.func.min(t.c.id), sa.func.max(t.c.id))).one()
        if row is None:
            if bounds[0] is None:
                raise MierukaError(Issue(f"no run {run_id}; there are no runs yet"))
            raise MierukaError(Issue(f"no run {run_id}; runs are {bounds[0]}..{bounds[1]}"))
        return self._run(row)

    def latest_run(self) -> RunRecord | None:
        t = runs_table
        with self._tx() as conn:
            row = conn.execute(sa.select(t).order_by(t.c.id.desc()).limit(1)).first()
        return None if row is None else self._run(row)

    # --- result rows ----------------------------------------------------------------------

    @staticmethod
    def _values(conn: Connection, run_id: int) -> list[dict[str, Any]]:
        t = run_values_table
        out = [
            {
                "indicator": r.indicator,
                "dims": json.loads(r.dims),
                "value": _dec(r.value),
                "numerator": _dec(r.numerator),
                "denominator": _dec(r.denominator),
                "rows": r.rows,
                "fp_numerator": r.fp_numerator,
                "fp_denominator": r.fp_denominator,
                "unit": r.unit,
                "_order": r.dims,
            }
            for r in conn.execute(sa.select(t).where(t.c.run_id == run_id))
        ]
        out.sort(key=lambda v: (v["indicator"], len(v["dims"]), v["_order"]))
        for v in out:
            del v["_order"]
        return out

    @staticmethod
    def _targets(conn: Connection, run_id: int) -> list[dict[str, Any]]:
        t = run_targets_table
        out = [
            {
                "indicator": r.indicator,
                "dims": json.loads(r.dims),
                "comparator": r.comparator,
                "target": _dec(r.target),
                "value": _dec(r.value),
                "status": r.status,
                "_order": r.dims,
            }
            for r in conn.execute(sa.select(t).where(t.c.run_id == run_id))
        ]
        out.sort(key=lambda g: (g["indicator"], len(g["dims"]), g["_order"], g["comparator"]))
        for g in out:
            del g["_order"]
        return out

    @staticmethod
    def _violations(conn: Connection, run_id: int, rule: str | None = None) -> list[dict[str, Any]]:
        t = run_violations_table
        query = sa.select(t).where(t.c.run_id == run_id)
        if rule is not None:
            query = query.where(t.c.rule == rule)
        out = [
            {
                "rule": r.rule,
                "seq": r.seq,
                "severity": r.severity,
                "key": json.loads(r.key),
                "row": json.loads(r.row),
            }
            for r in conn.execute(query)
        ]
        out.sort(key=lambda x: (x["rule"], x["seq"]))
        return out

    def values(self, run_id: int) -> list[dict[str, Any]]:
        """The run's indicator values, by indicator, total (dims {}) first."""
        with self._tx() as conn:
            return self._values(conn, run_id)

    def targets(self, run_id: int) -> list[dict[str, Any]]:
        with self._tx() as conn:
            return self._targets(conn, run_id)

    def violations(self, run_id: int, rule: str | None = None) -> list[dict[str, Any]]:
        """The run's violations, by rule then seq (optionally of one rule)."""
        with self._tx() as conn:
            return self._violations(conn, run_id, rule)

    # --- verification ---------------------------------------------------------------------

    def verify_chain(self) -> list[Issue]:
        """Recompute every run's hashes from its stored rows and header and check the links.

        Returns one `Issue` per mismatch, naming the run; an empty list means the ledger is
        intact.
        """
        issues: list[Issue] = []
        with self._tx() as conn:
            runs = [
                self._run(r) for r in conn.execute(sa.select(runs_table).order_by(runs_table.c.id))
            ]
            previous: RunRecord | None = None
            for run in runs:
                issues.extend(self._verify_results(conn, run))
                if ledger.run_hash(run.header()) != run.run_hash:
                    issues.append(
                        Issue(f"run {run.id}: header does not match run_hash (a run field changed)")
                    )
                issues.extend(_verify_link(run, previous))
                previous = run
        return issues

    def _verify_results(self, conn: Connection, run: RunRecord) -> list[Issue]:
        rows = {
            "run_values": self._values(conn, run.id),
            "run_targets": self._targets(conn, run.id),
            "run_violations": self._violations(conn, run.id),
        }
        recomputed = {table: ledger.rows_hash(r) for table, r in rows.items()}
        if ledger.combine_results_hash(recomputed) == run.results_hash:
            return []
        changed = [
            t for t in ledger.RESULT_TABLES if recomputed[t] != getattr(run, _HASH_COLUMN[t])
        ]
        stored = {t: getattr(run, _HASH_COLUMN[t]) for t in ledger.RESULT_TABLES}
        if not changed or ledger.combine_results_hash(stored) != run.results_hash:
            why = "the per-table hashes were changed too"
        else:
            why = ", ".join(changed) + " changed"
        return [Issue(f"run {run.id}: stored results do not match results_hash ({why})")]

    # --- audit ----------------------------------------------------------------------------

    def audit(
        self,
        actor: str,
        action: str,
        target: str,
        before_hash: str | None = None,
        after_hash: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Append one entry to the audit log (entries are never updated or deleted)."""
        with self._tx() as conn:
            conn.execute(
                audit_log_table.insert().values(
                    at=_now(),
                    actor=actor,
                    action=action,
                    target=target,
                    before_hash=before_hash,
                    after_hash=after_hash,
                    detail=detail,
                )
            )

    def audit_log(self) -> list[dict[str, Any]]:
        """The audit log, oldest first."""
        t = audit_log_table
        with self._tx() as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.id)).mappings().all()
        return [{**r, "at": _utc(r["at"])} for r in rows]


def _missing(first: int, last: int) -> str:
    return f"run {first} is" if first == last else f"runs {first}..{last} are"


def _verify_link(run: RunRecord, previous: RunRecord | None) -> list[Issue]:
    if previous is None:
        if run.id != 1:
            return [Issue(f"run {run.id}: {_missing(1, run.id - 1)} missing from the ledger")]
        if run.prev_hash is not None:
            return [Issue(f"run {run.id}: prev_hash should be empty for the first run")]
        return []
    issues = []
    if run.id != previous.id + 1:
        issues.append(
            Issue(f"run {run.id}: {_missing(previous.id + 1, run.id - 1)} missing from the ledger")
        )
    if run.prev_hash != previous.run_hash:
        issues.append(Issue(f"run {run.id}: prev_hash does not match run {previous.id}'s run_hash"))
    return issues
