"""Sparklines drawn on the server as inline SVG, so the overview shows trends without
JavaScript; the larger charts on the indicator page are drawn by the vendored Chart.js
from a JSON description in a `data-chart` attribute, with the same figures in a table."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from mieruka.render.svg import BAR, TARGET


def sparkline(values: Sequence[float | None], width: int = 110, height: int = 28) -> Markup:
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return Markup("")
    lo, hi = min(v for _, v in known), max(v for _, v in known)
    if hi == lo:
        lo, hi = lo - 1.0, hi + 1.0
    pad = 3
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return pad + i * step, pad + (hi - v) / (hi - lo) * (height - 2 * pad)

    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in known))
    last_x, last_y = xy(*known[-1])
    return Markup(
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-hidden="true"><polyline fill="none" stroke="{BAR}" stroke-width="1.6" '
        f'points="{points}"/><circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.5" fill="{BAR}"/>'
        "</svg>"
    )


def series_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    targets: Sequence[float | None],
    value_label: str,
    target_label: str,
) -> dict[str, object]:
    """The `data-chart` description of a line over fiscal years against the target path."""
    datasets: list[dict[str, object]] = [
        {"label": value_label, "data": list(values), "borderColor": BAR, "backgroundColor": BAR}
    ]
    if any(t is not None for t in targets):
        datasets.append(
            {
                "label": target_label,
                "data": list(targets),
                "borderColor": TARGET,
                "backgroundColor": TARGET,
                "borderDash": [6, 4],
            }
        )
    return {"type": "line", "labels": list(labels), "datasets": datasets}


def bar_chart(
    labels: Sequence[str], values: Sequence[float | None], label: str
) -> dict[str, object]:
    return {
        "type": "bar",
        "labels": list(labels),
        "datasets": [{"label": label, "data": list(values), "backgroundColor": BAR}],
    }
