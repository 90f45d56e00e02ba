"""A run as one self-contained HTML file: inline CSS and SVG, no scripts, no external assets.

The file is meant to be mailed, archived next to a disclosure and printed; it therefore
carries everything it shows, including the hashes a verifier needs to re-compute it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from mieruka.core.project import Project
from mieruka.render.svg import bar_chart, line_chart
from mieruka.report.model import Breakdown, ReportModel, Trend, build_report

VIOLATION_ROWS = 50  # rows printed per rule; the XLSX report holds them all

_env = Environment(
    loader=PackageLoader("mieruka.report", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _bars(breakdown: Breakdown) -> Markup:
    if not breakdown.is_ratio:
        return Markup("")
    total = breakdown.total
    target = total.target if total is not None else None
    return bar_chart(
        [(row.label, row.value, row.text) for row in breakdown.rows],
        target=target,
        target_text=total.target_text if total is not None and target is not None else "",
    )


def _trend(trend: Trend, fy_label: str) -> Markup:
    return line_chart([(fy_label.format(fy=fy), value, text) for fy, value, text in trend.points])


def _cell(lang: str) -> Callable[[Any], str]:
    """A violating row's cell: numbers grouped by thousands (△ before a negative in Japanese)."""

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = f"{abs(value):,}"
            return ("△" if lang == "ja" else "-") + text if value < 0 else text
        return str(value)

    return cell


def render_model(model: ReportModel) -> str:
    context: dict[str, Any] = {
        "m": model,
        "t": model.t,
        "bars": [_bars(b) for b in model.breakdowns],
        "trends": [
            (tr, _trend(tr, "FY{fy}" if model.lang == "en" else "{fy}年度")) for tr in model.trends
        ],
        "violation_rows": VIOLATION_ROWS,
        "cell": _cell(model.lang),
    }
    return _env.get_template("run.html").render(context)


def render_html(project: Project, run_id: int, lang: str | None = None) -> str:
    """The report of run `run_id` in `lang` ("ja" or "en"; the workspace's language by default)."""
    return render_model(build_report(project, run_id, lang))


def write_html(project: Project, run_id: int, path: Path, lang: str | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(project, run_id, lang), encoding="utf-8")
    return path
