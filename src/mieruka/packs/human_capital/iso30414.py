"""ISO 30414 (human capital reporting): which metrics this data supports, from a run.

The list names the standard's metric areas and metrics as they are commonly published;
each is mapped to the `hc.` indicator that measures it, or to nothing. A metric without
an indicator, or whose indicator has no figure in the run, is reported as "no data" —
never estimated. Proxies are labelled as such. The mapping should be reviewed against
the text of the standard (2018 edition; the 2025 revision adds metrics) before a
company cites it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mieruka.packs.human_capital.disclosure import latest_run

NO_DATA = "no data"


@dataclass(frozen=True)
class Metric:
    area: str
    name: str
    indicator: str | None = None
    dims: tuple[tuple[str, str], ...] = ()
    note: str = ""


METRICS = (
    Metric("Compliance and ethics", "Number and type of grievances filed"),
    Metric("Compliance and ethics", "Number and type of concluded disciplinary actions"),
    Metric("Compliance and ethics", "Percentage of employees who completed compliance training"),
    Metric("Costs", "Total workforce costs"),
    Metric("Diversity", "Workforce diversity: women", "hc.headcount", (("gender", "F"),)),
    Metric("Diversity", "Workforce diversity: men", "hc.headcount", (("gender", "M"),)),
    Metric(
        "Diversity",
        "Diversity of leadership",
        "hc.female_manager_share",
        (),
        "proxy: share of women among managers",
    ),
    Metric("Leadership", "Leadership trust"),
    Metric("Occupational health, safety and well-being", "Lost time for injury"),
    Metric("Occupational health, safety and well-being", "Number of occupational accidents"),
    Metric("Occupational health, safety and well-being", "Number of people killed during work"),
    Metric("Productivity", "EBIT / revenue / profit per employee"),
    Metric("Productivity", "Human capital ROI"),
    Metric("Recruitment, mobility and turnover", "Time to fill vacant positions"),
    Metric("Recruitment, mobility and turnover", "Time to fill vacant critical positions"),
    Metric("Recruitment, mobility and turnover", "Percentage of positions filled internally"),
    Metric(
        "Recruitment, mobility and turnover", "Percentage of critical positions filled internally"
    ),
    Metric("Recruitment, mobility and turnover", "Turnover rate", "hc.turnover"),
    Metric(
        "Recruitment, mobility and turnover", "Voluntary turnover rate", "hc.turnover_voluntary"
    ),
    Metric(
        "Skills and capabilities", "Total development and training cost", "hc.training_cost_total"
    ),
    Metric(
        "Skills and capabilities", "Training hours per employee", "hc.training_hours_per_employee"
    ),
    Metric("Succession planning", "Succession effectiveness rate"),
    Metric("Succession planning", "Succession coverage rate"),
    Metric("Succession planning", "Succession readiness rate"),
    Metric("Workforce availability", "Number of employees", "hc.headcount"),
    Metric("Workforce availability", "Full-time equivalents", "hc.fte"),
    Metric("Organisational culture", "Engagement (favourable share)", "hc.engagement_favourable"),
)


def iso_report(project: Any, fy: int) -> dict[str, Any]:
    """Every metric with its figure from the latest run of `fy`, or "no data"."""
    run = latest_run(project, fy)
    figures = {
        (v["indicator"], tuple(sorted(v["dims"].items()))): v["value"]
        for v in project.store.values(run.id)
    }
    rows = []
    for m in METRICS:
        value = figures.get((m.indicator, m.dims)) if m.indicator else None
        rows.append(
            {
                "area": m.area,
                "metric": m.name,
                "indicator": m.indicator,
                "value": NO_DATA if value is None else str(value),
                "note": m.note,
            }
        )
    supported = sum(r["value"] != NO_DATA for r in rows)
    return {"fiscal_year": fy, "run": run.id, "supported": supported, "metrics": rows}
