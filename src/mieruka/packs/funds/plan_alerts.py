"""Events that force a revision of the yearly fund plan (guideline ch.2 §1-3-(2), §3-1-(2),
§3-2③), raised as alerts for a date within the plan's fiscal year.

① a deposit bank failed, ② an issuer of a holding failed — a rating of C or D (Moody's C)
in the banks file or the latest rating history entry; ③ the marketable bonds held on both
dates moved in value by more than `plan_price_move` since the plan date; ④ one holding's
clean price moved by more than `plan_holding_price_move`; ⑤ the investments (book value)
differ from the plan's investable amount by more than `plan_funds_change`; and a downgrade
to BB or below during the year (§3-2③: sell promptly and revise the plan).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from mieruka.core.period import Period
from mieruka.packs.funds.findings import Finding, Snapshots
from mieruka.packs.funds.ratings import RANK
from mieruka.packs.funds.valuation import valued

FAILED_RANK = RANK["C"]  # C and D (Moody's C): in or near default
ACTION = "年間資金計画を変更する（指針 第2章第1-3-(2)）"
ACTION_EN = "Revise the year's fund plan (guideline ch.2 §1-3-(2))"
FIGURE_LABELS = {
    "rating": "格付", "agency": "格付機関", "rated_on": "格付日", "ratings_now": "現在の格付",
    "downgraded_on": "格下げ日", "price_then": "期首価格", "price_now": "現在価格",
    "change": "変動率", "limit": "基準", "value_then": "期首時価", "value_now": "現在時価",
    "investable": "年間運用可能額", "investments_now": "現在の運用額",
}  # fmt: skip

Alert = dict[str, Any]


def _alert(kind: str, entity: str, label: str, subject: str, **figures: Any) -> Alert:
    return {"kind": kind, "entity_id": entity, "label": label, "subject": subject,
            "figures": figures, "action": ACTION, "action_en": ACTION_EN}  # fmt: skip


def failures(data: Snapshots, as_of: date, start: date) -> list[Alert]:
    """① and ②: banks holding the entity's money and issuers of its bonds, rated C or D."""
    out: list[Alert] = []
    failed = "(" + ", ".join(f"'{r}'" for r, k in RANK.items() if k >= FAILED_RANK) + ")"
    if "banks" in data.tables:
        sql = f"""
        SELECT DISTINCT f.entity_id, b.bank_id, b.name, b.rating
        FROM {data.tables["holdings"]} h JOIN {data.tables["funds"]} f ON f.fund_id = h.fund_id
        JOIN {data.tables["banks"]} b ON b.bank_id = h.bank_id
             AND (b.entity_id IS NULL OR b.entity_id = f.entity_id)
        WHERE trim(b.rating) IN {failed} AND coalesce(h.acquired_on, DATE '{as_of}') <= DATE '{as_of}'
          AND (h.maturity_date IS NULL OR h.maturity_date > DATE '{start}')
          AND (h.disposed_on IS NULL OR h.disposed_on > DATE '{start}')
        ORDER BY 1, 2"""
        for eid, bank, name, rating in data.engine.rows(sql):
            out.append(_alert("bank_failure", eid, "① 預託先金融機関の破綻", f"{bank} {name}",
                              rating=rating))  # fmt: skip
    if "rating_history" in data.tables:
        sql = f"""
        WITH latest AS (
          SELECT holding_id, agency, arg_max(rating, date) AS rating, max(date) AS on_date
          FROM {data.tables["rating_history"]} WHERE date <= DATE '{as_of}' GROUP BY 1, 2)
        SELECT f.entity_id, h.holding_id, coalesce(h.issuer, ''), l.agency, l.rating, l.on_date
        FROM latest l JOIN {data.tables["holdings"]} h ON h.holding_id = l.holding_id
        JOIN {data.tables["funds"]} f ON f.fund_id = h.fund_id
        WHERE trim(l.rating) IN {failed}
          AND (h.maturity_date IS NULL OR h.maturity_date > DATE '{start}')
          AND (h.disposed_on IS NULL OR h.disposed_on > DATE '{start}')
        ORDER BY 1, 2, 4"""
        for eid, hid, issuer, agency, rating, on in data.engine.rows(sql):
            out.append(_alert("issuer_failure", eid, "② 保有有価証券の発行体の破綻",
                              f"{hid} {issuer}", agency=agency, rating=rating,
                              rated_on=on.isoformat()))  # fmt: skip
    return out


