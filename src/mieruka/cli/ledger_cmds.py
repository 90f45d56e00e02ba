"""Ledger commands: verify, diff, export."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import click

from mieruka.cli.app import cli, project_of, reports_errors, run_id_of
from mieruka.cli.render import console, dims_text, err_console, print_json, table


@cli.command()
@click.argument("run_ref", metavar="[RUN]", required=False)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reports_errors
def verify(ctx: click.Context, run_ref: str | None, as_json: bool) -> None:
    """Re-compute runs from stored snapshots and specs; check every hash. Exit 1 on any problem."""
    from mieruka.core.verify import verify as verify_runs

    project = project_of(ctx)
    run_id = run_id_of(project, run_ref) if run_ref else None
    problems, notes = verify_runs(project, run_id)
    if as_json:
        print_json(
            {"ok": not problems, "problems": [p.to_dict() for p in problems], "notes": notes}
        )
    else:
        for note in notes:
            console.print(f"note: {note}")
        for p in problems:
            err_console.print(f"[red]✗[/] {p}", highlight=False)
        if not problems:
            scope = f"run {run_id}" if run_id else f"{len(project.store.runs())} run(s)"
            console.print(
                f"[green]✓ verified {scope}: every hash checks and every figure re-computes identically[/]"
            )
    if problems:
        sys.exit(1)


@cli.command()
@click.argument("run_a")
@click.argument("run_b")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reports_errors
def diff(ctx: click.Context, run_a: str, run_b: str, as_json: bool) -> None:
    """What changed between two runs, and whether data, specs or parameters caused it."""
    from mieruka.core.diff import diff_runs

    project = project_of(ctx)
    result = diff_runs(project, run_id_of(project, run_a), run_id_of(project, run_b))
    if as_json:
        print_json(result)
        return
    console.print(
        f"run {result['a']} → run {result['b']}: caused by {', '.join(result['causes']) or 'nothing (identical inputs)'}"
    )
    for key in ("data_changes", "spec_changes", "parameter_changes"):
        if result[key]:
            console.print(f"  {key.replace('_', ' ')}: {', '.join(result[key])}")
    rows = [
        [
            c["indicator"],
            dims_text(c["dims"]),
            c["a"],
            c["b"],
            "yes" if c["evidence_changed"] else "",
        ]
        for c in result["values"]
    ]
    console.print(
        table("changed figures", ["indicator", "breakdown", "a", "b", "evidence changed"], rows)
    )
    for t in result["targets"]:
        console.print(f"  target {t['indicator']} {dims_text(t['dims'])}: {t['a']} → {t['b']}")


@cli.command()
@click.argument("run_ref", metavar="RUN")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="File (json) or folder (csv); stdout when omitted.",
)
@click.pass_context
@reports_errors
def export(ctx: click.Context, run_ref: str, fmt: str, out: Path | None) -> None:
    """Export a run's figures, target statuses and violations."""
    from mieruka.core.export import run_document, write_csv

    project = project_of(ctx)
    run_id = run_id_of(project, run_ref)
    if fmt == "json":
        text = json.dumps(run_document(project, run_id), ensure_ascii=False, indent=2, default=str)
        if out:
            out.write_text(text + "\n", encoding="utf-8")
        else:
            print(text)
        return
    if out:
        for path in write_csv(project, run_id, out):
            console.print(f"wrote {path}")
    else:
        buffer = io.StringIO()
        write_csv(project, run_id, None, values_to=buffer)
        sys.stdout.write(buffer.getvalue())
