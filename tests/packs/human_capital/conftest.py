"""Small HR workspaces an HR specialist can check by hand.

`hc_project(tmp_path, files, options)` writes CSVs (dedented), loads them through the
pack's schemas and checks, and returns the project; `figures(project, fy)` runs the fiscal
year and returns {(indicator, dims as sorted tuple): value}.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import make_project, write

from mieruka.core.datasets import load
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.runs import start_run

EMPLOYEES_HEADER = "employee_id,gender,birth_date,hire_date,separation_date,separation_reason\n"
POSITIONS_HEADER = (
    "employee_id,valid_from,valid_to,entity,department,grade,employment_type,"
    "is_manager,is_officer,weekly_hours\n"
)


def options_toml(options: dict[str, Any]) -> str:
    lines = ["[packs.human_capital]"]
    for k, v in options.items():
        if isinstance(v, bool):
            text = "true" if v else "false"
        elif isinstance(v, str):
            text = f'"{v}"'
        else:
            text = str(v)
        lines.append(f"{k} = {text}")
    return "\n".join(lines) + "\n"


def build(tmp_path: Path, files: dict[str, str], options: dict[str, Any] | None = None) -> Project:
    project = make_project(tmp_path / "ws", {})
    if options:
        config = project.ws.root / "mieruka.toml"
        config.write_text(config.read_text(encoding="utf-8") + options_toml(options), "utf-8")
        project = Project.open(project.ws.root)
    for dataset, text in files.items():
        load(project, dataset, write(tmp_path / f"{dataset}.csv", textwrap.dedent(text)))
    return project


def figures(
    project: Project, fy: int
) -> dict[tuple[str, tuple[tuple[str, str], ...]], Decimal | None]:
    run = start_run(project, Period.for_fiscal_year(fy))
    return {
        (v["indicator"], tuple(sorted(v["dims"].items()))): v["value"]
        for v in project.store.values(run.id)
    }


def total(found: dict, indicator: str, **dims: str) -> Decimal | None:
    return found.get((indicator, tuple(sorted(dims.items()))))


@pytest.fixture
def hc(tmp_path: Path):
    projects: list[Project] = []

    def make(files: dict[str, str], options: dict[str, Any] | None = None) -> Project:
        project = build(tmp_path, files, options)
        projects.append(project)
        return project

    yield make
    for project in projects:
        project.close()
