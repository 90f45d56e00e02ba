"""`mieruka sll status|schedule|portfolio`: the SLL answers on a terminal or as JSON.

The document commands (report, sllp, checklist, signoff) are in `cli_documents.py`.

Mounted by the core CLI under the pack's name; it reads the workspace from the parent
group's `-C` option (`ctx.obj["workspace"]`). Exit status follows the core's contract:
0 done, 1 a problem to act on (a cross-file rule error, an unknown loan), 2 usage.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from mieruka.core.issues import Issue, MierukaError
from mieruka.core.project import Project
from mieruka.japan.wareki import parse_date
from mieruka.japan.yen import format_yen
from mieruka.packs.sll import service
from mieruka.packs.sll.model import Loan
from mieruka.packs.sll.portfolio import portfolio_line

F = TypeVar("F", bound=Callable[..., Any])
out = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 160)
AS_OF = click.option("--as-of", "as_of", help="Reference day (default: today); ISO or 和暦.")
JSON = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


def _errors(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MierukaError as exc:
            err.print("[bold red]error:[/] " + exc.render(), highlight=False)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _project(ctx: click.Context) -> Project:
    workspace = (ctx.obj or {}).get("workspace") if isinstance(ctx.obj, dict) else None
    return Project.open(Path(workspace) if workspace else None)


def _day(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return parse_date(text)
    except ValueError as exc:
        raise MierukaError(
            Issue("--as-of is not a date", expected="2025-03-31 or R7.3.31", found=text)
        ) from exc


def _loans(project: Project, loan_id: str | None) -> list[Loan]:
    """The loans (one when `loan_id` is given), with the ledger's sign-offs applied."""
    loans = service.signed_book(
        project, service.ledger_lookup(project), service.options_of(project)
    )
    if loan_id is None:
        return loans
    chosen = [lo for lo in loans if lo.loan_id == loan_id]
    if not chosen:
        from mieruka.core.issues import did_you_mean

        known = [lo.loan_id for lo in loans]
        raise MierukaError(
            Issue(
                f"unknown loan '{loan_id}'{did_you_mean(loan_id, known)}",
                expected=", ".join(known) or "a loaded loan",
            )
        )
    return chosen


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _yen(amount: int) -> str:
    return format_yen(amount) + "円"


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*["" if c is None else str(c) for c in row])
    return table


def _verification_text(spt: dict[str, Any]) -> str:
    """verified / unverified, and who signed: `verified (signed: 田中 2025-06-10)`."""
    sign = spt.get("signoff")
    word = "verified" if spt["verified"] else "unverified"
    if sign and sign.get("current"):
        return f"{word} (signed: {sign['by']} {sign['on']})"
    if sign:
        return f"{word} (sign-off stale)"
    return f"{word} ({spt['verified_by']})" if spt["verified"] and spt["verified_by"] else word


@click.group(name="sll")
def sll() -> None:
    """Sustainability-linked loans: SPT status, margin ratchet, interest, portfolio."""


@sll.command()
@click.argument("loan_id", required=False)
@AS_OF
@JSON
@click.pass_context
@_errors
def status(ctx: click.Context, loan_id: str | None, as_of: str | None, as_json: bool) -> None:
    """SPT status by fiscal year and KPI, the margin path and data problems."""
    project, day = _project(ctx), _day(as_of)
    lookup, options = service.ledger_lookup(project), service.options_of(project)
    problems = service.integrity_issues(project, day.year)
    report = []
    for loan in _loans(project, loan_id):
        results, path, rows = service.analyse(loan, day, lookup, options)
        report.append(service.loan_json(loan, results, path, rows))
    errors = [p for p in problems if p["severity"] == "error"]
    if as_json:
        _print_json({"as_of": day.isoformat(), "loans": report, "problems": problems})
    else:
        for lo in report:
            out.print(
                f"[bold]{lo['loan_id']}[/] {lo['borrower']} ← {lo['lender']}  {_yen(lo['principal'])}"
            )
            out.print(
                _table(
                    "SPTs",
                    ["FY", "KPI", "target", "value", "status", "verification", "flags"],
                    [
                        [
                            s["fiscal_year"],
                            s["kpi_id"],
                            f"{s['comparator']} {s['target']}",
                            s["value"],
                            s["status"],
                            _verification_text(s),
                            " ".join(s["flags"]),
                        ]
                        for s in lo["spts"]
                    ],
                )
            )
            out.print(
                _table(
                    "margin path",
                    ["FY", "adjustment (bp)", "from", "to"],
                    [
                        [
                            p["fiscal_year"],
                            p["adjustment_bp"] or "undecided",
                            p["effective_from"],
                            p["effective_to"],
                        ]
                        for p in lo["margin_path"]
                    ],
                )
            )
        for p in problems:
            out.print(f"{p['severity']}: {p['rule']} {p['key']}")
    if errors:
        sys.exit(1)


