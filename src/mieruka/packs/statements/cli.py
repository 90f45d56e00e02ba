"""`mieruka statements …`: check a prepared schedule, or build the schedules from registers.

Exit status follows the CLI contract: 0 when every identity holds (differences explained
by truncation are listed, not failed), 1 when any check or the file itself fails.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from mieruka.core.issues import MierukaError
from mieruka.packs.statements.agreement import (
    agree_with_balance_sheet,
    agree_with_capital,
    read_balance_sheet,
    read_capital,
)
from mieruka.packs.statements.check import CheckReport, check_schedule
from mieruka.packs.statements.reader import read_schedule


def _print_report(report: CheckReport) -> None:
    for finding in report.errors + report.accepted:
        click.echo(str(finding))
    click.echo(
        f"{report.rows} rows, {report.comparisons} comparisons: {len(report.errors)} error(s), "
        f"{len(report.accepted)} difference(s) explained by 千円 truncation"
    )


@click.group(name="statements", help="附属明細書: build schedules and check prepared ones.")
def statements() -> None:
    pass


@statements.command("check")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--sheet", default=None, help="XLSX sheet (default: the first).")
@click.option(
    "--balance-sheet",
    "balance_sheet",
    type=click.Path(path_type=Path),
    default=None,
    help="Balance-sheet lines (section, asset_class, closing, …) that (1) must agree with.",
)
@click.option(
    "--capital",
    type=click.Path(path_type=Path),
    default=None,
    help="Schedule (13) lines (item, opening, increase, decrease, closing) to agree with.",
)
def check_command(
    file: Path, as_json: bool, sheet: str | None, balance_sheet: Path | None, capital: Path | None
) -> None:
    """Check a prepared schedule (1) (CSV/XLSX in the documented columns)."""
    try:
        rows = read_schedule(file, sheet)
        sheet_figures = read_balance_sheet(balance_sheet) if balance_sheet else None
        capital_figures = read_capital(capital) if capital else None
    except MierukaError as exc:
        if as_json:
            click.echo(json.dumps({"ok": False, "file_issues": [i.to_dict() for i in exc.issues]},
                                  ensure_ascii=False, indent=2))  # fmt: skip
        else:
            click.echo(exc.render(), err=True)
        sys.exit(1)
    report = check_schedule(rows)
    if sheet_figures is not None:
        agree_with_balance_sheet(rows, sheet_figures, report)
    if capital_figures is not None:
        agree_with_capital(rows, capital_figures, report)
    if as_json:
        click.echo(
            json.dumps({"file": str(file), **report.to_dict()}, ensure_ascii=False, indent=2)
        )
    else:
        _print_report(report)
    sys.exit(0 if report.ok else 1)


@statements.command("build")
@click.option("--fy", type=int, required=True, help="Fiscal year (the year it starts in).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("reports"))
@click.option("--workspace", "-w", type=click.Path(path_type=Path), default=None)
@click.option("--no-pdf", is_flag=True, help="Skip the PDF.")
def build_command(fy: int, out: Path, workspace: Path | None, no_pdf: bool) -> None:
    """Build schedules (1), (2), (8), (10) from the loaded registers; check (1) as well."""
    from mieruka.core.period import Period
    from mieruka.core.project import Project
    from mieruka.packs.statements.build import fixed_asset_schedule, snapshot_fetch, write_schedules

    try:
        project = Project.open(workspace)
    except MierukaError as exc:
        click.echo(exc.render(), err=True)
        sys.exit(1)
    period = Period.for_fiscal_year(fy, project.ws.settings.fiscal_year_start_month)
    try:
        fixed = fixed_asset_schedule(snapshot_fetch(project), fy, period.start, period.end)
        report = check_schedule(fixed.rows)
        for path in write_schedules(project, fy, period.start, period.end, out, not no_pdf):
            click.echo(f"wrote {path}")
        _print_report(report)
    finally:
        project.close()
    sys.exit(0 if report.ok else 1)
