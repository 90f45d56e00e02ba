"""Retention curves as an inline SVG step chart: one line per group, years after hire.

`mieruka.render.svg` draws one series; Kaplan–Meier curves need several step lines on a
shared 0–100 % axis with a legend, which is a few dozen SVG elements — written here so the
document stays one offline file that prints, like the other charts (no JavaScript).
Text inherits the page's CJK font.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

COLOURS = ("#4a78b5", "#c2603a", "#5b9a68", "#8e6bb5", "#c9a227", "#4aa3a8", "#b5577a", "#777")
INK, MUTED, GRID = "#333", "#777", "#ddd"

Series = tuple[str, Sequence[Decimal]]  # legend text, S(t) in percent for t = 0, 1, …


def step_chart(series: Sequence[Series], *, years: int, x_label: str, width: int = 560) -> Markup:
    """Step lines from S(0) = 100 % down, x = whole years after hire, y = percent retained."""
    drawn = [(name, points) for name, points in series if points]
    if not drawn:
        return Markup("")
    legend_h = 16 * ((len(drawn) + 1) // 2)
    left, right, top, plot_h = 44, 16, 10, 200
    height = top + plot_h + 34 + legend_h
    plot_w = width - left - right

    def x(t: float) -> float:
        return left + t / years * plot_w

    def y(s: float) -> float:
        return top + (100 - s) / 100 * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">'
    ]
    for pct in range(0, 101, 25):
        parts.append(
            f'<line x1="{left}" y1="{y(pct):.1f}" x2="{width - right}" y2="{y(pct):.1f}" '
            f'stroke="{GRID}"/><text x="{left - 6}" y="{y(pct) + 4:.1f}" text-anchor="end" '
            f'font-size="10" fill="{MUTED}">{pct}%</text>'
        )
    for t in range(years + 1):
        parts.append(
            f'<text x="{x(t):.1f}" y="{top + plot_h + 14}" text-anchor="middle" font-size="10" '
            f'fill="{MUTED}">{t}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 28}" text-anchor="middle" '
        f'font-size="10" fill="{INK}">{escape(x_label)}</text>'
    )
    for i, (name, points) in enumerate(drawn):
        colour = COLOURS[i % len(COLOURS)]
        path = [f"M{x(0):.1f},{y(float(points[0])):.1f}"]
        for t in range(1, len(points)):
            path.append(f"H{x(t):.1f}V{y(float(points[t])):.1f}")
        parts.append(
            f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="1.8">'
            f"<title>{escape(name)}</title></path>"
        )
        lx = left + (i % 2) * plot_w / 2
        ly = top + plot_h + 44 + 16 * (i // 2)
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly - 8}" width="14" height="3" fill="{colour}"/>'
            f'<text x="{lx + 20:.1f}" y="{ly - 3}" font-size="10" fill="{INK}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
