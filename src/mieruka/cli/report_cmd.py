"""`mieruka report RUN`: write a run's report for people, as HTML or XLSX.

Registered in `mieruka.cli.main` with `cli.add_command(report)`. Helpers of `main` are
imported when the command runs, so that `main` can import this module at its top.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mieruka.cli.render import console, err_console
from mieruka.core.issues import MierukaError


@click.command()
@click.argument("run_ref", metavar="RUN")
@click.option(
    "--format", "fmt", type=click.Choice(["html", "xlsx"]), default="html", show_default=True
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="File to write; '-' prints the HTML. Default: reports/run<N>.<format> in the workspace.",
)
@click.option(
    "--lang",
    type=click.Choice(["ja", "en"]),
    help="Language of the labels (default: the workspace's).",
)
@click.pass_context
def report(ctx: click.Context, run_ref: str, fmt: str, out: Path | None, lang: str | None) -> None:
    """Write a report of RUN (a run number or 'latest'): figures, targets, breakdowns,
    trends, rule violations, and the hashes a verifier needs."""
    from mieruka.cli.app import run_id_of
    from mieruka.core.project import Project

    try:
        project = Project.open((ctx.obj or {}).get("workspace"))
        try:
            run_id = run_id_of(project, run_ref)
            if str(out) == "-":
                if fmt != "html":
                    raise click.BadParameter(
                        "only the HTML report can go to stdout", param_hint="--out"
                    )
                from mieruka.report.html import render_html

                sys.stdout.write(render_html(project, run_id, lang))
                return
            path = out or project.ws.root / "reports" / f"run{run_id}.{fmt}"
            if fmt == "html":
                from mieruka.report.html import write_html

                write_html(project, run_id, path, lang)
            else:
                from mieruka.report.xlsx import write_xlsx

                write_xlsx(project, run_id, path, lang)
            console.print(f"wrote {path}")
        finally:
            project.close()
    except MierukaError as exc:
        err_console.print("[bold red]error:[/] " + exc.render(), markup=True, highlight=False)
        sys.exit(1)
