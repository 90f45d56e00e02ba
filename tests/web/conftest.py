"""Workspaces for the dashboard tests: the staff workspace evaluated for two fiscal years."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import STAFF_CSV, STAFF_DATASETS, STAFF_SPECS, make_project, write

from mieruka.core.datasets import load
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.runs import start_run
from mieruka.web.app import create_app

METHOD = """
  - id: t.female_managers
    method: {ja: 管理職に占める女性の割合（年度末時点）, en: Share of women among managers at year end}
"""


def build_workspace(root: Path, store_url: str | None = None) -> Project:
    """Runs 1 (FY2023) and 2 (FY2024) of the staff workspace."""
    specs = STAFF_SPECS.replace(
        "    label: {ja: 女性管理職比率, en: Women in management}\n",
        "    label: {ja: 女性管理職比率, en: Women in management}\n"
        "    method: {ja: 年度末時点の管理職に占める女性の割合, en: Women among managers at year end}\n",
    )
    project = make_project(
        root / "ws", {"datasets.yaml": STAFF_DATASETS, "kpis.yaml": specs}, store_url
    )
    load(project, "staff", write(root / "staff.csv", STAFF_CSV))
    start_run(project, Period.for_fiscal_year(2023))
    start_run(project, Period.for_fiscal_year(2024))
    return project


@pytest.fixture
def local_project(tmp_path: Path) -> Iterator[Project]:
    project = build_workspace(tmp_path)
    yield project
    project.close()


@pytest.fixture
def client(local_project: Project) -> Iterator[TestClient]:
    with TestClient(create_app(local_project)) as c:
        yield c
