"""The quarterly report and the fund plan as Japanese HTML pages (printed to PDF as they are).

Templates live in the pack (`templates/`); amounts print in 千円, truncated per cell with △
for a negative (`mieruka.japan.yen.format_yen`), dates in 和暦 beside ISO.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import jinja2

from mieruka.japan.wareki import format_wareki
from mieruka.packs.funds.charts import ladder_chart, share_chart, thousand
from mieruka.packs.funds.plan_alerts import FIGURE_LABELS
from mieruka.packs.funds.valuation import SHOCKS_BP

SEVERITY = {"error": "違反", "warning": "注意", "info": "情報"}


def _wareki(value: Any, style: Literal["kanji", "short"] = "kanji") -> str:
    if value in (None, ""):
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return format_wareki(day, style)


MONEY = {"investable", "investments_now", "value_then", "value_now"}
SHARES = {"change", "limit"}


def _figure(value: Any, key: str) -> str:
    """An alert's figure as printed: amounts in 千円, shares in %."""
    if key in MONEY:
        return thousand(value) + "千円"
    if key in SHARES:
        return f"{value * 100:+.1f}%" if key == "change" else f"{value * 100:.0f}%"
    return str(value)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(
        k=thousand,
        pct=lambda v, digits=1: "" if v is None else f"{v * 100:.{digits}f}%",
        wareki=_wareki,
        figure=_figure,
        wareki_short=lambda v: _wareki(v, "short"),
        num=lambda v, digits=2: f"{v:,.{digits}f}",
    )
    return env


def _template(name: str) -> jinja2.Template:
    source = resources.files("mieruka.packs.funds").joinpath("templates", name)
    return _env().from_string(source.read_text(encoding="utf-8"))


def quarterly_html(report: dict[str, Any]) -> str:
    return _template("quarterly.html").render(
        r=report,
        shocks=SHOCKS_BP,
        severity=SEVERITY,
        ladder_svg=ladder_chart(report["ladder"], width=400),
        type_svg=share_chart(report["by_type"]),
        issuer_svg=share_chart(report["concentration"], report["issuer_max_share"]),
    )


def plan_html(plan: dict[str, Any]) -> str:
    return _template("plan.html").render(p=plan, figure_labels=FIGURE_LABELS)


def write_pdf_file(html: str, path: Path) -> None:
    from mieruka.render.pdf import write_pdf

    write_pdf(html, path)
