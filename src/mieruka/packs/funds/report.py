"""The quarterly report of one entity: holdings, present value, risk, ladder, findings, actions.

An affiliate reports as of 1 April, 1 July, 1 October and 1 January; the prefecture as of
1 April and 1 October (guideline ch.2 §3-5, ch.3 §3-3). The report is a plain dict (JSON is
its first format); `report_html` and `report_xlsx` write it as a Japanese page (printed to
PDF) and a workbook. Nothing is recorded in the ledger — `mieruka run --as-of` does that —
so a draft can be produced as often as needed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mieruka.core.issues import Issue, MierukaError
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.japan.wareki import format_wareki
from mieruka.packs.funds.actions_data import items_on
from mieruka.packs.funds.findings import check_rows, quote, snapshots
from mieruka.packs.funds.labels import SHORT, instrument
from mieruka.packs.funds.params import settings
from mieruka.packs.funds.valuation import SHOCKS_BP, valued

__all__ = ["REPORT_DATES", "check_rows", "quarterly"]

REPORT_DATES = {"affiliate": ((4, 1), (7, 1), (10, 1), (1, 1)), "prefecture": ((4, 1), (10, 1))}
LADDER = ((1, "1年以内"), (3, "1年超3年以内"), (5, "3年超5年以内"), (10, "5年超10年以内"),
          (None, "10年超"))  # fmt: skip
CORPORATE = (10, 11, 12, 13)  # the types whose issuers are diversified (ch.2 §2-4)
TOP = 8  # counterparties shown by name in the concentration table

NAMES_SQL = """
SELECT h.holding_id, coalesce(h.issuer, b.name, h.bank_id, '') AS counterparty
FROM {holdings} h LEFT JOIN (SELECT bank_id, any_value(name) AS name FROM {banks} GROUP BY 1) b
  ON b.bank_id = h.bank_id
"""


def quarterly(project: Project, entity_id: str, as_of: date) -> dict[str, Any]:
    period = Period.as_of_date(as_of, project.ws.settings.fiscal_year_start_month)
    with snapshots(project, period, ("entities", "funds", "holdings")) as data:
        found = data.rows("entities", "name, kind", f"entity_id = {quote(entity_id)}")
        if not found:
            raise MierukaError(
                Issue(
                    "unknown entity", expected="an entity_id of the entities file", found=entity_id
                )
            )
        table, fig = valued(data)
        banks = data.tables.get("banks", "(SELECT NULL::VARCHAR AS bank_id, NULL::VARCHAR AS name)")
        names = dict(
            data.engine.rows(NAMES_SQL.format(holdings=data.tables["holdings"], banks=banks))
        )
    name, kind = found[0]["name"], found[0]["kind"]
    rows = table.to_pylist()
    mine = [i for i, r in enumerate(rows) if r["entity_id"] == entity_id]
    holdings = [_holding(rows[i], fig, i, names) for i in mine]
    findings, skipped = check_rows(project, period)
    ids = {h["holding_id"] for h in holdings}
    own = [
        f
        for f in findings
        if f["figures"].get("entity_id") == entity_id or f["figures"].get("holding_id") in ids
    ]
    actions = [a.to_json() for a in items_on(project, as_of, findings) if a.entity_id == entity_id]
    options = settings(project.ws.pack_options("funds"))
    return {
        "entity": {"entity_id": entity_id, "name": name, "kind": kind},
        "organisation": project.ws.settings.organisation,
        "as_of": as_of.isoformat(),
        "as_of_wareki": format_wareki(as_of),
        "is_reporting_date": (as_of.month, as_of.day) in REPORT_DATES.get(kind, ()),
        "totals": _totals(holdings, fig, mine),
        "ladder": _ladder(holdings, as_of),
        "by_type": _by_type(holdings),
        "concentration": _concentration(holdings),
        "issuer_max_share": float(options["issuer_max_share"]),
        "holdings": holdings,
        "findings": own,
        "actions": actions,
        "skipped": skipped,
    }


def _holding(
    row: dict[str, Any], fig: dict[str, Any], i: int, names: dict[str, str]
) -> dict[str, Any]:
    return {
        **{k: row[k] for k in ("holding_id", "fund_id", "instrument_type", "maturity_date")},
        "instrument": instrument(row["instrument_type"]),
        "counterparty": names.get(row["holding_id"], ""),
        "face": row["face"],
        "book": row["book"],
        "marketable": bool(fig["marketable"][i]),
        **{k: round(float(fig[k][i]), 2) for k in ("pv", "clean", "unrealised", "duration", "bpv")},
        **{f"shock_{bp}": round(float(fig[f"shock_{bp}"][i]), 2) for bp in SHOCKS_BP},
    }


def _totals(holdings: list[dict[str, Any]], fig: dict[str, Any], mine: list[int]) -> dict[str, Any]:
    totals: dict[str, Any] = {
        k: round(sum(float(fig[k][i]) for i in mine)) for k in ("pv", "unrealised", "bpv")
    }
    totals.update(
        {f"shock_{bp}": round(sum(float(fig[f"shock_{bp}"][i]) for i in mine)) for bp in SHOCKS_BP}
    )
    totals["book"] = round(sum(h["book"] for h in holdings))
    market = [h for h in holdings if h["marketable"]]
    totals["marketable_pv"] = round(sum(h["pv"] for h in market))
    totals["duration"] = (
        round(sum(h["duration"] * h["pv"] for h in market) / totals["marketable_pv"], 4)
        if totals["marketable_pv"]
        else 0.0
    )  # the present-value weighted modified duration of the marketable bonds
    return totals


def _ladder(holdings: list[dict[str, Any]], as_of: date) -> list[dict[str, Any]]:
    """Book value by remaining term; holdings without a maturity count in the first step."""
    out = [{"label": label, "book": 0.0} for _, label in LADDER]
    for h in holdings:
        years = (h["maturity_date"] - as_of).days / 365 if h["maturity_date"] else 0
        step = next(i for i, (limit, _) in enumerate(LADDER) if limit is None or years <= limit)
        out[step]["book"] += h["book"]
    return out


def _by_type(holdings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    total = sum(h["book"] for h in holdings) or 1.0
    kinds: dict[int, list[float]] = {}
    for h in holdings:
        k = kinds.setdefault(h["instrument_type"], [0.0, 0.0])
        k[0], k[1] = k[0] + h["book"], k[1] + h["pv"]
    return [
        {
            "instrument_type": t,
            "label": instrument(t),
            "short": f"({t}){SHORT[t]}",
            "book": b,
            "pv": p,
            "share": b / total,
        }
        for t, (b, p) in sorted(kinds.items())
    ]


def _concentration(holdings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Issuers of (10)–(13) by their share of all the entity's investments (book value)."""
    total = sum(h["book"] for h in holdings) or 1.0
    issuers: dict[str, float] = {}
    for h in holdings:
        if h["instrument_type"] in CORPORATE:
            issuers[h["counterparty"]] = issuers.get(h["counterparty"], 0.0) + h["book"]
    ranked = sorted(issuers.items(), key=lambda kv: (-kv[1], kv[0]))
    rows = [{"label": k, "book": v, "share": v / total} for k, v in ranked[:TOP]]
    rest = sum(v for _, v in ranked[TOP:])
    if rest:
        rows.append(
            {"label": f"その他（{len(ranked) - TOP}社）", "book": rest, "share": rest / total}
        )
    return rows
