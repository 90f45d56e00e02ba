"""The yearly fund plan (年間資金計画, guideline ch.2 §1-3) of each entity, from its holdings.

The guideline's items: ① the year's investable amount, ② coupons/interest receivable and
redemptions due, ③ the direction, ④ the budgeted yield, ⑤ the cash outlook for about five
years. ②, ④ and ⑤ follow from the holdings on the plan date (the fiscal year's first day),
held to maturity (`cashflows`); ①, ③ and the years' planned inflows and outflows are what the
treasurer decides, recorded in the optional `fund_plans` file.

- investable amount = book value held on the plan date + planned inflows − planned outflows
- to (re)invest this year = redemptions + coupons and interest + inflows − outflows
- budgeted yield = (coupons + interest receivable this year) ÷ book value on the plan date
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mieruka.japan.fiscal import FiscalYear
from mieruka.japan.wareki import format_fiscal_year_wareki
from mieruka.packs.funds.cashflows import flows_by_year
from mieruka.packs.funds.findings import Snapshots
from mieruka.packs.funds.labels import instrument
from mieruka.packs.funds.valuation import HOLDINGS_SQL

HORIZON = 5  # the guideline's "当面５年程度"


def fy_label(fy: int, start_month: int) -> str:
    return f"{fy}年度（{format_fiscal_year_wareki(fy, start_month)}）"


def _planned(data: Snapshots, fy: int) -> dict[tuple[str, int], dict[str, Any]]:
    rows = data.rows(
        "fund_plans",
        "entity_id, fiscal_year, inflows, outflows, direction, approved_on",
        f"fiscal_year BETWEEN {fy} AND {fy + HORIZON - 1}",
    )
    return {(r["entity_id"], r["fiscal_year"]): r for r in rows}


def held_on(data: Snapshots, day: date) -> Any:
    names = {d: data.tables[d] for d in ("holdings", "funds")}
    return data.sql(HOLDINGS_SQL.format(as_of=day, **names))


def fund_plans(data: Snapshots, fy: int, start_month: int) -> list[dict[str, Any]]:
    """One plan per entity (ordered as the entities file), amounts in yen (rounded)."""
    plan_date = FiscalYear(fy, start_month).start
    holdings = held_on(data, plan_date)
    flows = flows_by_year(holdings, plan_date, fy, HORIZON, start_month)
    planned = _planned(data, fy)
    rows = holdings.to_pylist()
    out = []
    for e in data.rows("entities", "entity_id, name, kind"):
        mine = [i for i, r in enumerate(rows) if r["entity_id"] == e["entity_id"]]
        out.append(_plan(e, fy, start_month, plan_date, rows, mine, flows, planned))
    return out


def _sum(values: Any, idx: list[int], k: int) -> int:
    return round(float(values[idx, k].sum())) if idx else 0


def _plan(
    entity: dict[str, Any],
    fy: int,
    start_month: int,
    plan_date: date,
    rows: list[dict[str, Any]],
    mine: list[int],
    flows: dict[str, Any],
    planned: dict[tuple[str, int], dict[str, Any]],
) -> dict[str, Any]:
    eid = entity["entity_id"]
    outlook: list[dict[str, Any]] = []
    for k in range(HORIZON):
        p = planned.get((eid, fy + k), {})
        year: dict[str, Any] = {
            "fiscal_year": fy + k,
            "label": fy_label(fy + k, start_month),
            **{m: _sum(flows[m], mine, k) for m in ("coupons", "interest", "redemptions")},
            "inflows": int(p.get("inflows") or 0),
            "outflows": int(p.get("outflows") or 0),
            "outstanding": _sum(flows["outstanding"], mine, k),
        }
        year["net"] = (
            year["coupons"] + year["interest"] + year["redemptions"]
            + year["inflows"] - year["outflows"]
        )  # fmt: skip
        outlook.append(year)
    first, recorded = outlook[0], planned.get((eid, fy))
    opening = round(sum(rows[i]["book"] for i in mine))
    income = first["coupons"] + first["interest"]
    by_type: dict[int, float] = {}
    for i in mine:
        by_type[rows[i]["instrument_type"]] = (
            by_type.get(rows[i]["instrument_type"], 0.0) + rows[i]["book"]
        )
    due = [
        {
            "holding_id": rows[i]["holding_id"],
            "instrument": instrument(rows[i]["instrument_type"]),
            "maturity_date": rows[i]["maturity_date"].isoformat(),
            "amount": round(float(flows["redemptions"][i, 0])),
        }
        for i in mine
        if flows["redemptions"][i, 0]
    ]
    return {
        "entity": entity,
        "fiscal_year": fy,
        "fy_label": fy_label(fy, start_month),
        "plan_date": plan_date.isoformat(),
        "opening": opening,
        "inflows": first["inflows"],
        "outflows": first["outflows"],
        "investable": opening + first["inflows"] - first["outflows"],
        "coupons": first["coupons"],
        "interest": first["interest"],
        "redemptions": first["redemptions"],
        "to_invest": first["net"],
        "budgeted_yield_pct": round(income / opening * 100, 3) if opening else None,
        "direction": (recorded or {}).get("direction") or "",
        "approved_on": (
            recorded["approved_on"].isoformat()
            if recorded and recorded.get("approved_on")
            else None
        ),
        "plan_recorded": recorded is not None,
        "by_type": [
            {"instrument_type": t, "label": instrument(t), "book": round(v)}
            for t, v in sorted(by_type.items())
        ],
        "redemptions_due": sorted(due, key=lambda d: (d["maturity_date"], d["holding_id"])),
        "outlook": outlook,
    }
