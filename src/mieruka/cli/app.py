"""The `mieruka` command group and what every command shares.

Exit status: 0 done, 1 a problem the user can act on, 2 bad usage. Every command that
prints figures takes `--json` for machines; errors go to stderr with their file, row,
column or spec line.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from mieruka.cli.render import err_console
from mieruka.core.issues import MierukaError
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.workspace import choose_workspace
from mieruka.japan.wareki import parse_date

F = TypeVar("F", bound=Callable[..., Any])


def report(exc: MierukaError) -> None:
    err_console.print("[bold red]error:[/] " + exc.render(), markup=True, highlight=False)


def reports_errors(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MierukaError as exc:
            report(exc)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def project_of(ctx: click.Context) -> Project:
    return Project.open(ctx.obj.get("workspace"))


class Commands(click.Group):
    """The `mieruka` group: a `MierukaError` from any command, a pack's included, is
    printed as the user's problem (exit status 1), never as a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MierukaError as exc:
            report(exc)
            sys.exit(1)


@click.group(cls=Commands)
@click.option(
    "-C",
    "--workspace",
    type=click.Path(path_type=Path),
    help="Workspace folder (default: the current one or a parent).",
)
@click.version_option(package_name="mieruka")
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None) -> None:
    """mieruka (見える化): governance figures from your own data, with the evidence behind each."""
    ctx.ensure_object(dict)
    ctx.obj["workspace"] = workspace
    choose_workspace(workspace)  # packs' commands open it too


def parse_period(project: Project, fy: int | None, as_of: str | None) -> Period:
    month = project.ws.settings.fiscal_year_start_month
    if (fy is None) == (as_of is None):
        raise click.UsageError("give exactly one of --fy YEAR or --as-of DATE")
    if as_of is not None:
        try:
            return Period.as_of_date(parse_date(as_of), month)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--as-of") from exc
    assert fy is not None
    return Period.for_fiscal_year(fy, month)


def run_id_of(project: Project, text: str) -> int:
    if text == "latest":
        latest = project.store.latest_run()
        if latest is None:
            raise MierukaError("there are no runs yet; start one with `mieruka run --fy YEAR`")
        return latest.id
    if not text.isdigit():
        raise click.BadParameter(f"expected a run number or 'latest', found {text!r}")
    return int(text)
