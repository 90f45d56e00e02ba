"""Run commands: run, runs, show, evidence."""

from __future__ import annotations

import json
import sys

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mieruka.cli.app import cli, parse_period, project_of, reports_errors, run_id_of
from mieruka.cli.render import console, dims_text, err_console, format_value, print_json, table
from mieruka.core.project import Project


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
            from mieruka.core.aggregate import FINGERPRINT

            made = record.params_dict().get("fingerprint")
            if made and made != FINGERPRINT:
                err_console.print(
                    f"the run's fingerprints were made as '{made}', these as '{FINGERPRINT}':"
                    " a DuckDB upgrade may have changed its hash function"
                )
            sys.exit(1)
        console.print("[green]matches the run's fingerprint[/]")
