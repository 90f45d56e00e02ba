"""Every load of a dataset, so that re-loading older content makes it current again.

Snapshots are content-addressed and never change; which one is current is the one named
by the latest load. Existing snapshots get one load each, in their original order.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dataset_loads",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("dataset", sa.String(100), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("source_file", sa.Text),
        sa.Column("source_sha256", sa.String(64)),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_dataset_loads_dataset", "dataset_loads", ["dataset"])
    op.execute(
        "INSERT INTO dataset_loads (dataset, hash, source_file, source_sha256, loaded_at) "
        "SELECT dataset, hash, source_file, source_sha256, loaded_at FROM snapshots ORDER BY id"
    )


def downgrade() -> None:
    op.drop_index("ix_dataset_loads_dataset", table_name="dataset_loads")
    op.drop_table("dataset_loads")
