"""`mieruka` entry point: the core commands, the report command and every pack's commands."""

from __future__ import annotations

from pathlib import Path

import click

from mieruka.cli import data_cmds, ledger_cmds, run_cmds  # noqa: F401 - they register their commands
from mieruka.cli.app import cli, reports_errors
from mieruka.cli.render import console
from mieruka.cli.report_cmd import report
from mieruka.cli.serve_cmd import serve

__all__ = ["cli", "main"]


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path), default=Path("demo-workspace"))
@click.option(
    "--size",
    default="small",
    show_default=True,
    help="small, medium, large, or a number of employees.",
)
@click.option("--years", default=3, show_default=True, help="Fiscal years to evaluate.")
@click.option("--force", is_flag=True, help="Replace an existing demo workspace.")
@reports_errors
def demo(directory: Path, size: str, years: int, force: bool) -> None:
    """Build a synthetic organisation, load it, evaluate it for several fiscal years, write reports."""
    from mieruka.demo.build import build_demo

    build_demo(directory, size=size, years=years, force=force, console=console)


cli.add_command(report)
cli.add_command(serve)


def _mount_pack_commands() -> None:
    """Each pack's click group becomes `mieruka <group name> …`, the same way for every pack."""
    from mieruka.core.registry import installed_packs

    for pack in installed_packs():
        if pack.cli is not None:
            cli.add_command(pack.cli, name=pack.cli.name or pack.name)


_mount_pack_commands()


def main() -> None:
    cli(obj={})
