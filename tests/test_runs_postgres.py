"""The same workspace on the real PostgreSQL server: runs, evidence, verify, tampering."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from tests.conftest import STAFF_CSV, STAFF_DATASETS, STAFF_SPECS, make_project, write

from mieruka.core.datasets import load
from mieruka.core.evidence import indicator_evidence
from mieruka.core.period import Period
from mieruka.core.runs import start_run
from mieruka.core.verify import verify

pytestmark = pytest.mark.postgres


def test_a_workspace_on_postgresql_runs_and_verifies(tmp_path, pg_url):
    project = make_project(
        tmp_path / "ws",
        {"datasets.yaml": STAFF_DATASETS, "kpis.yaml": STAFF_SPECS},
        store_url=pg_url,
        packs=[],
    )
    try:
        load(project, "staff", write(tmp_path / "staff.csv", STAFF_CSV))
        runs = [start_run(project, Period.for_fiscal_year(fy)) for fy in (2023, 2024)]
        total = next(
            v
            for v in project.store.values(runs[1].id)
            if v["indicator"] == "t.female_managers" and not v["dims"]
        )
        assert total["value"] == Decimal("40.0")
        assert indicator_evidence(project, runs[1], "t.female_managers", {}).numerator_keys == [
            "S2",
            "S5",
        ]
        assert verify(project)[0] == []
        engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as con:
            con.execute(sa.text("DELETE FROM run_violations WHERE run_id = :r"), {"r": runs[1].id})
        engine.dispose()
        problems = [str(p) for p in verify(project)[0]]
        assert any(f"run {runs[1].id}" in p and "run_violations" in p for p in problems)
    finally:
        project.close()
