"""`mieruka` commands. Exit status: 0 done, 1 a problem the user can act on, 2 bad usage.

Every command that prints figures takes `--json` for machines; errors go to stderr with
their file, row, column or spec line.
"""

from __future__ import annotations

import functools
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mieruka.cli.render import console, dims_text, err_console, format_value, print_json, table
from mieruka.core.issues import MierukaError
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.workspace import init_workspace
from mieruka.japan.wareki import parse_date

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MierukaError as exc:
            err_console.print("[bold red]error:[/] " + exc.render(), markup=True, highlight=False)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def project_of(ctx: click.Context) -> Project:
    return Project.open(ctx.obj.get("workspace"))


@click.group()
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


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--organisation", default="Example Organisation", help="Organisation name.")
@click.option(
    "--start-month", default=4, type=int, show_default=True, help="Month the fiscal year starts."
)
@click.option("--store-url", default="sqlite:///.mieruka/store.sqlite", show_default=True)
@click.option("--engine", default="duckdb", show_default=True)
@reports_errors
def init(directory: Path, organisation: str, start_month: int, store_url: str, engine: str) -> None:
    """Make a workspace in DIRECTORY."""
    ws = init_workspace(
        directory,
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
            {"dataset": dataset, "hash": snap.hash, "rows": snap.rows, "created": outcome.created}
        )
    elif outcome.created:
        console.print(f"{dataset}: {snap.rows:,} rows loaded, snapshot {snap.hash[:12]}")
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


@cli.command()
@click.option("--fy", type=int, help="Fiscal year (named by the calendar year it starts in).")
@click.option("--as-of", help="Evaluate as of this date (ISO or 和暦).")
@click.option("--note", help="A note kept with the run.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reports_errors
def run(
    ctx: click.Context, fy: int | None, as_of: str | None, note: str | None, as_json: bool
) -> None:
    """Evaluate every indicator, target and rule, and append the run to the ledger."""
    from mieruka.core.runs import run_summary, start_run

    project = project_of(ctx)
    period = parse_period(project, fy, as_of)
    specs = project.specs
    total = len(specs.indicators) + len(specs.rules)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=as_json,
    ) as bar:
        task = bar.add_task(f"FY{period.fiscal_year}", total=total)
        record = start_run(
            project,
            period,
            note=note,
            progress=lambda item: bar.update(task, advance=1, description=item),
        )
    summary = run_summary(project, record)
    if as_json:
        print_json(summary)
        return
    show_run(project, record.id)


def show_run(project: Project, run_id: int) -> None:
    from mieruka.core.runs import run_summary

    record = project.store.run(run_id)
    summary = run_summary(project, record)
    lang = project.ws.settings.language
    specs = {i["id"]: i for i in json.loads(project.store.spec(record.spec_hash))["indicators"]}
    targets = {
        (t["indicator"], json.dumps(t["dims"], sort_keys=True)): t
        for t in project.store.targets(run_id)
    }
    rows = []
    for v in project.store.values(run_id):
        if v["dims"]:
            continue
        t = targets.get((v["indicator"], "{}"))
        label = specs.get(v["indicator"], {}).get("label", {})
        target = (
            f"{t['comparator']} {format_value(t['target'], v['unit'])}"
            if t and t["target"] is not None
            else ""
        )
        rows.append(
            [
                v["indicator"],
                label.get(lang) or label.get("ja") or "",
                format_value(v["value"], v["unit"]),
                target,
                t["status"] if t else "",
            ]
        )
    title = f"run {record.id} · FY{record.fiscal_year} · as of {summary['as_of']} · {summary['run_hash'][:12]}"
    console.print(table(title, ["indicator", "label", "value", "target", "status"], rows))
    if summary["violations"]:
        console.print(f"rule violations: {summary['violations']}")
    for item, why in summary["skipped"].items():
        console.print(f"[yellow]no data[/] {item}: {why}")


def run_id_of(project: Project, text: str) -> int:
    if text == "latest":
        latest = project.store.latest_run()
        if latest is None:
            raise MierukaError("there are no runs yet; start one with `mieruka run --fy YEAR`")
        return latest.id
    if not text.isdigit():
        raise click.BadParameter(f"expected a run number or 'latest', found {text!r}")
    return int(text)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reports_errors
