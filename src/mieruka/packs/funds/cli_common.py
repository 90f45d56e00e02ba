"""Helpers shared by the `mieruka funds …` commands.

A pack may not import the CLI layer (imports run interfaces → packs → core), so the few
helpers the core CLI has (opening the workspace from `-C`, reading a period) are repeated
here in a small form.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import click

from mieruka.core.issues import MierukaError
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.japan.wareki import parse_date

FORMATS = ("json", "html", "xlsx", "pdf")


def project_of(ctx: click.Context) -> Project:
    return Project.open((ctx.obj or {}).get("workspace"))


def period_of(project: Project, fy: int | None, as_of: str | None) -> Period:
    month = project.ws.settings.fiscal_year_start_month
    if as_of:
        return Period.as_of_date(parse_day(as_of, "--as-of"), month)
    return Period.for_fiscal_year(fy if fy is not None else date.today().year - 1, month)


def parse_day(text: str, option: str) -> date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


def fail(exc: MierukaError) -> None:
    click.echo(exc.render(), err=True)
    raise SystemExit(1)


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, default=str)


def emit(
    data: dict[str, Any], fmt: str, out: str | None, default_name: str, html: Any, xlsx: Any
) -> None:
    """Write `data` as JSON (stdout unless --out), HTML (likewise), XLSX or PDF (a file)."""
    if fmt in ("json", "html"):
        text = to_json(data) if fmt == "json" else html(data)
        if not out:
            click.echo(text)
            return
        Path(out).write_text(text, encoding="utf-8")
    else:
        out = out or f"{default_name}.{fmt}"
        if fmt == "xlsx":
            xlsx(data, Path(out))
        else:
            from mieruka.render.pdf import write_pdf

            write_pdf(html(data), Path(out))
    click.echo(f"written: {out}", err=True)
