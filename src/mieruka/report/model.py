"""The report model: one run gathered and formatted for people; HTML and XLSX both draw on it.

Numbers stay `Decimal` here. Each figure carries its value in the unit it is shown in (yen
become 千円, truncated toward zero as Japanese statements do: 千円未満切捨て) for the XLSX
cells, and its display text for the HTML: △ before a negative in Japanese, percentages with
the indicator's own digits. Words and number formats live in `labels`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from mieruka.core.export import run_document
from mieruka.core.project import Project
from mieruka.japan.fiscal import FiscalYear
from mieruka.japan.wareki import format_fiscal_year_wareki, format_wareki
from mieruka.report.labels import TEXT, Shape, pick_label, target_text, to_decimal

TREND_YEARS = 5  # fiscal years shown in a trend line, the run's own year last
RATIO_UNITS = ("percent", "ratio")
STATUS_ORDER = ("missed", "no_data", "met", "no_target")  # the worst status of a figure wins


@dataclass(frozen=True)
class Figure:
    indicator: str
    label: str
    shape: Shape
    value: Decimal | None  # in the displayed unit
    text: str
    comparator: str | None
    target: Decimal | None  # in the displayed unit
    target_text: str
    status: str
    method: str
    pack: str | None
    skipped: str | None = None


@dataclass(frozen=True)
class Breakdown:
    indicator: str
    label: str
    dim: str
    shape: Shape
    is_ratio: bool
    rows: list[Figure]  # `label` of each row is the dimension's member
    extra: list[dict[str, Any]]  # numerator, denominator, rows of each member
    total: Figure | None


@dataclass(frozen=True)
class RuleGroup:
    rule: str
    label: str
    severity: str
    action: str
    columns: list[str]
    violations: list[dict[str, Any]]  # seq, key (text), key_values, row (dicts)


@dataclass(frozen=True)
class Trend:
    indicator: str
    label: str
    shape: Shape
    points: list[tuple[int, Decimal | None, str]]  # fiscal year, shown value, text


@dataclass
class ReportModel:
    lang: str
    organisation: str
    run: dict[str, Any]
    fiscal_year: int
    fy_ja: str
    fy_wareki: str
    fy_en: str
    as_of: dt.date | None
    as_of_wareki: str
    groups: list[tuple[str, list[Figure]]] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    rules: list[RuleGroup] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)

    @property
    def t(self) -> dict[str, str]:
        return TEXT[self.lang]

    @property
    def figures(self) -> list[Figure]:
        return [f for _, figures in self.groups for f in figures]

    @property
    def title(self) -> str:
        return f"{self.organisation} {self.t['title']}"


def _figure(
    spec: dict[str, Any],
    value: dict[str, Any] | None,
    targets: list[dict[str, Any]],
    shape: Shape,
    label: str,
    skipped: str | None = None,
) -> Figure:
    raw = to_decimal(value["value"]) if value else None
    first = targets[0] if targets else None
    target = to_decimal(first["target"]) if first else None
    texts = [target_text(t["comparator"], to_decimal(t["target"]), shape) for t in targets]
    statuses = [t["status"] for t in targets] or ["no_data" if raw is None else "no_target"]
    status = min(statuses, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else 0)
    return Figure(
        indicator=spec["id"],
        label=label,
        shape=shape,
        value=shape.shown(raw),
        text=shape.text(raw),
        comparator=(first["comparator"] or None) if first else None,
        target=shape.shown(target),
        target_text=("、" if shape.lang == "ja" else ", ").join(t for t in texts if t),
        status=status,
        method=pick_label(spec.get("method"), shape.lang),
        pack=spec.get("pack"),
        skipped=skipped,
    )


def _key(indicator: str, dims: dict[str, Any]) -> tuple[str, str]:
    return indicator, json.dumps(dims, sort_keys=True, ensure_ascii=False)


def build_report(project: Project, run_id: int, lang: str | None = None) -> ReportModel:
    """Everything a report prints about run `run_id`, in `lang` (the workspace's by default)."""
    lang = lang or project.ws.settings.language
    if lang not in TEXT:
        raise ValueError(f"lang must be 'ja' or 'en', found {lang!r}")
    record = project.store.run(run_id)
    doc = run_document(project, run_id)
    spec = json.loads(project.store.spec(record.spec_hash))
    start_month = int(
        record.params_dict().get("start_month", project.ws.settings.fiscal_year_start_month)
    )
    fy = int(record.fiscal_year or 0)
    model = ReportModel(
        lang=lang,
        organisation=project.ws.settings.organisation,
        run=doc["run"],
        fiscal_year=fy,
        fy_ja=FiscalYear(fy, start_month).label("ja"),
        fy_wareki=format_fiscal_year_wareki(fy, start_month),
        fy_en=FiscalYear(fy, start_month).label("en"),
        as_of=record.as_of,
        as_of_wareki=format_wareki(record.as_of) if record.as_of else "",
    )
    values = {_key(v["indicator"], v["dims"]): v for v in doc["values"]}
    targets: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for t in doc["targets"]:
        targets.setdefault(_key(t["indicator"], t["dims"]), []).append(t)
    shapes = {}
    groups: dict[str | None, list[Figure]] = {}
    for ind in spec["indicators"]:
        shape = shapes[ind["id"]] = Shape.of(ind, lang)
        label = pick_label(ind.get("label"), lang, ind["id"])
        total = _figure(
            ind,
            values.get(_key(ind["id"], {})),
            targets.get(_key(ind["id"], {}), []),
            shape,
            label,
            doc["run"]["skipped"].get(ind["id"]),
        )
        groups.setdefault(ind.get("pack"), []).append(total)
        model.breakdowns.extend(_breakdowns(ind, doc["values"], targets, shape, label, total))
    own = groups.pop(None, [])
    packs = sorted((str(name), figures) for name, figures in groups.items())
    model.groups = ([(model.t["own"], own)] if own else []) + packs
    model.rules = _rule_groups(spec.get("rules", []), doc["violations"], lang)
    model.trends = _trends(project, record.id, fy, spec["indicators"], shapes, lang)
    return model


def _breakdowns(
    ind: dict[str, Any],
    values: list[dict[str, Any]],
    targets: dict[tuple[str, str], list[dict[str, Any]]],
    shape: Shape,
    label: str,
    total: Figure,
) -> list[Breakdown]:
    by_dim: dict[str, list[dict[str, Any]]] = {}
    for v in values:
        if v["indicator"] == ind["id"] and len(v["dims"]) == 1:
            by_dim.setdefault(next(iter(v["dims"])), []).append(v)
    out = []
    for dim in [*ind.get("by", []), *sorted(set(by_dim) - set(ind.get("by", [])))]:
        rows = by_dim.get(dim, [])
        if not rows:
            continue
        figures = [
            _figure(ind, v, targets.get(_key(ind["id"], v["dims"]), []), shape, str(v["dims"][dim]))
            for v in rows
        ]
        extra = [
            {
                "numerator": to_decimal(v["numerator"]),
                "denominator": to_decimal(v["denominator"]),
                "rows": v["rows"],
            }
            for v in rows
        ]
        is_ratio = shape.unit in RATIO_UNITS or ind.get("aggregate") == "ratio"
        out.append(Breakdown(ind["id"], label, dim, shape, is_ratio, figures, extra, total))
    return out


def _rule_groups(
    rules: list[dict[str, Any]], violations: list[dict[str, Any]], lang: str
) -> list[RuleGroup]:
    found: dict[str, list[dict[str, Any]]] = {}
    for v in violations:
        found.setdefault(v["rule"], []).append(v)
    specs = {r["id"]: r for r in rules}
    order = [r["id"] for r in rules if r["id"] in found] + sorted(set(found) - set(specs))
    out = []
    for rule_id in order:
        rule = specs.get(rule_id, {})
        rows = found[rule_id]
        keys = [c for v in rows for c in v["key"]]  # the naming columns first, then the rest
        columns = list(dict.fromkeys([*keys, *(c for v in rows for c in v["row"])]))
        out.append(
            RuleGroup(
                rule=rule_id,
                label=pick_label(rule.get("label"), lang, rule_id),
                severity=str(rule.get("severity") or rows[0]["severity"]),
                action=pick_label(rule.get("action"), lang),
                columns=columns,
                violations=[
                    {
                        "seq": v["seq"],
                        "key": ", ".join(f"{k}={x}" for k, x in v["key"].items()),
                        "key_values": v["key"],
                        "row": v["row"],
                    }
                    for v in rows
                ],
            )
        )
    severity_rank = {"error": 0, "warning": 1, "info": 2}
    return sorted(out, key=lambda g: severity_rank.get(g.severity, 3))


def _trends(
    project: Project,
    run_id: int,
    fy: int,
    indicators: list[dict[str, Any]],
    shapes: dict[str, Shape],
    lang: str,
) -> list[Trend]:
    """Totals over the consecutive fiscal years up to the run's own: for each earlier year the
    latest run recorded before this one (a report never looks ahead of its run)."""
    latest: dict[int, int] = {}
    for r in project.store.runs():
        if r.id <= run_id and r.fiscal_year is not None:
            latest[r.fiscal_year] = max(latest.get(r.fiscal_year, 0), r.id)
    latest[fy] = run_id
    years = [fy]
    while len(years) < TREND_YEARS and years[0] - 1 in latest:
        years.insert(0, years[0] - 1)
    if len(years) < 2:
        return []
    totals: dict[int, dict[str, Decimal | None]] = {}
    for year in years:
        totals[year] = {
            v["indicator"]: v["value"] for v in project.store.values(latest[year]) if not v["dims"]
        }
    out = []
    for ind in indicators:
        shape = shapes[ind["id"]]
        points = [
            (y, shape.shown(totals[y].get(ind["id"])), shape.text(totals[y].get(ind["id"])))
            for y in years
        ]
        if sum(p[1] is not None for p in points) >= 2:
            out.append(
                Trend(ind["id"], pick_label(ind.get("label"), lang, ind["id"]), shape, points)
            )
    return out
