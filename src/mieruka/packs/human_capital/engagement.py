"""Engagement survey figures with anonymity suppression, as pack functions.

A department with fewer respondents than `anonymity_threshold` (default 5) must not be
shown anywhere — dashboard, report, API, export. The core computes the total and every
breakdown from the evidence rows this module returns, so suppression happens here, in
the rows: a small department's responses are pooled under one label; if the pool itself
is still below the threshold, those responses are left out altogether (of the total as
well), because any figure containing them could be differenced against the others. The
whole figure is empty when the survey has too few respondents. Respondents are counted
per survey by `respondent_key`, which the survey tool has already pseudonymised.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, localcontext

import numpy as np
import pyarrow as pa

from mieruka.core.evaluate import Context
from mieruka.core.run_memo import once
from mieruka.packs.human_capital.options import HcOptions

POOLED = "その他（少人数部署を統合）"
FAVOURABLE_SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("department", pa.string()),
        ("item_id", pa.string()),
        ("numerator", pa.int64()),
        ("denominator", pa.int64()),
    ]
)
ENPS_SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("department", pa.string()),
        ("numerator", pa.int64()),
        ("denominator", pa.int64()),
    ]
)


def _answers(ctx: Context) -> str:
    return f"""SELECT survey_id, respondent_key, coalesce(department, '') AS department,
               item_id, score, enps
        FROM {ctx.tables["survey_responses"]} WHERE fiscal_year = {int(ctx.period.fiscal_year)}"""


def _respondent_counts(ctx: Context, threshold: int) -> tuple[dict[str, int], int, int]:
    """Respondents per department, of the small departments together, and of everyone."""
    rows = ctx.engine.rows(
        f"""WITH p AS (SELECT DISTINCT department, survey_id, respondent_key
                       FROM ({_answers(ctx)})),
        n AS (SELECT department, count(*) AS n FROM p GROUP BY department)
        SELECT department, n,
          (SELECT count(DISTINCT (survey_id, respondent_key)) FROM p
           WHERE department IN (SELECT department FROM n WHERE n < {int(threshold)})),
          (SELECT count(DISTINCT (survey_id, respondent_key)) FROM p)
        FROM n"""
    )
    people = {str(d): int(n) for d, n, _, _ in rows}
    pooled, everyone = (int(rows[0][2]), int(rows[0][3])) if rows else (0, 0)
    return people, pooled, everyone


def shown_departments(
    people: Mapping[str, int], pooled: int, everyone: int, threshold: int
) -> dict[str, str | None]:
    """Department -> the label it is shown under, or None when its answers are withheld.

    `people`: respondents per department; `pooled`: respondents of the departments below
    the threshold taken together; `everyone`: respondents of the survey(s)."""
    if everyone < threshold:
        return dict.fromkeys(people)
    label = POOLED if pooled >= threshold else None
    return {d: (d if n >= threshold else label) for d, n in people.items()}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _shown(ctx: Context) -> str | None:
    """The answers that may be shown, with the label (`shown`) of their department, as SQL
    (the labels computed once a run; withheld answers are not in it)."""
    if "survey_responses" not in ctx.tables:
        return None

    def labels() -> str:
        threshold = HcOptions.from_mapping(ctx.options).anonymity_threshold
        shown = shown_departments(*_respondent_counts(ctx, threshold), threshold)
        whens = " ".join(
            f"WHEN {_literal(d)} THEN {_literal(label)}"
            for d, label in sorted(shown.items())
            if label is not None
        )
        return f"CASE department {whens} END" if whens else "CAST(NULL AS VARCHAR)"

    label = once(ctx, "engagement.labels", labels)
    return f"SELECT *, {label} AS shown FROM ({_answers(ctx)}) WHERE {label} IS NOT NULL"


def favourable(ctx: Context) -> pa.Table:
    """Answers scoring 4 or 5 over all answers, per respondent and item."""
    shown = _shown(ctx)
    if shown is None:
        return FAVOURABLE_SCHEMA.empty_table()
    table = ctx.engine.query(
        f"""SELECT survey_id || '/' || respondent_key || '/' || item_id AS key,
                   shown AS department, item_id, CAST(score >= 4 AS BIGINT) AS numerator,
                   CAST(1 AS BIGINT) AS denominator
            FROM ({shown}) WHERE score IS NOT NULL"""
    )
    return table.cast(FAVOURABLE_SCHEMA)


def enps(ctx: Context) -> pa.Table:
    """Promoters (9–10) count +1, detractors (0–6) −1, one answer per respondent and survey
    (the first given, in item order)."""
    shown = _shown(ctx)
    if shown is None:
        return ENPS_SCHEMA.empty_table()
    table = ctx.engine.query(
        f"""SELECT survey_id || '/' || respondent_key AS key,
                   arg_min(shown, (item_id, enps)) AS department,
                   arg_min(enps, (item_id, enps)) AS enps
            FROM ({shown}) WHERE enps IS NOT NULL
            GROUP BY survey_id, respondent_key"""
    )
    value = np.asarray(table["enps"].to_numpy(zero_copy_only=False), dtype=np.int64)
    net = np.where(value >= 9, 1, np.where(value <= 6, -1, 0))
    ones = np.ones(table.num_rows, dtype=np.int64)
    return pa.table(
        [table["key"], table["department"], pa.array(net, pa.int64()), pa.array(ones)],
        schema=ENPS_SCHEMA,
    )


DRIVER_SCHEMA = pa.schema([("item_id", pa.string()), ("value", pa.float64())])


def pearson(n: int, sx: int, sy: int, sxx: int, syy: int, sxy: int) -> float | None:
    """Pearson's r from exact integer sums (None when either side does not vary).

    Scores and eNPS answers are integers, so the sums are exact whatever order the rows
    come in; r is then taken in 50-digit decimals, the same in every run."""
    cov, vx, vy = n * sxy - sx * sy, n * sxx - sx * sx, n * syy - sy * sy
    if n < 3 or vx <= 0 or vy <= 0:
        return None
    with localcontext() as c:
        c.prec = 50
        return float(Decimal(cov) / (Decimal(vx) * Decimal(vy)).sqrt())


def drivers(ctx: Context) -> pa.Table:
    """Pearson correlation of each item's score with the respondent's eNPS answer.

    A simple, stated driver analysis: the items whose scores move with willingness to
    recommend the company are the ones worth acting on. Withheld answers stay out."""
    shown = _shown(ctx)
    if shown is None:
        return DRIVER_SCHEMA.empty_table()
    sums = ctx.engine.rows(
        f"""SELECT item_id, count(*), sum(score), sum(enps), sum(score * score),
                   sum(enps * enps), sum(score * enps)
            FROM ({shown}) WHERE score IS NOT NULL AND enps IS NOT NULL
            GROUP BY item_id ORDER BY item_id"""
    )
    items, values = [], []
    for item, *totals in sums:
        r = pearson(*(int(t) for t in totals))
        if r is not None:
            items.append(item)
            values.append(r)
    return pa.table({"item_id": items, "value": values}, schema=DRIVER_SCHEMA)


FUNCTIONS = {"hc_engagement_favourable": favourable, "hc_enps": enps, "hc_drivers": drivers}
