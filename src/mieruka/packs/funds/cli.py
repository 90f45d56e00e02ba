"""`mieruka funds …`: check the guideline and value the portfolio without recording a run.

A pack may not import the CLI layer (imports run interfaces → packs → core), so the few
helpers the core CLI has (opening the workspace from `-C`, reading a period) are repeated
here in a small form. `mieruka run` remains the way to record results in the ledger.
Exit status: 0 nothing of severity error, 1 a breach (or a problem with the data), 2 usage.
"""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import click

from mieruka.core.engine import DuckDBEngine
from mieruka.core.issues import MierukaError
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.runs import current_snapshots, snapshot_paths
from mieruka.japan.wareki import parse_date
from mieruka.packs.funds.report import check_rows, quarterly, to_html


def _project(ctx: click.Context) -> Project:
    return Project.open((ctx.obj or {}).get("workspace"))


def _period(project: Project, fy: int | None, as_of: str | None) -> Period:
    month = project.ws.settings.fiscal_year_start_month
    if as_of:
        try:
            return Period.as_of_date(parse_date(as_of), month)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--as-of") from None
    return Period.for_fiscal_year(fy if fy is not None else date.today().year - 1, month)


def _fail(exc: MierukaError) -> None:
    click.echo(exc.render(), err=True)
    raise SystemExit(1)


@click.group(name="funds")
def funds_cli() -> None:
    """Public funds: guideline checks and valuation of deposits and bonds."""


@funds_cli.command()
@click.option("--fy", type=int, help="Fiscal year (its last day is the reporting date).")
@click.option("--as-of", "as_of", help="Reporting date (ISO or 和暦).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def check(ctx: click.Context, fy: int | None, as_of: str | None, as_json: bool) -> None:
    """Check every holding and trade against the investment guideline."""
    try:
        project = _project(ctx)
        rows, skipped = check_rows(project, _period(project, fy, as_of))
    except MierukaError as exc:
        _fail(exc)
        return
    if as_json:
        click.echo(
            json.dumps({"violations": rows, "skipped": skipped}, ensure_ascii=False, indent=1)
        )
    else:
        for r in rows:
            key = ", ".join(f"{k}={v}" for k, v in r["key"].items())
            click.echo(f"[{r['severity']}] {r['label']}\n  {key}\n  → {r['action']}")
        for rule, why in skipped.items():
            click.echo(f"[skipped] {rule}: {why}")
        click.echo(f"{len(rows)} finding(s)")
    if any(r["severity"] == "error" for r in rows):
        raise SystemExit(1)


@funds_cli.command()
@click.option("--fy", type=int, help="Fiscal year (its last day is the valuation date).")
@click.option("--as-of", "as_of", help="Valuation date (ISO or 和暦).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def value(ctx: click.Context, fy: int | None, as_of: str | None, as_json: bool) -> None:
    """Present value, unrealised gain or loss and rate risk of each holding."""
    from mieruka.packs.funds.valuation import SHOCKS_BP, valued

    try:
        project = _project(ctx)
        period = _period(project, fy, as_of)
        engine = DuckDBEngine(snapshot_paths(project, current_snapshots(project)))
    except MierukaError as exc:
        _fail(exc)
        return
    try:
        if not {"holdings", "funds"} <= set(engine.tables):
            _fail(MierukaError("load the holdings and funds files first"))
        fake = SimpleNamespace(engine=engine, period=period, tables=engine.tables, sql=engine.query)
        holdings, figures = valued(fake)
    finally:
        engine.close()
    metrics = ["pv", "clean", "unrealised", "duration", "bpv", *(f"shock_{b}" for b in SHOCKS_BP)]
    rows = [
        {
            "holding_id": hid,
            "entity_id": holdings.column("entity_id")[i].as_py(),
            "marketable": bool(figures["marketable"][i]),
            **{m: round(float(figures[m][i]), 6) for m in metrics},
        }
        for i, hid in enumerate(holdings.column("holding_id").to_pylist())
    ]
    if as_json:
        click.echo(
            json.dumps(
                {"as_of": period.as_of.isoformat(), "holdings": rows}, ensure_ascii=False, indent=1
            )
        )
        return
    click.echo(f"as of {period.as_of}: {len(rows)} holding(s)")
    for r in rows:
        click.echo(
            f"{r['holding_id']:<16} {r['entity_id']:<8} PV {r['pv']:>18,.0f}  "
            f"gain {r['unrealised']:>14,.0f}  dur {r['duration']:6.2f}  BPV {r['bpv']:>12,.0f}"
        )
    total = sum(r["pv"] for r in rows)
    click.echo(f"total present value {total:,.0f}")


@funds_cli.command()
@click.argument("entity_id")
@click.option("--as-of", "as_of", required=True, help="Reporting date, e.g. 2025-04-01 or R7.4.1.")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "html"]), default="json", show_default=True
)
@click.option(
    "--out", type=click.Path(dir_okay=False), help="Write to this file instead of printing."
)
@click.pass_context
def report(ctx: click.Context, entity_id: str, as_of: str, fmt: str, out: str | None) -> None:
    """The quarterly report of one entity (Japanese)."""
    try:
        project = _project(ctx)
        period = _period(project, None, as_of)
        data = quarterly(project, entity_id, period.as_of)
    except MierukaError as exc:
        _fail(exc)
        return
    text = (
        to_html(data)
        if fmt == "html"
        else json.dumps(data, ensure_ascii=False, indent=1, default=str)
    )
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
        click.echo(f"report: {out}")
    else:
        click.echo(text)
    if not data["is_reporting_date"]:
        click.echo(f"note: {as_of} is not a reporting date of a {data['entity']['kind']}", err=True)
