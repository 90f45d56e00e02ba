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

from collections import defaultdict
from typing import Any

import numpy as np
import pyarrow as pa

from mieruka.core.evaluate import Context
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


def _responses(ctx: Context) -> list[tuple[Any, ...]]:
    if "survey_responses" not in ctx.tables:
        return []
    return ctx.engine.rows(
        f"""SELECT survey_id, respondent_key, coalesce(department, ''), item_id, score, enps
        FROM {ctx.tables["survey_responses"]} WHERE fiscal_year = {int(ctx.period.fiscal_year)}
        ORDER BY survey_id, respondent_key, item_id"""
    )


def shown_departments(rows: list[tuple[Any, ...]], threshold: int) -> dict[str, str | None]:
    """Department -> the label it is shown under, or None when its answers are withheld."""
    people: dict[str, set[tuple[Any, Any]]] = defaultdict(set)
    for survey, respondent, dept, *_ in rows:
        people[dept].add((survey, respondent))
    small = {d for d, who in people.items() if len(who) < threshold}
    pooled = set().union(*(people[d] for d in small)) if small else set()
    total = set().union(*people.values()) if people else set()
    if len(total) < threshold:
        return dict.fromkeys(people)
    shown: dict[str, str | None] = {d: d for d in people if d not in small}
    label = POOLED if len(pooled) >= threshold else None
    shown.update(dict.fromkeys(small, label))
    return shown


def favourable(ctx: Context) -> pa.Table:
    """Answers scoring 4 or 5 over all answers, per respondent and item."""
    rows = _responses(ctx)
    shown = shown_departments(rows, HcOptions.from_mapping(ctx.options).anonymity_threshold)
    data: dict[str, list[Any]] = {f.name: [] for f in FAVOURABLE_SCHEMA}
    for survey, respondent, dept, item, score, _enps in rows:
        if score is None or shown.get(dept) is None:
            continue
        values = (f"{survey}/{respondent}/{item}", shown[dept], item, int(score >= 4), 1)
        for name, value in zip(data, values, strict=True):
            data[name].append(value)
    return pa.table(data, schema=FAVOURABLE_SCHEMA)


def enps(ctx: Context) -> pa.Table:
    """Promoters (9–10) count +1, detractors (0–6) −1, one answer per respondent and survey."""
    rows = _responses(ctx)
    shown = shown_departments(rows, HcOptions.from_mapping(ctx.options).anonymity_threshold)
    answers: dict[tuple[Any, Any], tuple[str, int]] = {}
    for survey, respondent, dept, _item, _score, value in rows:
        if value is not None and shown.get(dept) is not None:
            answers.setdefault((survey, respondent), (shown[dept] or "", int(value)))
    data: dict[str, list[Any]] = {f.name: [] for f in ENPS_SCHEMA}
    for (survey, respondent), (dept, value) in sorted(answers.items()):
        net = 1 if value >= 9 else (-1 if value <= 6 else 0)
        for name, v in zip(data, (f"{survey}/{respondent}", dept, net, 1), strict=True):
            data[name].append(v)
    return pa.table(data, schema=ENPS_SCHEMA)


DRIVER_SCHEMA = pa.schema([("item_id", pa.string()), ("value", pa.float64())])


def drivers(ctx: Context) -> pa.Table:
    """Pearson correlation of each item's score with the respondent's eNPS answer.

    A simple, stated driver analysis: the items whose scores move with willingness to
    recommend the company are the ones worth acting on. Withheld answers stay out."""
    rows = _responses(ctx)
    shown = shown_departments(rows, HcOptions.from_mapping(ctx.options).anonymity_threshold)
    pairs: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for _survey, _respondent, dept, item, score, value in rows:
        if score is not None and value is not None and shown.get(dept) is not None:
            pairs[item][0].append(float(score))
            pairs[item][1].append(float(value))
    items, values = [], []
    for item in sorted(pairs):
        xs, ys = pairs[item]
        if len(xs) >= 3 and np.std(xs) > 0 and np.std(ys) > 0:
            items.append(item)
            values.append(float(np.corrcoef(xs, ys)[0, 1]))
    return pa.table({"item_id": items, "value": values}, schema=DRIVER_SCHEMA)


FUNCTIONS = {"hc_engagement_favourable": favourable, "hc_enps": enps, "hc_drivers": drivers}