def _assumptions(values: tuple[str, ...]) -> dict[tuple[str, int], str]:
    found: dict[tuple[str, int], str] = {}
    for text in values:
        head, sep, value = text.partition("=")
        kpi, colon, fy = head.partition(":")
        if not (sep and colon and fy.strip().isdigit() and value.strip()):
            raise click.BadParameter(
                f"{text!r}: expected KPI:FY=VALUE, e.g. paid_leave:2025=72", param_hint="--assume"
            )
        found[(kpi.strip(), int(fy))] = value.strip()
    return found


@sll.command()
@click.argument("loan_id")
@AS_OF
@click.option(
    "--assume", multiple=True, help="What-if: a projected value, KPI:FY=VALUE (repeatable)."
)
@JSON
@click.pass_context
@_errors
def schedule(
    ctx: click.Context, loan_id: str, as_of: str | None, assume: tuple[str, ...], as_json: bool
) -> None:
    """Interest schedule over the loan's life and the cost or saving of the SLL feature."""
    projections = _assumptions(assume)
    project, day = _project(ctx), _day(as_of)
    (loan,) = _loans(project, loan_id)
    unknown = sorted({k for k, _ in projections if loan.kpi(k) is None})
    if unknown:
        raise MierukaError(
            Issue(
                f"--assume: loan {loan_id} has no KPI {', '.join(unknown)}",
                expected=", ".join(k.kpi_id for k in loan.kpis),
            )
        )
    results, path, rows = service.analyse(
        loan, day, service.ledger_lookup(project), service.options_of(project), projections
    )
    data = service.loan_json(loan, results, path, rows)
    if as_json:
        _print_json(data)
        return
    out.print(
        _table(
            f"{loan.loan_id} interest (ACT/365F)",
            ["from", "to", "days", "outstanding", "rate %", "interest", "vs base", "repaid"],
            [
                [
                    r.start,
                    r.end,
                    r.days,
                    _yen(r.outstanding),
                    r.rate_pct,
                    _yen(r.interest),
                    _yen(r.difference),
                    _yen(r.repayment),
                ]
                for r in rows
            ],
        )
    )
    t = data["totals"]
    out.print(
        f"interest {_yen(t['interest'])}, at the base rate {_yen(t['base_interest'])}, SLL effect {_yen(t['difference'])}"
    )


@sll.command()
@AS_OF
@JSON
@click.pass_context
@_errors
def portfolio(ctx: click.Context, as_of: str | None, as_json: bool) -> None:
    """Every loan: outstanding, next judgment date, SPTs missed or unreported, margin impact."""
    project, day = _project(ctx), _day(as_of)
    lookup, options = service.ledger_lookup(project), service.options_of(project)
    lines = []
    for loan in service.signed_book(project, lookup, options):
        results, path, rows = service.analyse(loan, day, lookup, options)
        lines.append(portfolio_line(loan, results, path, rows, day))
    if as_json:
        _print_json({"as_of": day.isoformat(), "loans": lines})
        return
    out.print(
        _table(
            f"SLL portfolio as of {day}",
            [
                "loan",
                "borrower",
                "outstanding",
                "next judgment",
                "margin bp",
                "missed",
                "not reported",
                "this FY",
                "life",
            ],
            [
                [
                    x["loan_id"],
                    x["borrower"],
                    _yen(x["outstanding"]),
                    x["next_judgment"],
                    x["margin_bp_now"],
                    len(x["missed"]),
                    len(x["not_reported"]),
                    _yen(x["impact_this_year"]),
                    _yen(x["impact_life"]),
                ]
                for x in lines
            ],
        )
    )
