"""A Benford chart as a self-contained SVG: observed shares as bars, Benford's as a line.

Hand-written SVG rather than a plotting library: the figure is simple, must render offline
in reports and browsers alike, and a dependency such as matplotlib would weigh more than
the whole pack.
"""

from __future__ import annotations

from html import escape

from mieruka.packs.icfr.benford import BAND_JA, BenfordResult, expected

W, H, PAD = 720, 360, 48


def benford_svg(result: BenfordResult, title: str) -> str:
    exp = expected(result.digits)
    digits = list(exp)
    n = max(result.n, 1)
    observed = {d: result.observed.get(d, 0) / n for d in digits}
    top = max([*exp.values(), *observed.values()]) * 1.1
    step = (W - 2 * PAD) / len(digits)

    def y(share: float) -> float:
        return H - PAD - share / top * (H - 2 * PAD)

    bars = [
        f'<rect class="obs" x="{PAD + i * step + step * 0.15:.1f}" y="{y(observed[d]):.1f}" '
        f'width="{step * 0.7:.1f}" height="{H - PAD - y(observed[d]):.1f}" fill="#4e79a7">'
        f"<title>{d}: {observed[d]:.4f} (Benford {exp[d]:.4f})</title></rect>"
        for i, d in enumerate(digits)
    ]
    line = " ".join(f"{PAD + (i + 0.5) * step:.1f},{y(exp[d]):.1f}" for i, d in enumerate(digits))
    every = 1 if len(digits) <= 9 else 10
    labels = [
        f'<text x="{PAD + (i + 0.5) * step:.1f}" y="{H - PAD + 16}" font-size="11" '
        f'text-anchor="middle">{d}</text>'
        for i, d in enumerate(digits)
        if (d % every == 0 or every == 1)
    ]
    caption = (f"n = {result.n:,}  MAD = {result.mad:.5f}（{BAND_JA[result.conformity]}）  "
               f"χ² = {result.chi_square:,.1f}, df = {result.df}, p = {result.p_value:.3g}")  # fmt: skip
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}" font-family="sans-serif">'
        f'<text x="{PAD}" y="22" font-size="15">{escape(title)}</text>'
        f'<text x="{PAD}" y="40" font-size="12">{escape(caption)}</text>'
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="#333"/>'
        + "".join(bars)
        + f'<polyline class="benford" points="{line}" fill="none" stroke="#e15759" '
        f'stroke-width="2"/>' + "".join(labels) + "</svg>"
    )
