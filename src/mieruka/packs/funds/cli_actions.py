"""`mieruka funds actions list|record`: committee action items, tracked to closure."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from mieruka.core.issues import MierukaError
from mieruka.packs.funds.actions import DECISIONS, KINDS, STATUS
from mieruka.packs.funds.cli_common import fail, parse_day, project_of, to_json


@click.group()
def actions() -> None:
    """Committee action items (downgrades, legacy holdings) and their progress to closure."""


@actions.command(name="list")
@click.option("--as-of", "as_of", help="Date looked at (ISO or 和暦; default today).")
@click.option("--entity", "entity_id", help="Only this entity's items.")
@click.option("--open", "only_open", is_flag=True, help="Only items not yet closed.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_items(
    ctx: click.Context, as_of: str | None, entity_id: str | None, only_open: bool, as_json: bool
) -> None:
    """Every item on the date with its status; exit 1 when one is open or has a problem."""
    from mieruka.packs.funds.actions_data import items_on

    day = parse_day(as_of, "--as-of") if as_of else date.today()
    try:
        items = items_on(project_of(ctx), day)
    except MierukaError as exc:
        fail(exc)
        return
    shown = [
        i
        for i in items
        if (entity_id is None or i.entity_id == entity_id)
        and not (only_open and i.status == "closed")
    ]
    if as_json:
        click.echo(to_json({"as_of": day.isoformat(), "items": [i.to_json() for i in shown]}))
    else:
        for i in shown:
            decided = f" {i.decision} on {i.decided_on}" if i.decision else ""
            closed = f", closed {i.closed_on}" if i.closed_on else ""
            click.echo(
                f"{i.holding_id:<14} {i.entity_id or '':<8} {i.kind:<17} {i.status:<9}"
                f" opened {i.opened_on or '-'}{decided}{closed}"
            )
            for p in i.problems:
                click.echo(f"    ! {p}")
        counts = {s: sum(i.status == s for i in shown) for s in STATUS}
        click.echo(", ".join(f"{n} {s}" for s, n in counts.items()))
    if any(i.status != "closed" or i.problems for i in shown):
        raise SystemExit(1)


@actions.command()
@click.argument("holding_id")
@click.option(
    "--kind", type=click.Choice(list(KINDS)), required=True, help="Which item of the holding."
)
@click.option("--referred-on", help="Date referred to the committee.")
@click.option("--decision", type=click.Choice(list(DECISIONS)), help="The committee's decision.")
@click.option("--decided-on", help="Date of the decision.")
@click.option("--closed-on", help="Date the decided action was carried out (closes the item).")
@click.option("--note", help="Free text (the minutes' reference, the buyer …).")
@click.option(
    "--file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The committee_actions CSV to update (default data/funds/committee_actions.csv).",
)
@click.pass_context
def record(
    ctx: click.Context,
    holding_id: str,
    kind: str,
    referred_on: str | None,
    decision: str | None,
    decided_on: str | None,
    closed_on: str | None,
    note: str | None,
    file: Path | None,
) -> None:
    """Record a step of an item in the committee_actions file and load it as a new snapshot."""
    from mieruka.packs.funds.actions_data import record as write_record

    changes: dict[str, Any] = {}
    for key, text in (
        ("referred_on", referred_on),
        ("decided_on", decided_on),
        ("closed_on", closed_on),
    ):
        if text:
            changes[key] = parse_day(text, "--" + key.replace("_", "-"))
    if decision:
        changes["decision"] = decision
    if note is not None:
        changes["note"] = note
    if not changes:
        raise click.UsageError(
            "give at least one of --referred-on, --decision/--decided-on, --closed-on, --note"
        )
    try:
        row, path = write_record(project_of(ctx), holding_id, kind, changes, file)
    except MierukaError as exc:
        fail(exc)
        return
    click.echo(f"recorded {holding_id} {kind} in {path}")
    click.echo(to_json(row))
