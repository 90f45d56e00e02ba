"""`mieruka funds plan`: the yearly fund plan and the events that force its revision."""

from __future__ import annotations

from typing import Any

import click

from mieruka.core.issues import MierukaError
from mieruka.packs.funds.cli_common import FORMATS, emit, fail, parse_day, project_of


@click.command()
@click.option(
    "--fy", type=int, required=True, help="Fiscal year of the plan (e.g. 2025 = 令和7年度)."
)
@click.option("--entity", "entity_id", help="Only this entity (default: every entity).")
@click.option(
    "--as-of",
    "as_of",
    help="Date the revision alerts are judged on (default: the year's last day).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (same as --format json).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="json, html, xlsx or pdf.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Write to this file (xlsx/pdf default to funds-plan-FY.<format>).",
)
@click.pass_context
def plan(
    ctx: click.Context,
    fy: int,
    entity_id: str | None,
    as_of: str | None,
    as_json: bool,
    fmt: str | None,
    out: str | None,
) -> None:
    """The yearly fund plan: investable amount, coupons and redemptions due, direction,
    budgeted yield, five-year outlook, and alerts that force a revision (exit 1 if any)."""
    from mieruka.packs.funds.plan_build import build_plan
    from mieruka.packs.funds.report_html import plan_html
    from mieruka.packs.funds.report_xlsx import plan_xlsx

    try:
        project = project_of(ctx)
        day = parse_day(as_of, "--as-of") if as_of else None
        data = build_plan(project, fy, day, entity_id)
    except MierukaError as exc:
        fail(exc)
        return
    if as_json or fmt:
        emit(data, "json" if as_json else str(fmt), out, f"funds-plan-{fy}", plan_html, plan_xlsx)
    else:
        _print(data)
    if any(p["alerts"] for p in data["plans"]):
        raise SystemExit(1)


def _print(data: dict[str, Any]) -> None:
    for p in data["plans"]:
        y = p["budgeted_yield_pct"]
        click.echo(f"{p['entity']['entity_id']} {p['entity']['name']} — {p['fy_label']}")
        click.echo(f"  investable amount      {p['investable']:>18,}")
        click.echo(f"  coupons + interest     {p['coupons'] + p['interest']:>18,}")
        click.echo(f"  redemptions due        {p['redemptions']:>18,}")
        click.echo(f"  budgeted yield         {'-' if y is None else f'{y:.3f} %':>18}")
        click.echo(f"  direction              {p['direction'] or '(not recorded)'}")
        for o in p["outlook"]:
            click.echo(
                f"  FY{o['fiscal_year']}: net {o['net']:>16,}  outstanding {o['outstanding']:>16,}"
            )
        for a in p["alerts"]:
            click.echo(f"  [revise] {a['label']}: {a['subject']} {a['figures']}")
