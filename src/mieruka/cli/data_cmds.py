"""Workspace and data commands: init, load, datasets, indicators."""

from __future__ import annotations

import json
from pathlib import Path

import click

from mieruka.cli.app import cli, project_of, reports_errors
from mieruka.cli.render import console, print_json, table
from mieruka.core.workspace import init_workspace


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--organisation", default="Example Organisation", help="Organisation name.")
@click.option(
    "--start-month", default=4, type=int, show_default=True, help="Month the fiscal year starts."
)
@click.option("--store-url", default="sqlite:///.mieruka/store.sqlite", show_default=True)
@click.option("--engine", default="duckdb", show_default=True)
@click.option(
    "--packs",
    default=None,
    help="Comma-separated packs to use (default: every installed pack; '' for none).",
)
@reports_errors
def init(
    directory: Path,
    organisation: str,
    start_month: int,
    store_url: str,
    engine: str,
    packs: str | None,
) -> None:
    """Make a workspace in DIRECTORY."""
    enabled = None if packs is None else [p.strip() for p in packs.split(",") if p.strip()]
    ws = init_workspace(
        directory,
        enabled_packs=enabled,
        organisation=organisation,
        start_month=start_month,
        store_url=store_url,
        engine=engine,
    )
    console.print(f"workspace created: {ws.root}")


@cli.command()
@click.argument("dataset")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--sheet", help="XLSX sheet name (default: the first sheet).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reports_errors
def load(ctx: click.Context, dataset: str, file: Path, sheet: str | None, as_json: bool) -> None:
    """Check FILE against DATASET's schema and store it as an immutable snapshot."""
    from mieruka.core.datasets import load as load_dataset

    project = project_of(ctx)
    with console.status(f"loading {file.name} into {dataset}…"):
        outcome = load_dataset(project, dataset, file, sheet=sheet)
    snap = outcome.snapshot
    if as_json:
        print_json(
            {
                "dataset": dataset,
                "hash": snap.hash,
                "rows": snap.rows,
                "created": outcome.created,
                "current": True,
                "made_current": outcome.made_current,
            }
        )
    elif outcome.created:
        console.print(f"{dataset}: {snap.rows:,} rows loaded, snapshot {snap.hash[:12]}")
    elif outcome.made_current:
        console.print(
            f"{dataset}: identical to the stored snapshot {snap.hash[:12]}, which is current again"
        )
    else:
        console.print(
            f"{dataset}: identical content already stored as snapshot {snap.hash[:12]}; nothing changed"
        )


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reports_errors
def datasets(ctx: click.Context, as_json: bool) -> None:
    """List each dataset's snapshots (hash, rows, source file, loaded at)."""
    project = project_of(ctx)
    records = project.store.snapshots()
    if as_json:
        print_json(
            [
                {
                    "dataset": r.dataset,
                    "hash": r.hash,
                    "rows": r.rows,
                    "source_file": r.source_file,
                    "loaded_at": r.loaded_at.isoformat(),
                }
                for r in records
            ]
        )
        return
    schemas = project.dataset_schemas()
    rows = [
        [
            r.dataset,
            r.hash[:12],
            f"{r.rows:,}",
            r.source_file,
            r.loaded_at.strftime("%Y-%m-%d %H:%M"),
        ]
        for r in records
    ]
    rows += [
        [d, "—", "not loaded", "", ""]
        for d in sorted(schemas)
        if d not in {r.dataset for r in records}
    ]
    console.print(table("datasets", ["dataset", "hash", "rows", "source", "loaded at (UTC)"], rows))


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reports_errors
def indicators(ctx: click.Context, as_json: bool) -> None:
    """Validate the specs and list indicators and rules."""
    specs = project_of(ctx).specs
    if as_json:
        print_json(json.loads(specs.to_json()))
        return
    rows = [
        [i.id, i.label.get("ja"), i.label.get("en"), i.unit, i.aggregate, ", ".join(i.by), i.source]
        for i in specs.indicators.values()
    ]
    console.print(
        table("indicators", ["id", "名称", "label", "unit", "aggregate", "by", "source"], rows)
    )
    rules = [[r.id, r.label.get("ja"), r.severity, r.source] for r in specs.rules.values()]
    console.print(table("rules", ["id", "名称", "severity", "source"], rules))


@cli.command()
@click.option("--clear", is_flag=True, help="Delete the cache (it is rebuilt when needed).")
@click.pass_context
@reports_errors
def cache(ctx: click.Context, clear: bool) -> None:
    """Show (or --clear) the workspace's cache of derived data: keyed copies of snapshots."""
    import shutil

    folder = project_of(ctx).ws.cache_dir
    files = [f for f in folder.rglob("*") if f.is_file()] if folder.exists() else []
    size = sum(f.stat().st_size for f in files)
    if clear:
        shutil.rmtree(folder, ignore_errors=True)
        console.print(f"deleted {len(files):,} file(s), {size / 1e6:,.1f} MB from {folder}")
    else:
        console.print(f"{folder}: {len(files):,} file(s), {size / 1e6:,.1f} MB")
