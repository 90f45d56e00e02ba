"""The SLL pack's dashboard pages: the loan portfolio, and the verifier's checklist and sign-off.

Registered as `Pack.pages` (see `mieruka.core.pages`) and mounted at `/packs/sll`. Each
portfolio line is `portfolio.portfolio_line` — the same as `mieruka sll portfolio` — for the
book with the verifiers' sign-offs applied (`service.signed_book`), judged with the indicator
figures of the ledger's stored runs (`service.ledger_lookup`); each loan's SPTs and margin
path come from `service.loan_json`. `?as_of=YYYY-MM-DD` picks the day (default: today).

`/packs/sll/verification?loan=&fy=&as_of=` is `mieruka sll checklist` for one loan and year,
with every sign-off on record for each KPI. Users with the `signoff` permission (verifier,
admin) see a form per reported KPI that posts to the `signoff` action: the same
`signoff.record_signoff` as `mieruka sll signoff`, with the signed-in user as the verifier.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from mieruka.core.issues import Issue, MierukaError, did_you_mean
from mieruka.core.pages import (
    ActionResult,
    PackPage,
    PackPages,
    PageAction,
    PageContent,
    PageNotFound,
    PageRequest,
    pack_templates,
    render_page,
)
from mieruka.core.schema import Labels
from mieruka.japan.wareki import parse_date
from mieruka.packs.sll import service
from mieruka.packs.sll.checklist import checklist
from mieruka.packs.sll.model import Loan
from mieruka.packs.sll.portfolio import portfolio_line
from mieruka.packs.sll.signoff import VERDICTS, read_signoffs, record_signoff, target_of

TEMPLATES = pack_templates(Path(__file__).parent / "templates" / "pages")
STATUS = {
    "achieved": ("達成", "achieved", "met"),
    "missed": ("未達", "missed", "missed"),
    "not_reported": ("未報告", "not reported", "missed"),
    "pending": ("判定前", "pending", "no_data"),
}


def _rule_findings(p: PageRequest) -> list[dict[str, Any]]:
    """The SLL rules' violations in the newest stored run (none before the first run)."""
    try:
        run = p.run()
    except PageNotFound:
        return []
    return [r for r in run.rules("sll") if r["violations"]]


def portfolio(p: PageRequest) -> PageContent:
    day = p.date_param("as_of") or date.today()
    project = p.project
    lookup, options = service.ledger_lookup(project), service.options_of(project)
    loans = []
    for loan in service.signed_book(project, lookup, options):
        results, path, rows = service.analyse(loan, day, lookup, options)
        line = portfolio_line(loan, results, path, rows, day)
        detail = service.loan_json(loan, results, path, rows)
        loans.append({**line, "spts": detail["spts"], "margin_path": detail["margin_path"]})
    totals = {
        "outstanding": sum(x["outstanding"] for x in loans),
        "impact_this_year": sum(x["impact_this_year"] for x in loans),
        "impact_life": sum(x["impact_life"] for x in loans),
        "missed": sum(len(x["missed"]) for x in loans),
        "not_reported": sum(len(x["not_reported"]) for x in loans),
    }
    findings = _rule_findings(p)
    data = {"as_of": day.isoformat(), "loans": loans, "totals": totals}
    html = render_page(
        TEMPLATES,
        "portfolio.html",
        p,
        day=day,
        loans=loans,
        totals=totals,
        status=STATUS,
        findings=findings,
    )
    return PageContent(p.t("SLLポートフォリオ", "SLL portfolio"), html, data)


ITEMS = {
    "reported": ("報告あり", "reported"),
    "on_time": ("期限内の報告", "reported on time"),
    "readable": ("値を判定できる", "value can be judged"),
    "evidence": ("根拠資料", "evidence"),
    "verified": ("期限内に検証済み", "verified by the deadline"),
    "signed_in_ledger": ("署名が記録済み（現在の内容）", "signed on record (current content)"),
}
VERDICT_TEXT = {"passed": ("適合", "passed"), "failed": ("不適合", "failed")}
VERIFICATION_TEXT = {**VERDICT_TEXT, "pending": ("検証待ち", "pending")}
COMPARATOR = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def _who(p: PageRequest, by: str | None, on: Any, verdict: str | None) -> str:
    """ "山田 2025-06-20 適合": who verified, when and the verdict, in the reader's words."""
    text = VERIFICATION_TEXT.get(verdict or "", (verdict or "", verdict or ""))
    parts = [by or "", p.date(on) if on else "", p.t(*text) if verdict else ""]
    return " ".join(x for x in parts if x)


def _details(p: PageRequest, items: list[dict[str, Any]], obs: Any) -> list[dict[str, Any]]:
    """The checklist's verification and sign-off items written for the reader."""
    out = []
    for i in items:
        if i["item"] == "verified" and obs is not None:
            i = {**i, "detail": _who(p, obs.verified_by, obs.verified_on, obs.verification)}
        elif i["item"] == "signed_in_ledger" and obs is not None and obs.signoff:
            sign = obs.signoff
            stale = (
                ""
                if sign.get("current")
                else p.t(
                    "（署名後に内容が変わったため無効）",
                    " (stale: the content changed after signing)",
                )
            )
            i = {**i, "detail": _who(p, sign["by"], sign["on"], sign["verdict"]) + stale}
        out.append(i)
    return out


def _form_field(name: str, text: str, expected: str) -> MierukaError:
    return MierukaError(
        Issue(f"form field '{name}'", expected=expected, found=text[:40] or "(empty)")
    )


