"""`mieruka sll report|sllp|checklist|signoff`: the borrower's and the bank's documents.

Registered on the `sll` group of `cli.py` when the pack is imported (see `__init__.py`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from mieruka.core.issues import Issue, MierukaError
from mieruka.core.project import Project
from mieruka.packs.sll import service
from mieruka.packs.sll.benchmarks import BUNDLED, load_benchmarks
from mieruka.packs.sll.checklist import checklist
from mieruka.packs.sll.cli import (
    AS_OF,
    JSON,
    _day,
    _errors,
    _loans,
    _print_json,
    _project,
    _table,
    out,
    sll,
)
from mieruka.packs.sll.model import Loan
from mieruka.packs.sll.render import write_document
from mieruka.packs.sll.report import annual_report
from mieruka.packs.sll.signoff import VERDICTS, record_signoff
from mieruka.packs.sll.sllp import sllp_sheet
from mieruka.packs.sll.words import LANGS

LANG = click.option("--lang", type=click.Choice(LANGS), default="ja", show_default=True,
                    help="Language of the document.")  # fmt: skip
OUT = click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
                   help="File to write (default: reports/ in the workspace; JSON: stdout).")  # fmt: skip


def _judged_year(loan: Loan, fy: int) -> int:
    if fy not in loan.fiscal_years:
        raise MierukaError(
            Issue(
                f"loan {loan.loan_id} has no SPT for FY{fy}",
                expected=", ".join(f"{y}" for y in loan.fiscal_years) or "a year with SPTs",
                found=str(fy),
            )
        )
    return fy


def _target(project: Project, out_path: Path | None, name: str) -> Path:
    if out_path is not None:
        return out_path
    folder = project.ws.root / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def _emit(project: Project, model: dict[str, Any], fmt: str, out_path: Path | None,
          name: str, kind: str) -> None:  # fmt: skip
    if fmt == "json" and out_path is None:
        _print_json(model)
        return
    path = _target(project, out_path, f"{name}.{fmt}")
    write_document(model, fmt, path, kind=kind)
    out.print(f"wrote {path}")


@sll.command()
@click.argument("loan_id")
@click.option("--fy", "fy", type=int, required=True, help="Fiscal year reported on.")
@click.option("--format", "fmt", type=click.Choice(["html", "xlsx", "pdf", "json"]),
              default="html", show_default=True, help="Document format.")  # fmt: skip
@LANG
@OUT
@AS_OF
@click.pass_context
@_errors
def report(ctx: click.Context, loan_id: str, fy: int, fmt: str, lang: str,
           out_path: Path | None, as_of: str | None) -> None:  # fmt: skip
    """The borrower's annual report: KPIs against SPTs, method, drivers, verification, margin."""
    project, day = _project(ctx), _day(as_of)
    (loan,) = _loans(project, loan_id)
    _judged_year(loan, fy)
    lookup, options = service.ledger_lookup(project), service.options_of(project)
    results, path, rows = service.analyse(loan, day, lookup, options)
    model = annual_report(
        loan, fy, day, results, path, rows, lang=lang,
        method_of=lambda ind: service.indicator_method(project, ind),
        breakdown_of=lambda run, ind: service.indicator_breakdown(project, run, ind),
    )  # fmt: skip
    _emit(project, model, fmt, out_path, f"sll-{loan.loan_id}-FY{fy}-{lang}", "report")


@sll.command()
@click.argument("loan_id")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "html", "json"]),
              default="xlsx", show_default=True, help="Document format.")  # fmt: skip
@click.option("--benchmarks", "bench_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your own benchmarks (YAML, the format of the pack's benchmarks.yaml), added to the pack's.")  # fmt: skip
@LANG
@OUT
@AS_OF
@click.pass_context
@_errors
def sllp(ctx: click.Context, loan_id: str, fmt: str, bench_file: Path | None, lang: str,
         out_path: Path | None, as_of: str | None) -> None:  # fmt: skip
    """The SLLP five-component assessment sheet, pre-filled for the bank's reviewer."""
    project, day = _project(ctx), _day(as_of)
    (loan,) = _loans(project, loan_id)
    lookup, options = service.ledger_lookup(project), service.options_of(project)
    results, _path, _rows = service.analyse(loan, day, lookup, options)
    marks = load_benchmarks(BUNDLED) + (load_benchmarks(bench_file) if bench_file else [])
    model = sllp_sheet(loan, day, results, marks, lang=lang,
                       method_of=lambda ind: service.indicator_method(project, ind))  # fmt: skip
    _emit(project, model, fmt, out_path, f"sllp-{loan.loan_id}-{lang}", "sllp")


@sll.command(name="checklist")
@click.argument("loan_id")
@click.option("--fy", "fy", type=int, required=True, help="Fiscal year to verify.")
@AS_OF
@JSON
@click.pass_context
@_errors
def checklist_cmd(
    ctx: click.Context, loan_id: str, fy: int, as_of: str | None, as_json: bool
) -> None:
    """The verifier's checklist for one year: report, deadline, value, evidence, sign-off."""
    project, day = _project(ctx), _day(as_of)
    (loan,) = _loans(project, loan_id)
    _judged_year(loan, fy)
    lookup, options = service.ledger_lookup(project), service.options_of(project)
    results, _p, _r = service.analyse(loan, day, lookup, options)
    lines = checklist(loan, results, fy)
    if as_json:
        _print_json({"loan_id": loan.loan_id, "fiscal_year": fy, "kpis": lines})
        return
    mark = {True: "ok", False: "NO", None: "-"}
    out.print(_table(
        f"{loan.loan_id} FY{fy} verification checklist",
        ["KPI", "status", *[i["item"] for i in lines[0]["items"]]] if lines else ["KPI"],
        [[x["kpi_id"], x["status"], *[mark[i["ok"]] for i in x["items"]]] for x in lines],
    ))  # fmt: skip


@sll.command()
@click.argument("loan_id")
@click.argument("kpi_id")
@click.argument("fy", type=int)
@click.option("--by", "by", required=True, help="The verifier's name (recorded as the actor).")
@click.option("--verdict", type=click.Choice(VERDICTS), default="passed", show_default=True)
@click.option("--on", "on", help="Verification date (default: today); ISO or 和暦.")
@click.option("--note", help="A note kept with the sign-off.")
@JSON
@click.pass_context
@_errors
def signoff(ctx: click.Context, loan_id: str, kpi_id: str, fy: int, by: str, verdict: str,
            on: str | None, note: str | None, as_json: bool) -> None:  # fmt: skip
    """A verifier signs a reported KPI value; recorded in the store's audit log with its hash."""
    project = _project(ctx)
    (loan,) = _loans(project, loan_id)
    _judged_year(loan, fy)
    day = _day(on) if on else date.today()
    lookup, options = service.ledger_lookup(project), service.options_of(project)
    entry = record_signoff(project.store, loan, kpi_id, fy, by=by, on=day, verdict=verdict,
                           note=note, lookup=lookup, options=options, today=date.today())  # fmt: skip
    if as_json:
        _print_json(entry)
        return
    out.print(f"signed {entry['target']} {verdict} by {entry['by']} on {entry['on']} "
              f"(content {entry['hash'][:16]}…)")  # fmt: skip