def runs(ctx: click.Context, as_json: bool) -> None:
    """List the runs in the ledger."""
    project = project_of(ctx)
    records = project.store.runs()
    if as_json:
        print_json(
            [
                {
                    "id": r.id,
                    "created_at": r.created_at.isoformat(),
                    "fiscal_year": r.fiscal_year,
                    "as_of": str(r.as_of),
                    "run_hash": r.run_hash,
                    "supersedes": r.supersedes,
                }
                for r in records
            ]
        )
        return
    rows = [
        [
            r.id,
            r.created_at.strftime("%Y-%m-%d %H:%M"),
            f"FY{r.fiscal_year}",
            r.as_of,
            r.run_hash[:12],
            r.supersedes or "",
            r.note or "",
        ]
        for r in records
    ]
    console.print(
        table(
            "runs", ["run", "created (UTC)", "period", "as of", "hash", "supersedes", "note"], rows
        )
    )


@cli.command()
@click.argument("run_ref", metavar="RUN")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reports_errors
def show(ctx: click.Context, run_ref: str, as_json: bool) -> None:
    """Show a run's figures, target statuses and violations."""
    from mieruka.core.export import run_document

    project = project_of(ctx)
    run_id = run_id_of(project, run_ref)
    if as_json:
        print_json(run_document(project, run_id))
    else:
        show_run(project, run_id)


@cli.command()
@click.argument("run_ref", metavar="RUN")
@click.argument("item", metavar="INDICATOR_OR_RULE")
@click.option(
    "--dim", "dims", multiple=True, help="Restrict to a breakdown, e.g. --dim department=Sales."
)
@click.option("--limit", default=50, show_default=True, help="Rows to print (all with --json).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reports_errors
def evidence(
    ctx: click.Context, run_ref: str, item: str, dims: tuple[str, ...], limit: int, as_json: bool
) -> None:
    """Show the rows behind a figure (numerator and denominator keys) or a rule's violations."""
    from mieruka.core.evidence import indicator_evidence

    project = project_of(ctx)
    run_id = run_id_of(project, run_ref)
    record = project.store.run(run_id)
    filters = {}
    for d in dims:
        if "=" not in d:
            raise click.BadParameter(f"expected KEY=VALUE, found {d!r}", param_hint="--dim")
        k, v = d.split("=", 1)
        filters[k] = v
    violations = project.store.violations(run_id, rule=item)
    rules = json.loads(project.store.spec(record.spec_hash)).get("rules", [])
    if any(r["id"] == item for r in rules):
        if as_json:
            print_json(violations)
        else:
            rows = [
                [
                    v["seq"],
                    json.dumps(v["key"], ensure_ascii=False),
                    json.dumps(v["row"], ensure_ascii=False),
                ]
                for v in violations[:limit]
            ]
            console.print(
                table(
                    f"{item}: {len(violations)} violation(s) in run {run_id}",
                    ["#", "key", "row"],
                    rows,
                )
            )
        return
    ev = indicator_evidence(project, record, item, filters)
    if as_json:
        print_json(ev.to_json())
    else:
        unit = ev.stored.get("unit")
        console.print(
            f"{item} {dims_text(filters)} = {format_value(ev.stored['value'], unit)} (run {run_id})"
        )
        if ev.derived_from:
            console.print("derived from: " + ", ".join(ev.derived_from))
        if ev.numerator_keys or ev.stored.get("fp_numerator"):
            console.print(
                f"numerator: {len(ev.numerator_keys):,} rows · denominator: {len(ev.denominator_keys):,} rows"
            )
        elif not ev.derived_from:
            console.print(f"rows: {len(ev.denominator_keys):,}")
        if ev.rows:
            cols = list(ev.rows[0])
            console.print(
                table(
                    f"evidence (first {min(limit, len(ev.rows))} of {len(ev.rows):,})",
                    cols,
                    [[r[c] for c in cols] for r in ev.rows[:limit]],
                )
            )
        if not ev.matches:
            err_console.print("[bold red]the rows found do not match the run's fingerprint[/]")
            sys.exit(1)
        console.print("[green]matches the run's fingerprint[/]")


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


from mieruka.cli.report_cmd import report  # noqa: E402 - registered after the core commands

cli.add_command(report)


def _mount_pack_commands() -> None:
    """Each pack's click group becomes `mieruka <pack> …`, the same way for every pack."""
    from mieruka.core.registry import installed_packs

    for pack in installed_packs():
        if pack.cli is not None:
            cli.add_command(pack.cli, name=pack.name)


_mount_pack_commands()


def main() -> None:
    cli(obj={})
