"""The demo, end to end: workspace, source files, loads, three fiscal years of runs, reports.

Each installed pack adds its own synthetic data through its `demo` hook, so the demo grows
with the packs.
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

from rich.console import Console

from mieruka.core.datasets import load
from mieruka.core.issues import Issue, MierukaError
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.runs import start_run
from mieruka.core.workspace import CONFIG_FILE, init_workspace, open_workspace
from mieruka.demo.generate import generate, staff_count

ORGANISATION = "見える化商事株式会社"
LAST_FY = 2025


def build_demo(
    directory: Path,
    *,
    size: str = "small",
    years: int = 3,
    force: bool = False,
    console: Console | None = None,
) -> Project:
    console = console or Console()
    try:
        staff_count(size)
    except ValueError as exc:
        raise MierukaError(Issue(str(exc))) from exc
    if (directory / CONFIG_FILE).exists():
        if not force:
            raise MierukaError(
                Issue(f"{directory} already holds a workspace; use --force to rebuild it")
            )
        shutil.rmtree(directory)
    first_fy = LAST_FY - years + 1
    ws = init_workspace(directory, organisation=ORGANISATION)
    for name in ("datasets.yaml", "kpis.yaml"):
        text = resources.files("mieruka.demo").joinpath("specs", name).read_text(encoding="utf-8")
        (ws.specs_dir / name).write_text(text, encoding="utf-8")
    project = Project(ws)
    with console.status("generating source files…"):
        files = generate(ws.root / "data", size, first_fy, LAST_FY)
    for dataset, path in files.items():
        with console.status(f"loading {path.name}…"):
            outcome = load(project, dataset, path)
        console.print(
            f"loaded {dataset:<12} {outcome.snapshot.rows:>9,} rows  ← {path.relative_to(ws.root)}"
        )
    for pack in project.packs:
        if pack.demo is not None:
            with console.status(f"{pack.name}: demo data…"):
                pack.demo(project, size)
    # a pack's demo may have written its settings (mieruka.toml) and specs: read them again
    project.close()
    project = Project(open_workspace(directory))
    ws = project.ws
    run_ids = []
    for fy in range(first_fy, LAST_FY + 1):
        with console.status(f"evaluating FY{fy}…"):
            record = start_run(
                project, Period.for_fiscal_year(fy, ws.settings.fiscal_year_start_month)
            )
        run_ids.append(record.id)
    _print_key_figures(project, run_ids, console)
    _write_reports(project, run_ids[-1], console)
    console.print(
        f"\nworkspace: {ws.root}\ntry: mieruka -C {directory} runs · show latest · verify · "
        f"evidence latest org.female_manager_share --dim department=開発部"
    )
    return project


def _print_key_figures(project: Project, run_ids: list[int], console: Console) -> None:
    """One table: each indicator's total per fiscal year, and the latest target status."""
    from rich.table import Table

    from mieruka.cli.render import format_value

    runs = [project.store.run(r) for r in run_ids]
    specs = json.loads(project.store.spec(runs[-1].spec_hash))
    labels = {i["id"]: i["label"].get("ja") or i["id"] for i in specs["indicators"]}
    totals = [
        {v["indicator"]: v for v in project.store.values(r.id) if not v["dims"]} for r in runs
    ]
    status = {t["indicator"]: t for t in project.store.targets(runs[-1].id) if not t["dims"]}
    table = Table(title=f"{project.ws.settings.organisation} — key figures", title_justify="left")
    for column in ("indicator", "名称", *(f"FY{r.fiscal_year}" for r in runs), "target", "status"):
        table.add_column(column, justify="right" if column.startswith("FY") else "left")
    for ind_id in sorted(totals[-1]):
        if all(t.get(ind_id, {}).get("value") is None for t in totals):
            continue  # nothing to show in any year (e.g. a dataset the demo does not load)
        unit = totals[-1][ind_id]["unit"]
        t = status.get(ind_id)
        goal = f"{t['comparator']} {format_value(t['target'], unit)}" if t and t["target"] else ""
        cells = [format_value(year.get(ind_id, {}).get("value"), unit) for year in totals]
        table.add_row(ind_id, labels.get(ind_id, ""), *cells, goal, t["status"] if t else "")
    console.print(table)
    violations = len(project.store.violations(runs[-1].id))
    console.print(f"rule violations in FY{runs[-1].fiscal_year}: {violations:,}")


def _write_reports(project: Project, run_id: int, console: Console) -> None:
    folder = project.ws.root / "reports"
    folder.mkdir(exist_ok=True)
    from mieruka.core.export import write_csv
    from mieruka.report.html import write_html
    from mieruka.report.xlsx import write_xlsx

    written = write_csv(project, run_id, folder)
    html, xlsx = folder / f"run{run_id}.html", folder / f"run{run_id}.xlsx"
    write_html(project, run_id, html)
    write_xlsx(project, run_id, xlsx)
    written += [html, xlsx]
    for path in written:
        console.print(f"report: {path.relative_to(project.ws.root)}")
