"""`mieruka serve`: the web dashboard and JSON API of the workspace.

Registered in `mieruka.cli.main` with `cli.add_command(serve)`. Local mode (default) has
one user and no login, so it refuses any address but loopback. `--server` needs the store
on PostgreSQL and accounts; `--create-admin NAME` creates the first admin (password read
from the MIERUKA_ADMIN_PASSWORD environment variable or asked for) and exits.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from mieruka.cli.render import console, err_console
from mieruka.core.issues import MierukaError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _fail(message: str, status: int = 1) -> None:
    err_console.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    sys.exit(status)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, type=click.IntRange(1, 65535), show_default=True)
@click.option("--server", is_flag=True, help="Multi-user mode with accounts (store on PostgreSQL).")
@click.option(
    "--insecure-cookies",
    is_flag=True,
    help="Server mode behind plain HTTP (testing only): session cookies without Secure.",
)
@click.option("--create-admin", metavar="NAME", help="Create an admin account and exit.")
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    server: bool,
    insecure_cookies: bool,
    create_admin: str | None,
) -> None:
    """Serve the dashboard and the JSON API (/api/v1) of this workspace."""
    from mieruka.core.project import Project

    workspace: Path | None = (ctx.obj or {}).get("workspace")
    try:
        project = Project.open(workspace)
        if create_admin:
            _create_admin(project, create_admin)
            return
        if not server and host not in LOOPBACK:
            _fail(
                f"local mode has no login and listens on 127.0.0.1 only (found --host {host}); "
                "use --server for a shared dashboard",
                2,
            )
        from mieruka.web.app import ServerModeError, create_app

        try:
            app = create_app(project, server=server, secure_cookies=server and not insecure_cookies)
        except ServerModeError as exc:
            _fail(str(exc))
            return
    except MierukaError as exc:
        _fail(exc.render())
        return
    import uvicorn

    mode = "server mode" if server else "local mode, no login"
    console.print(f"mieruka dashboard on http://{host}:{port}/ ({mode}); Ctrl-C stops it")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _create_admin(project: object, name: str) -> None:
    from mieruka.core.project import Project
    from mieruka.web.accounts import AccountError, Accounts

    assert isinstance(project, Project)
    if project.store.dialect != "postgresql":
        _fail("accounts live in server mode, whose store_url must be PostgreSQL")
    password = os.environ.get("MIERUKA_ADMIN_PASSWORD") or click.prompt(
        f"password for {name}", hide_input=True, confirmation_prompt=True
    )
    try:
        Accounts(project.store).create_user(name, password, "admin", actor="cli")
    except AccountError as exc:
        _fail(str(exc))
    console.print(f"admin '{name}' created")