def price_moves(data: Snapshots, start: date, as_of: date, options: dict[str, Any]) -> list[Alert]:
    """③ the entity's marketable bonds as a whole, ④ a single holding (clean prices)."""
    then_rows, then = valued(data.at(Period.as_of_date(start, data.period.start_month)))
    then_ids = then_rows.column("holding_id").to_pylist()
    before = {h: (then["clean"][i], then["marketable"][i]) for i, h in enumerate(then_ids)}
    now_rows, now = valued(data.at(Period.as_of_date(as_of, data.period.start_month)))
    face = np.asarray(now_rows.column("face").to_pylist(), float)
    totals: dict[str, list[float]] = {}
    out: list[Alert] = []
    limit = float(options["plan_holding_price_move"])
    for i, (hid, eid) in enumerate(
        zip(now_rows.column("holding_id").to_pylist(), now_rows.column("entity_id").to_pylist(),
            strict=True)
    ):  # fmt: skip
        old, was = before.get(hid, (0.0, False))
        if not (was and now["marketable"][i]):
            continue
        t = totals.setdefault(eid, [0.0, 0.0])
        t[0] += face[i] * old / 100
        t[1] += face[i] * now["clean"][i] / 100
        move = now["clean"][i] / old - 1
        if abs(move) > limit:
            out.append(_alert("holding_price", eid, "④ 個別資産の深刻な価格変動", hid,
                              price_then=round(float(old), 4), price_now=round(float(now["clean"][i]), 4),
                              change=round(float(move), 4), limit=limit))  # fmt: skip
    limit = float(options["plan_price_move"])
    for eid, (old_value, new_value) in totals.items():
        move = new_value / old_value - 1 if old_value else 0.0
        if abs(move) > limit:
            out.append(_alert("portfolio_price", eid, "③ 運用資産全体の著しい価格変動", eid,
                              value_then=round(old_value), value_now=round(new_value),
                              change=round(move, 4), limit=limit))  # fmt: skip
    return out


def funds_change(
    data: Snapshots, plans: list[dict[str, Any]], as_of: date, options: dict[str, Any]
) -> list[Alert]:
    """⑤ investments now against the plan's investable amount."""
    now = {
        r["entity_id"]: r["book"]
        for r in data.sql(
            f"SELECT f.entity_id, sum(CAST(h.book_value AS DOUBLE)) AS book "
            f"FROM {data.tables['holdings']} h JOIN {data.tables['funds']} f USING (fund_id) "
            f"WHERE coalesce(h.acquired_on, DATE '{as_of}') <= DATE '{as_of}' "
            f"AND (h.maturity_date IS NULL OR h.maturity_date > DATE '{as_of}') "
            f"AND (h.disposed_on IS NULL OR h.disposed_on > DATE '{as_of}') GROUP BY 1"
        ).to_pylist()
    }
    limit, out = float(options["plan_funds_change"]), []
    for p in plans:
        eid, planned = p["entity"]["entity_id"], p["investable"]
        actual = round(now.get(eid) or 0)
        change = actual / planned - 1 if planned else 0.0
        if planned and abs(change) > limit:
            out.append(_alert("funds_change", eid, "⑤ 運用可能な資金量の著しい増減", eid,
                              investable=planned, investments_now=actual,
                              change=round(change, 4), limit=limit))  # fmt: skip
    return out


def downgrades(findings: list[Finding], start: date) -> list[Alert]:
    """§3-2③: a downgrade to BB or below during the year."""
    out = []
    for f in findings:
        on = f["figures"].get("downgraded_on")
        if f["rule"] == "funds.downgrade_sell" and on and str(on) >= start.isoformat():
            out.append(_alert("downgrade_bb", f["figures"]["entity_id"], "格下げ（BB格以下）",
                              f"{f['key']['holding_id']} {f['figures'].get('issuer') or ''}",
                              ratings_now=f["figures"]["ratings_now"], downgraded_on=str(on)))  # fmt: skip
    return out


def revision_alerts(
    data: Snapshots,
    plans: list[dict[str, Any]],
    findings: list[Finding],
    start: date,
    as_of: date,
    options: dict[str, Any],
) -> list[Alert]:
    alerts = [
        *failures(data, as_of, start),
        *price_moves(data, start, as_of, options),
        *funds_change(data, plans, as_of, options),
        *downgrades(findings, start),
    ]
    return sorted(alerts, key=lambda a: (a["entity_id"], a["kind"], a["subject"]))
