"""The initial store: snapshots, spec versions, the run ledger with its result rows, audit log.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
HASH = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("dataset", sa.String(100), nullable=False),
        sa.Column("hash", HASH, nullable=False),
        sa.Column("rows", sa.BigInteger),
        sa.Column("schema_json", sa.Text),
        sa.Column("source_file", sa.Text),
        sa.Column("source_sha256", HASH),
        sa.Column("loaded_at", TS, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.UniqueConstraint("dataset", "hash", name="uq_snapshots_dataset_hash"),
    )
    op.create_table(
        "spec_versions",
        sa.Column("hash", HASH, primary_key=True),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("fiscal_year", sa.Integer),
        sa.Column("as_of", sa.Date),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("spec_hash", HASH, nullable=False),
        sa.Column("snapshots", sa.Text, nullable=False),
        sa.Column("code_version", sa.String(100), nullable=False),
        sa.Column("results_hash", HASH, nullable=False),
        sa.Column("values_hash", HASH, nullable=False),
        sa.Column("targets_hash", HASH, nullable=False),
        sa.Column("violations_hash", HASH, nullable=False),
        sa.Column("prev_hash", HASH),
        sa.Column("run_hash", HASH, nullable=False),
        sa.Column("supersedes", sa.Integer, sa.ForeignKey("runs.id", name="fk_runs_supersedes")),
        sa.Column("note", sa.Text),
        sa.UniqueConstraint("run_hash", name="uq_runs_run_hash"),
    )
    op.create_table(
        "run_values",
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", name="fk_run_values_run"), nullable=False
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
    )
    op.create_index("ix_run_values_run_indicator", "run_values", ["run_id", "indicator"])
    op.create_table(
        "run_targets",
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
    )
    op.create_index("ix_run_targets_run_indicator", "run_targets", ["run_id", "indicator"])
    op.create_table(
        "run_violations",
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
    )
    op.create_index("ix_run_violations_run_rule", "run_violations", ["run_id", "rule"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("before_hash", HASH),
        sa.Column("after_hash", HASH),
        sa.Column("detail", sa.Text),
    )


def downgrade() -> None:
    for index, table in (
        ("ix_run_violations_run_rule", "run_violations"),
        ("ix_run_targets_run_indicator", "run_targets"),
        ("ix_run_values_run_indicator", "run_values"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "audit_log",
        "run_violations",
        "run_targets",
        "run_values",
        "runs",
        "spec_versions",
        "snapshots",
    ):
        op.drop_table(table)
