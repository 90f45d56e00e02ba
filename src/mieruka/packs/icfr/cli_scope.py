"""`mieruka icfr scope` and `mieruka icfr checklist`: the assessment's scope and the blank
entity-level checklist (mounted on the `icfr` group by `cli.py`).

Command-line overrides of the scope are appended to the workspace's audit log
(`icfr.scope_override`) with their reasons, as the 2023 revision asks every departure from
the defaults to be explained.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import click

from mieruka.core.project import Project


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    out = {}
    for value in values:
        target, sep, reason = value.partition("=")
        if not sep or not target.strip() or not reason.strip():
            raise click.UsageError(f"{option} needs ID=REASON, found {value!r}")
        out[target.strip()] = reason.strip()
    return out


@click.command("scope")
@click.option("--fy", type=int, required=True)
@click.option("--indicator", type=click.Choice(["revenue", "total_assets", "pretax_income"]),
              default=None, help="Default: [packs.icfr] scope_indicator, else revenue.")  # fmt: skip
@click.option("--threshold", default=None, help="Default: [packs.icfr] scope_threshold, else 2/3.")
@click.option("--add", "adds", multiple=True, metavar="LOCATION=REASON",
              help="Add a location for a qualitative reason (recorded in the audit log).")  # fmt: skip
@click.option("--add-account", "add_accounts", multiple=True, metavar="CODE=REASON",
              help="Add a key account for risk (recorded).")  # fmt: skip
@click.option("--exclude-account", "exclude_accounts", multiple=True, metavar="CODE=REASON",
              help="Drop a default key account (recorded).")  # fmt: skip
@click.option("--add-process", "add_processes", multiple=True, metavar="PROCESS=REASON",
              help="Add a process outside the derived scope (recorded).")  # fmt: skip
@click.option("--exclude-process", "exclude_processes", multiple=True, metavar="PROCESS=REASON",
              help="Drop a derived process (recorded).")  # fmt: skip
@click.option("--workspace", type=click.Path(path_type=Path), default=None)
def scope_command(fy: int, indicator: str | None, threshold: str | None, adds: tuple[str, ...],
                  add_accounts: tuple[str, ...], exclude_accounts: tuple[str, ...],
                  add_processes: tuple[str, ...], exclude_processes: tuple[str, ...],
                  workspace: Path | None) -> None:  # fmt: skip
    """Significant locations, key accounts, in-scope processes and the scope statement."""
    from mieruka.packs.icfr.assessment import load_assessment

    cli = {"scope_indicator": indicator, "scope_threshold": threshold,
           "scope_additions": _pairs(adds, "--add"),
           "key_account_additions": _pairs(add_accounts, "--add-account"),
           "key_account_exclusions": _pairs(exclude_accounts, "--exclude-account"),
           "process_additions": _pairs(add_processes, "--add-process"),
           "process_exclusions": _pairs(exclude_processes, "--exclude-process")}  # fmt: skip
    project = Project.open(workspace)
    try:
        try:
            a = load_assessment(project, fy, cli=cli)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
        given = [o for o in a.scope.overrides if o.source == "command line"]
        if given:
            project.store.audit("icfr", "icfr.scope_override", f"FY{fy}", detail=json.dumps(
                [{"kind": o.kind, "target": o.target, "reason": o.reason} for o in given],
                ensure_ascii=False))  # fmt: skip
    finally:
        project.close()
    scope = a.scope.locations
    for s in scope.selected + scope.excluded:
        mark = "○" if s in scope.selected else "－"
        why = "" if s.reason == "threshold" else f"  追加理由: {s.reason}"
        click.echo(f"{mark} {s.location_id:<8} {s.value:>18,} {float(s.share):>7.1%} "
                   f"累計 {float(s.cumulative):>6.1%}{why}")  # fmt: skip
    click.echo("重要な勘定科目: " + "、".join(f"{k.account_code} {k.name}（{k.reason}）"
                                              for k in a.scope.key_accounts))  # fmt: skip
    click.echo("評価対象の業務プロセス: " + "、".join(f"{p.process_id} {p.name}"
                                                     for p in a.scope.processes))  # fmt: skip
    for o in a.scope.overrides:
        click.echo(f"変更: {o.kind} {o.target} — {o.reason}（{o.source}）")
    click.echo(a.scope.statement())


@click.command("checklist")
@click.option("--fy", type=int, required=True)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="CSV or XLSX file.")
def checklist_command(fy: int, out: Path) -> None:
    """Write the blank 42-item entity-level checklist to fill in and load as entity_controls."""
    from mieruka.packs.icfr.entity_controls import template_rows

    rows = template_rows(fy)
    if out.suffix.lower() == ".xlsx":
        import xlsxwriter

        book = xlsxwriter.Workbook(str(out))
        ws = book.add_worksheet("entity_controls")
        ws.write_row(0, 0, list(rows[0]))
        for i, row in enumerate(rows, start=1):
            ws.write_row(i, 0, list(row.values()))
        ws.set_column(3, 3, 70)
        book.close()
    else:
        with out.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    click.echo(f"{len(rows)} items -> {out}  (fill in conclusion and evidence, then "
               f"`mieruka load entity_controls {out.name}`)")  # fmt: skip
