"""`mieruka funds …`: check the guideline, value the portfolio, write the quarterly report and
the yearly fund plan, and track committee action items — without recording a run.

`mieruka run` remains the way to record results in the ledger.
Exit status: 0 nothing of severity error, 1 a breach (or a problem with the data), 2 usage.
"""

from __future__ import annotations

import click

from mieruka.core.issues import MierukaError
from mieruka.packs.funds.cli_actions import actions
from mieruka.packs.funds.cli_common import FORMATS, emit, fail, period_of, project_of, to_json
from mieruka.packs.funds.cli_plan import plan
from mieruka.packs.funds.findings import check_rows, snapshots


@click.group(name="funds")
def funds_cli() -> None:
    """Public funds: guideline checks, valuation, reports, fund plan and committee actions."""


@funds_cli.command()
@click.option("--fy", type=int, help="Fiscal year (its last day is the reporting date).")
@click.option("--as-of", "as_of", help="Reporting date (ISO or 和暦).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def check(ctx: click.Context, fy: int | None, as_of: str | None, as_json: bool) -> None:
    """Check every holding and trade against the investment guideline."""
    try:
        project = project_of(ctx)
        rows, skipped = check_rows(project, period_of(project, fy, as_of))
    except MierukaError as exc:
        fail(exc)
        return
    if as_json:
        click.echo(to_json({"violations": rows, "skipped": skipped}))
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
        project = project_of(ctx)
        period = period_of(project, fy, as_of)
        with snapshots(project, period, ("holdings", "funds")) as data:
            holdings, figures = valued(data)
    except MierukaError as exc:
        fail(exc)
        return
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
        click.echo(to_json({"as_of": period.as_of.isoformat(), "holdings": rows}))
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
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Write to this file (json/html print otherwise; xlsx/pdf default to "
    "funds-report-ENTITY-DATE.<format>).",
)
@click.pass_context
def report(ctx: click.Context, entity_id: str, as_of: str, fmt: str, out: str | None) -> None:
    """The quarterly report of one entity (Japanese): value, risk, ladder, findings, actions."""
    from mieruka.packs.funds.report import quarterly
    from mieruka.packs.funds.report_html import quarterly_html
    from mieruka.packs.funds.report_xlsx import quarterly_xlsx

    try:
        project = project_of(ctx)
        period = period_of(project, None, as_of)
        data = quarterly(project, entity_id, period.as_of)
    except MierukaError as exc:
        fail(exc)
        return
    name = f"funds-report-{entity_id}-{period.as_of}"
    emit(data, fmt, out, name, quarterly_html, quarterly_xlsx)
    if not data["is_reporting_date"]:
        click.echo(f"note: {as_of} is not a reporting date of a {data['entity']['kind']}", err=True)


funds_cli.add_command(plan)
funds_cli.add_command(actions)
