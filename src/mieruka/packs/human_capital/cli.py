"""`mieruka hc …`: the statutory disclosure table from a finished run.

The pack's CLI opens the workspace itself (from `-C` or the current folder), because a
pack may not import the CLI layer; errors are printed with their location and exit 1.
"""

from __future__ import annotations

import json
import sys

import click

from mieruka.core.issues import MierukaError
from mieruka.core.project import Project
from mieruka.packs.human_capital.disclosure import build_disclosure, render_text
from mieruka.packs.human_capital.iso30414 import iso_report


@click.group(name="hc", help="人的資本 (human_capital pack): statutory disclosure table and notes.")
def human_capital() -> None:
    pass


@human_capital.command("disclosure")
@click.option("--fy", type=int, required=True, help="Fiscal year (the year it starts in).")
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
@click.pass_context
def disclosure_command(ctx: click.Context, fy: int, as_json: bool) -> None:
    """The 有報 table: three statutory figures per entity, with generated method notes."""
    root = ctx.find_root().obj or {}
    try:
        project = Project.open(root.get("workspace"))
        table = build_disclosure(project, fy)
    except MierukaError as exc:
        click.echo("error: " + exc.render(), err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(table.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(table))


@human_capital.command("iso30414")
@click.option("--fy", type=int, required=True, help="Fiscal year (the year it starts in).")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.pass_context
def iso_command(ctx: click.Context, fy: int, as_json: bool) -> None:
    """ISO 30414 metrics: the figure where the data supports it, "no data" otherwise."""
    root = ctx.find_root().obj or {}
    try:
        report = iso_report(Project.open(root.get("workspace")), fy)
    except MierukaError as exc:
        click.echo("error: " + exc.render(), err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"FY{fy} (run {report['run']}): {report['supported']} of "
        f"{len(report['metrics'])} metrics supported by the data"
    )
    for row in report["metrics"]:
        note = f"  ({row['note']})" if row["note"] else ""
        click.echo(f"{row['area']} / {row['metric']}: {row['value']}{note}")
