"""`mieruka hc …`: the pack's documents from a finished run, in five formats.

`disclosure` (the 有報 table with its method notes), `iso30414`, `progress` (KPIs against
the workspace's targets) and `ltv` (employee LTV with retention curves) each build one
`documents.Document` and write it as text or JSON (to the terminal unless `--out`), or as
HTML, XLSX or PDF (to `--out`, by default `reports/<document>.<format>` in the workspace).

The pack's CLI opens the workspace itself (from `-C` or the current folder), because a
pack may not import the CLI layer; errors are printed with their location and exit 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from mieruka.core.issues import MierukaError
from mieruka.core.project import Project
from mieruka.packs.human_capital.documents import FORMATS, Document, render_text, to_json, write

Build = Callable[[Project, str], Document]
Text = Callable[[Project, Document], str]


def _plain(_project: Project, doc: Document) -> str:
    return render_text(doc)


@click.group(
    name="hc",
    help="人的資本 (human_capital pack): 有報 disclosure, ISO 30414, KPI progress, LTV.",
)
def human_capital() -> None:
    pass


def _options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "--out",
        type=click.Path(path_type=Path, dir_okay=False),
        help="File to write. Default: text/json to the terminal; html/xlsx/pdf to "
        "reports/<document>.<format> in the workspace.",
    )(func)
    func = click.option(
        "--lang",
        type=click.Choice(["ja", "en"]),
        help="Labels and notes (default: the workspace's).",
    )(func)
    func = click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True
    )(func)
    return click.option(
        "--fy", type=int, required=True, help="Fiscal year (the year it starts in)."
    )(func)


def _emit(
    ctx: click.Context,
    build: Build,
    fmt: str,
    out: Path | None,
    lang: str | None,
    text: Text = _plain,
) -> None:
    root = ctx.find_root().obj or {}
    try:
        project = Project.open(root.get("workspace"))
    except MierukaError as exc:
        click.echo("error: " + exc.render(), err=True)
        sys.exit(1)
    try:
        doc = build(project, lang or project.ws.settings.language)
        if out is None and fmt in ("text", "json"):
            click.echo(text(project, doc) if fmt == "text" else to_json(doc))
            return
        path = out or project.ws.root / "reports" / f"{doc.name}.{fmt}"
        if fmt == "text":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text(project, doc) + "\n", encoding="utf-8")
        else:
            write(doc, fmt, path)
        click.echo(f"wrote {path}")
    except MierukaError as exc:
        click.echo("error: " + exc.render(), err=True)
        sys.exit(1)
    finally:
        project.close()


@human_capital.command("disclosure")
@_options
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.pass_context
def disclosure_command(
    ctx: click.Context, fy: int, fmt: str, lang: str | None, out: Path | None, as_json: bool
) -> None:
    """The 有報 table: three statutory figures for the filer and each subsidiary, with the
    method notes (算出方法・対象期間・除外) generated from the run's options."""
    from mieruka.packs.human_capital.disclosure import build_disclosure
    from mieruka.packs.human_capital.disclosure import render_text as disclosure_text
    from mieruka.packs.human_capital.disclosure_doc import disclosure_document

    def text(project: Project, doc: Document) -> str:
        if doc.lang == "ja":  # the paste-ready block layout of the Japanese table
            return disclosure_text(build_disclosure(project, fy))
        return render_text(doc)

    _emit(ctx, lambda p, lang: disclosure_document(p, fy, lang), "json" if as_json else fmt,
          out, lang, text)  # fmt: skip


@human_capital.command("iso30414")
@_options
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.pass_context
def iso_command(
    ctx: click.Context, fy: int, fmt: str, lang: str | None, out: Path | None, as_json: bool
) -> None:
    """ISO 30414 metrics: the figure where the data supports it, "no data" otherwise."""
    from mieruka.packs.human_capital.iso30414_doc import iso_document

    _emit(ctx, lambda p, lang: iso_document(p, fy, lang), "json" if as_json else fmt, out, lang)


@human_capital.command("progress")
@_options
@click.option("--years", type=int, default=5, show_default=True, help="Fiscal years shown.")
@click.pass_context
def progress_command(
    ctx: click.Context, fy: int, fmt: str, lang: str | None, out: Path | None, years: int
) -> None:
    """KPI progress: each hc. indicator with a target in specs/, figure vs target per
    fiscal year, met or missed."""
    from mieruka.packs.human_capital.progress_doc import progress_document

    _emit(ctx, lambda p, lang: progress_document(p, fy, lang, years), fmt, out, lang)


@human_capital.command("ltv")
@_options
@click.pass_context
def ltv_command(ctx: click.Context, fy: int, fmt: str, lang: str | None, out: Path | None) -> None:
    """Employee LTV by department with its assumptions, and Kaplan–Meier retention curves
    by department and hire cohort (a chart in HTML and PDF)."""
    from mieruka.packs.human_capital.ltv_doc import ltv_document

    _emit(ctx, lambda p, lang: ltv_document(p, fy, lang), fmt, out, lang)
