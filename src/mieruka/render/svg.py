"""Small inline SVG charts (bars, a line over fiscal years) for reports and pack documents.

A report must be one self-contained file that works offline and prints, with no
JavaScript; the two charts it needs (a bar per breakdown member, a line over fiscal years)
are a few dozen SVG elements, less code than adapting a library's output. Text in the SVG
inherits the page's font, so Japanese labels use the same CJK font as the tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

BAR = "#4a78b5"
BAR_NEGATIVE = "#c2603a"
TARGET = "#c0392b"
INK = "#333"
MUTED = "#777"
GRID = "#ddd"

Item = tuple[str, Decimal | None, str]  # label, value, value text


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _span(values: Sequence[Decimal], zero: bool) -> tuple[float, float]:
    numbers = [float(v) for v in values]
    lo, hi = min(numbers), max(numbers)
    if zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi == lo:
        hi, lo = hi + 1.0, lo - (0.0 if zero else 1.0)
    return lo, hi


def bar_chart(
    items: Sequence[Item], *, target: Decimal | None = None, target_text: str = "", width: int = 460
) -> Markup:
    """Horizontal bars from zero, one per item, with the target as a dashed line."""
    known = [v for _, v, _ in items if v is not None]
    if not known:
        return Markup("")
    lo, hi = _span([*known, *([target] if target is not None else [])], zero=True)
    label_w, text_w, row_h, top = 130, 64, 26, 6
    bar_w = width - label_w - text_w
    height = top + row_h * len(items) + (20 if target is not None else 6)

    def x(value: float) -> float:
        return label_w + (value - lo) / (hi - lo) * bar_w

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">',
        f'<line x1="{x(0):.1f}" y1="{top}" x2="{x(0):.1f}" y2="{top + row_h * len(items)}" stroke="{GRID}"/>',
    ]
    for i, (label, value, text) in enumerate(items):
        y = top + i * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" font-size="12" fill="{INK}">'
            f"<title>{escape(label)}</title>{escape(_short(label, 11))}</text>"
        )
        if value is None:
            parts.append(
                f'<text x="{x(0) + 4:.1f}" y="{y + 17}" font-size="11" fill="{MUTED}">—</text>'
            )
            continue
        start, end = sorted((x(0), x(float(value))))
        colour = BAR_NEGATIVE if value < 0 else BAR
        parts.append(
            f'<rect x="{start:.1f}" y="{y + 4}" width="{max(end - start, 1):.1f}" height="17" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{max(end, x(0)) + 4:.1f}" y="{y + 17}" font-size="11" fill="{INK}">{escape(text)}</text>'
        )
    if target is not None:
        tx, bottom = x(float(target)), top + row_h * len(items)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{bottom}" stroke="{TARGET}" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{tx:.1f}" y="{bottom + 14}" text-anchor="middle" font-size="11" '
            f'fill="{TARGET}">{escape(target_text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(points: Sequence[Item], *, width: int = 300, height: int = 160) -> Markup:
    """A line over fiscal years with each point's value written above it."""
    known = [v for _, v, _ in points if v is not None]
    if not known:
        return Markup("")
    lo, hi = _span(known, zero=False)
    pad = (hi - lo) * 0.15
    lo, hi = lo - pad, hi + pad
    left, right, top, bottom = 36, 36, 22, 38
    step = (width - left - right) / max(len(points) - 1, 1)

    def xy(i: int, value: Decimal) -> tuple[float, float]:
        return left + i * step, top + (hi - float(value)) / (hi - lo) * (height - top - bottom)

    coords = [(i, xy(i, v), text) for i, (_, v, text) in enumerate(points) if v is not None]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">',
        f'<line x1="{left - 10}" y1="{height - bottom}" x2="{width - right + 10}" y2="{height - bottom}" '
        f'stroke="{GRID}"/>',
        '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(
            BAR, " ".join(f"{px:.1f},{py:.1f}" for _, (px, py), _ in coords)
        ),
    ]
    for n, (_i, (px, py), text) in enumerate(coords):
        neighbours = [coords[j][1][1] for j in (n - 1, n + 1) if 0 <= j < len(coords)]
        below = bool(neighbours) and py > sum(neighbours) / len(neighbours)  # a dip: label under it
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{BAR}"/>')
        parts.append(
            f'<text x="{px:.1f}" y="{py + 16 if below else py - 8:.1f}" text-anchor="middle" '
            f'font-size="11" fill="{INK}">{escape(text)}</text>'
        )
    for i, (label, _, _) in enumerate(points):
        parts.append(
            f'<text x="{left + i * step:.1f}" y="{height - 6}" text-anchor="middle" font-size="11" '
            f'fill="{MUTED}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
