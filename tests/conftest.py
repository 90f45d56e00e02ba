"""Shared fixtures: small workspaces whose figures a reader can check by hand."""

from __future__ import annotations

import os
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from mieruka.core.project import Project
from mieruka.core.workspace import init_workspace

PG_ADMIN = os.environ.get("MIERUKA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")

STAFF_DATASETS = """
datasets:
  - id: staff
    key: staff_id
    columns:
      - {name: staff_id, type: string, required: true}
      - {name: gender, type: string, required: true, values: [F, M]}
      - {name: dept, type: string, required: true}
      - {name: hire_date, type: date, required: true}
      - {name: leave_date, type: date}
      - {name: is_manager, type: boolean, required: true}
      - {name: salary, type: yen, min: 0}
"""

# Five managers on 2025-03-31 (S1, S2, S3, S5, S7): two women (S2, S5) -> 40.0 %.
# S8 is a woman manager who left on 2024-12-31, so she is not counted at year end.
STAFF_CSV = """\
staff_id,gender,dept,hire_date,leave_date,is_manager,salary
S1,M,営業,2010-04-01,,○,"8,000,000"
S2,F,営業,令和2年4月1日,,○,"7,500,000"
S3,M,開発,H20.4.1,,○,"9,000,000"
S4,F,開発,2015/4/1,,×,"5,000,000"
S5,F,開発,2018-04-01,,○,"8,200,000"
S6,M,営業,2020-04-01,2024-06-30,×,"4,000,000"
S7,M,管理,2012-04-01,,○,"7,000,000"
S8,F,管理,2011-04-01,2024-12-31,○,"7,800,000"
S9,M,管理,2024-10-01,,×,"4,500,000"
"""

STAFF_SPECS = """
indicators:
  - id: t.female_managers
    label: {ja: 女性管理職比率, en: Women in management}
    unit: percent
    aggregate: ratio
    by: [dept]
    rounding: {digits: 1, mode: half_up}
    formula: |
      SELECT staff_id AS key, dept, gender = 'F' AS numerator, TRUE AS denominator
      FROM staff
      WHERE is_manager AND hire_date <= :as_of AND (leave_date IS NULL OR leave_date > :as_of)
  - id: t.headcount
    label: {ja: 従業員数}
    unit: people
    aggregate: count
    by: [gender]
    rounding: {digits: 0}
    formula: |
      SELECT staff_id AS key, gender FROM staff
      WHERE hire_date <= :as_of AND (leave_date IS NULL OR leave_date > :as_of)
  - id: t.payroll
    label: {ja: 給与総額}
    unit: yen
    aggregate: sum
    rounding: {digits: 0, mode: truncate}
    formula: |
      SELECT staff_id AS key, salary AS value FROM staff
      WHERE hire_date <= :as_of AND (leave_date IS NULL OR leave_date > :as_of)
  - id: t.payroll_per_head
    label: {ja: 一人当たり給与}
    unit: yen
    aggregate: value
    rounding: {digits: 0, mode: truncate}
    formula: |
      SELECT p.value / h.value AS value FROM ind('t.payroll') p, ind('t.headcount') h
      WHERE h.gender IS NULL
targets:
  - {indicator: t.female_managers, fy: 2024, comparator: ">=", value: 30}
  - {indicator: t.headcount, fy: 2024, comparator: ">=", value: 10}
rules:
  - id: t.leaver_still_manager
    label: {ja: 退職済みの管理職フラグ}
    severity: warning
    key: [staff_id]
    formula: |
      SELECT staff_id, leave_date FROM staff WHERE is_manager AND leave_date IS NOT NULL AND leave_date <= :fy_end
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding=encoding)
    return path


def make_project(
    root: Path, specs: dict[str, str], store_url: str | None = None, packs: list[str] | None = None
) -> Project:
    """A workspace using the given packs (every installed pack when None; core tests pass [])."""
    ws = init_workspace(
        root,
        organisation="テスト株式会社",
        enabled_packs=packs,
        **({"store_url": store_url} if store_url else {}),
    )
    for name, text in specs.items():
        write(ws.specs_dir / name, text)
    return Project(ws)


@pytest.fixture
def staff_project(tmp_path: Path) -> Iterator[Project]:
    from mieruka.core.datasets import load

    project = make_project(
        tmp_path / "ws", {"datasets.yaml": STAFF_DATASETS, "kpis.yaml": STAFF_SPECS}, packs=[]
    )
    load(project, "staff", write(tmp_path / "staff.csv", STAFF_CSV))
    yield project
    project.close()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh database on the real PostgreSQL server, dropped afterwards."""
    import psycopg

    name = f"mieruka_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True)
    except psycopg.OperationalError as exc:  # the suite's set-up starts the server; say so loudly
        pytest.fail(f"PostgreSQL on 127.0.0.1:5432 is not reachable: {exc}")
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
