"""The quarterly report of one entity: holdings, present value, risk, ladder, findings.

An affiliate reports as of 1 April, 1 July, 1 October and 1 January; the prefecture as of
1 April and 1 October (guideline ch.2 §3-5, ch.3 §3-3). The report is a plain dict (JSON is
its first format) and a self-contained Japanese HTML page; nothing is recorded in the ledger
— `mieruka run --as-of` does that — so a draft can be produced as often as needed.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date
from types import SimpleNamespace
from typing import Any

from mieruka.core.engine import DuckDBEngine
from mieruka.core.issues import Issue, MierukaError
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.runs import compute, current_snapshots, snapshot_paths
from mieruka.packs.funds.valuation import SHOCKS_BP, valued

REPORT_DATES = {"affiliate": ((4, 1), (7, 1), (10, 1), (1, 1)), "prefecture": ((4, 1), (10, 1))}
LADDER = ((1, "1年以内"), (3, "1〜3年"), (5, "3〜5年"), (10, "5〜10年"), (None, "10年超"))


def check_rows(project: Project, period: Period) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The funds rules' violations for the period, each with its label and action."""
    specs = project.specs
    specs = replace(
        specs,
        indicators={k: v for k, v in specs.indicators.items() if v.pack == "funds"},
        order=tuple(i for i in specs.order if specs.indicators[i].pack == "funds"),
        targets=(),
        rules={k: v for k, v in specs.rules.items() if v.pack == "funds"},
    )
    result = compute(project, specs, current_snapshots(project), period)
    lang = project.ws.settings.language
    out = []
    for v in result.violations:
        rule = specs.rules[v["rule"]]
        out.append(
            {
                "rule": v["rule"],
                "severity": v["severity"],
                "label": rule.label.get(lang),
                "action": rule.action.get(lang) if rule.action else "",
                "key": v["key"],
                "figures": v["row"],
            }
        )
    skipped = {k: why for k, why in result.skipped.items() if k.startswith("funds.")}
    return out, skipped


def quarterly(project: Project, entity_id: str, as_of: date) -> dict[str, Any]:
    period = Period.as_of_date(as_of, project.ws.settings.fiscal_year_start_month)
    engine = DuckDBEngine(snapshot_paths(project, current_snapshots(project)))
    try:
        if not {"holdings", "funds", "entities"} <= set(engine.tables):
            raise MierukaError(Issue("load the entities, funds and holdings files first"))
        found = engine.rows(
            f"SELECT name, kind FROM {engine.tables['entities']} WHERE entity_id = '"
            + entity_id.replace("'", "''")
            + "'"
        )
        if not found:
            raise MierukaError(Issue("unknown entity", expected="an entity_id", found=entity_id))
        name, kind = found[0]
        ctx = SimpleNamespace(engine=engine, period=period, tables=engine.tables, sql=engine.query)
        table, fig = valued(ctx)
    finally:
        engine.close()
    rows = table.to_pylist()
    mine = [i for i, r in enumerate(rows) if r["entity_id"] == entity_id]
    holdings = [
        {
            **{
                k: rows[i][k] for k in ("holding_id", "fund_id", "instrument_type", "maturity_date")
            },
            "book": rows[i]["book"],
            **{k: round(float(fig[k][i]), 2) for k in ("pv", "unrealised", "duration", "bpv")},
        }
        for i in mine
    ]
    totals = {k: round(sum(float(fig[k][i]) for i in mine)) for k in ("pv", "unrealised", "bpv")}
    totals.update(
        {f"shock_{bp}": round(sum(float(fig[f"shock_{bp}"][i]) for i in mine)) for bp in SHOCKS_BP}
    )
    totals["book"] = round(sum(rows[i]["book"] for i in mine))
    ids = {h["holding_id"] for h in holdings}
    findings, skipped = check_rows(project, period)
    findings = [
        f
        for f in findings
        if f["figures"].get("entity_id") == entity_id or f["figures"].get("holding_id") in ids
    ]
    return {
        "entity": {"entity_id": entity_id, "name": name, "kind": kind},
        "as_of": as_of.isoformat(),
        "is_reporting_date": (as_of.month, as_of.day) in REPORT_DATES.get(kind, ()),
        "totals": totals,
        "ladder": _ladder(holdings, as_of),
        "holdings": holdings,
        "findings": findings,
        "skipped": skipped,
    }


def _ladder(holdings: list[dict[str, Any]], as_of: date) -> list[dict[str, Any]]:
    """Book value by remaining term; holdings without a maturity count in the first step."""
    out = [{"label": label, "book": 0.0} for _, label in LADDER]
    for h in holdings:
        years = (h["maturity_date"] - as_of).days / 365 if h["maturity_date"] else 0
        step = next(i for i, (limit, _) in enumerate(LADDER) if limit is None or years <= limit)
        out[step]["book"] += h["book"]
    return out


def to_html(report: dict[str, Any]) -> str:
    e, t = report["entity"], report["totals"]
    esc = html.escape
    money = "{:,.0f}".format
    rows = "".join(
        f"<tr><td>{esc(h['holding_id'])}</td><td>{esc(h['fund_id'])}</td><td>({h['instrument_type']})</td>"
        f"<td>{h['maturity_date'] or ''}</td><td class=n>{money(h['book'])}</td><td class=n>{money(h['pv'])}</td>"
        f"<td class=n>{money(h['unrealised'])}</td><td class=n>{h['duration']:.2f}</td></tr>"
        for h in report["holdings"]
    )
    ladder = "".join(
        f"<tr><td>{s['label']}</td><td class=n>{money(s['book'])}</td></tr>"
        for s in report["ladder"]
    )
    findings = (
        "".join(
            f"<li><b>[{esc(f['severity'])}]</b> {esc(f['label'])} — "
            f"{esc(', '.join(f'{k}={v}' for k, v in f['key'].items()))}<br>対応: {esc(f['action'])}</li>"
            for f in report["findings"]
        )
        or "<li>指摘事項なし</li>"
    )
    shocks = "".join(
        f"<tr><th>金利{bp}bp上昇時</th><td class=n>{money(t[f'shock_{bp}'])}</td></tr>"
        for bp in SHOCKS_BP
    )
    return f"""<!doctype html><html lang="ja"><meta charset="utf-8">
<title>資金運用状況報告 {esc(e["name"])} {report["as_of"]}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px}}.n{{text-align:right}}</style>
<h1>資金運用状況報告</h1><p>{esc(e["name"])}（{report["as_of"]}現在）</p>
<h2>現在価値とリスク</h2><table>
<tr><th>帳簿価額</th><td class=n>{money(t["book"])}</td></tr>
<tr><th>現在価値</th><td class=n>{money(t["pv"])}</td></tr>
<tr><th>評価損益</th><td class=n>{money(t["unrealised"])}</td></tr>
<tr><th>BPV</th><td class=n>{money(t["bpv"])}</td></tr>{shocks}</table>
<h2>残存期間別（帳簿価額）</h2><table>{ladder}</table>
<h2>指摘事項と対応</h2><ul>{findings}</ul>
<h2>保有明細</h2><table><tr><th>銘柄</th><th>資金区分</th><th>種類</th><th>償還日</th><th>帳簿価額</th><th>現在価値</th><th>評価損益</th><th>修正D</th></tr>{rows}</table>
</html>
"""