def _loan(loans: list[Loan], loan_id: str | None) -> Loan:
    if not loans:
        raise MierukaError(Issue("no loans loaded", expected="loans, loan_kpis and spts loaded"))
    if loan_id is None:
        return loans[0]
    found = [lo for lo in loans if lo.loan_id == loan_id]
    if not found:
        known = [lo.loan_id for lo in loans]
        raise PageNotFound(f"unknown loan '{loan_id}'{did_you_mean(loan_id, known)}")
    return found[0]


def _year(loan: Loan, text: str | None) -> int:
    """`fy` when given (a year the loan judges), else the latest year with a report."""
    if text is None:
        reported = [fy for (_k, fy), o in loan.observations.items() if o.reported_on]
        judged = [fy for fy in loan.fiscal_years if fy in reported]
        return max(judged) if judged else loan.fiscal_years[0]
    if not text.isdigit() or int(text) not in loan.fiscal_years:
        raise MierukaError(
            Issue(
                f"loan {loan.loan_id} has no SPT for FY {text[:10]}",
                expected=", ".join(str(y) for y in loan.fiscal_years),
                found=text[:10],
            )
        )
    return int(text)


def verification(p: PageRequest) -> PageContent:
    """One loan's verification checklist for a year, with the sign-offs on record."""
    project = p.project
    day = p.date_param("as_of") or date.today()
    lookup, options = service.ledger_lookup(project), service.options_of(project)
    loans = service.signed_book(project, lookup, options)
    title = p.t("SLL検証チェックリスト", "SLL verification checklist")
    if not loans:
        html = render_page(TEMPLATES, "verification.html", p, loans=[], loan=None)
        return PageContent(title, html, {"loans": []})
    loan = _loan(loans, p.param("loan"))
    fy = _year(loan, p.param("fy"))
    results, _path, _rows = service.analyse(loan, day, lookup, options)
    signs = read_signoffs(project.store)
    lines = []
    for line in checklist(loan, results, fy):
        kpi = loan.kpi(line["kpi_id"])
        result = next(r for r in results if r.kpi_id == line["kpi_id"] and r.fiscal_year == fy)
        obs = result.observation
        current = obs.signoff if obs else None
        history = [
            {
                **e,
                "current": bool(
                    current and current.get("current") and e["hash"] == current["hash"]
                ),
            }
            for e in signs.get(target_of(loan.loan_id, line["kpi_id"], fy), [])
        ]
        lines.append(
            {
                **line,
                "items": _details(p, line["items"], obs),
                "label": kpi.label if kpi else line["kpi_id"],
                "source": kpi.source if kpi else "",
                "spt": result.target if result.comparator == result.target
                else f"{COMPARATOR.get(result.comparator, result.comparator)} {result.target}",
                "value": result.value,
                "deadline": result.deadline.isoformat(),
                "reported_on": obs.reported_on.isoformat() if obs and obs.reported_on else None,
                "flags": list(result.flags),
                "signoffs": history,
                "can_sign": bool(obs and obs.reported_on),
            }
        )  # fmt: skip
    data = {"loan_id": loan.loan_id, "fiscal_year": fy, "as_of": day.isoformat(), "kpis": lines}
    html = render_page(
        TEMPLATES,
        "verification.html",
        p,
        loans=loans,
        loan=loan,
        fy=fy,
        day=day,
        today=date.today(),
        lines=lines,
        items=ITEMS,
        status=STATUS,
        verdicts=VERDICT_TEXT,
        may_sign=p.can("signoff"),
    )
    return PageContent(f"{title} {loan.loan_id} {p.fy(fy)}", html, data)


def sign_off(p: PageRequest) -> ActionResult:
    """The `signoff` action: the signed-in user signs one KPI's reported value for a year."""
    form = p.form
    if not p.user:
        raise MierukaError(Issue("a sign-off needs a signed-in verifier", expected="a session"))
    project = p.project
    lookup, options = service.ledger_lookup(project), service.options_of(project)
    loans = service.signed_book(project, lookup, options)
    loan_id = form.get("loan", "")
    if not any(lo.loan_id == loan_id for lo in loans):
        known = [lo.loan_id for lo in loans]
        raise MierukaError(
            Issue(
                f"unknown loan '{loan_id[:40]}'{did_you_mean(loan_id, known)}",
                expected=", ".join(known) or "a loaded loan",
            )
        )
    loan = _loan(loans, loan_id)
    fy = _year(loan, form.get("fy", ""))
    verdict = form.get("verdict") or "passed"
    if verdict not in VERDICTS:
        raise _form_field("verdict", verdict, " or ".join(VERDICTS))
    on_text = (form.get("on") or "").strip()
    try:
        on = parse_date(on_text) if on_text else date.today()
    except ValueError:
        raise _form_field("on", on_text, "a date, e.g. 2025-06-20 or R7.6.20") from None
    entry = record_signoff(
        project.store,
        loan,
        form.get("kpi", ""),
        fy,
        by=p.user,
        on=on,
        verdict=verdict,
        note=(form.get("note") or "").strip() or None,
        lookup=lookup,
        options=options,
        today=date.today(),
    )
    query = {"loan": loan.loan_id, "fy": str(fy)}
    if form.get("as_of"):
        query["as_of"] = form["as_of"]
    return ActionResult(query=query, data=entry)


PAGES = PackPages(
    pages=(
        PackPage("", Labels(ja="ローン・ポートフォリオ", en="Loan portfolio"), portfolio),
        PackPage("verification", Labels(ja="検証チェックリスト", en="Verification"), verification),
    ),
    actions=(PageAction("signoff", "signoff", sign_off, page="verification"),),
)
