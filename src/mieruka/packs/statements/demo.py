"""Demo data: a national university with a few thousand assets, borrowings and allowances.

Drawn with numpy's Generator and a fixed seed, so every demo build is the same university:
assets in every class and section bought over twenty years, disposals, a few impairments,
CSV files written to the workspace's data/ and loaded like any user's file. The schedules
for the last demo year are then written to reports/ (XLSX, HTML, PDF).
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from mieruka.core.datasets import load
from mieruka.core.project import Project

SIZES = {"small": 2_500, "medium": 10_000, "large": 40_000}
LAST_FY = 2025
# (section, class, share, useful life, typical cost in yen)
MIX: tuple[tuple[str, str, float, int | None, int], ...] = (
    ("specified", "建物", 0.05, 38, 300_000_000), ("specified", "構築物", 0.03, 20, 20_000_000),
    ("specified", "機械装置", 0.02, 10, 15_000_000), ("specified", "工具器具備品", 0.12, 6, 2_500_000),
    ("specified", "図書", 0.04, 5, 80_000), ("specified", "車両運搬具", 0.01, 5, 4_000_000),
    ("other", "建物", 0.03, 31, 150_000_000), ("other", "構築物", 0.02, 15, 10_000_000),
    ("other", "機械装置", 0.03, 8, 8_000_000), ("other", "工具器具備品", 0.30, 5, 1_200_000),
    ("other", "図書", 0.10, 5, 50_000), ("other", "船舶", 0.005, 12, 60_000_000),
    ("other", "車両運搬具", 0.02, 4, 3_000_000),
    ("non_depreciable", "土地", 0.02, None, 500_000_000),
    ("non_depreciable", "美術品・収蔵品", 0.03, None, 3_000_000),
    ("non_depreciable", "建設仮勘定", 0.01, None, 40_000_000),
    ("intangible_specified", "ソフトウェア", 0.04, 5, 6_000_000),
    ("intangible_other", "ソフトウェア", 0.1, 5, 1_500_000),
    ("intangible_other", "特許権", 0.03, 8, 700_000),
    ("intangible_other", "電話加入権", 0.01, None, 72_800),
    ("other_assets", "長期前払費用", 0.005, 5, 2_000_000),
)  # fmt: skip
FUNDING = ("facility_grant", "operating_grant", "own", "donation", "in_kind")


def _assets(rng: np.random.Generator, count: int) -> list[dict[str, Any]]:
    shares = np.array([m[2] for m in MIX], dtype=float)
    kinds = rng.choice(len(MIX), size=count, p=shares / shares.sum())
    first = date(LAST_FY - 19, 4, 1)
    span = (date(LAST_FY + 1, 3, 31) - first).days
    rows = []
    for i, k in enumerate(kinds):
        section, cls, _, life, typical = MIX[int(k)]
        acquired = first + timedelta(days=int(rng.integers(0, span + 1)))
        cost = max(int(rng.lognormal(np.log(typical), 0.6)), 10_000)
        disposed = None
        if life and rng.random() < 0.25:
            disposed = acquired + timedelta(days=int(rng.integers(180, life * 365 + 730)))
            disposed = disposed if disposed <= date(LAST_FY + 1, 3, 31) else None
        if cls == "建設仮勘定" and rng.random() < 0.6:  # most construction is transferred out
            disposed = acquired + timedelta(days=int(rng.integers(60, 700)))
            disposed = disposed if disposed <= date(LAST_FY + 1, 3, 31) else None
        row: dict[str, Any] = {
            "asset_id": f"FA{i + 1:06d}", "asset_class": cls, "section": section,
            "acquired_on": acquired.isoformat(), "cost": cost, "useful_life_years": life or "",
            "disposed_on": disposed.isoformat() if disposed else "",
            "impairment_in_pl": "", "impairment_outside_pl": "",
            "funding": FUNDING[int(rng.integers(0, len(FUNDING)))], "impaired_on": "",
        }  # fmt: skip
        if disposed is None and cls in ("建物", "土地", "ソフトウェア") and rng.random() < 0.03:
            # an asset bought in Jan-Mar 2026 belongs to FY2025: the last year it can be impaired
            year = int(rng.integers(min(max(acquired.year, LAST_FY - 3), LAST_FY), LAST_FY + 1))
            column = (
                "impairment_outside_pl" if section.endswith("specified") else "impairment_in_pl"
            )
            row[column] = int(cost * rng.uniform(0.05, 0.4))
            row["impaired_on"] = max(date(year + 1, 3, 31), acquired).isoformat()
        rows.append(row)
    return rows


def _roll(rng: np.random.Generator, names: list[str], scale: float, ins: list[str],
          outs: list[str]) -> list[dict[str, Any]]:  # fmt: skip
    rows = []
    for name in names:
        opening = int(rng.lognormal(np.log(scale), 0.8))
        row: dict[str, Any] = {"opening": opening}
        row.update({c: int(rng.uniform(0, 0.4) * opening) for c in ins + outs})
        row["closing"] = opening + sum(row[c] for c in ins) - sum(row[c] for c in outs)
        rows.append({"name": name, **row})
    return rows


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def demo_files(folder: Path, size: str) -> dict[str, Path]:
    rng = np.random.default_rng(20260401)
    count = SIZES.get(size, int(size) if size.isdigit() else SIZES["small"])
    lenders = ["独立行政法人大学改革支援・学位授与機構", "株式会社みえる銀行", "みえる信用金庫"]
    borrowings = _roll(rng, lenders, 2_000_000_000, ["increase"], ["decrease"])
    for i, row in enumerate(borrowings):
        row["lender"] = row.pop("name")
        row["current_portion"] = min(row["closing"], row["decrease"])
        row["avg_rate_pct"] = f"{0.3 + 0.25 * i:.3f}"
        row["due"] = f"{LAST_FY + 10 + 5 * i}年3月"
    allowances = _roll(rng, ["貸倒引当金", "退職給付引当金", "賞与引当金"], 150_000_000,
                       ["increase"], ["used", "reversed"])  # fmt: skip
    inventories = _roll(rng, ["医薬品", "診療材料", "貯蔵品"], 80_000_000,
                        ["purchased", "other_in"], ["issued", "other_out"])  # fmt: skip
    for row in inventories:
        row["kind"] = row.pop("name")
    return {
        "fixed_assets": _write(folder / "fixed_assets.csv", _assets(rng, count)),
        "borrowings": _write(folder / "borrowings.csv", borrowings),
        "allowances": _write(folder / "allowances.csv", allowances),
        "inventories": _write(folder / "inventories.csv", inventories),
    }


def demo(project: Project, size: str) -> None:
    """Write and load the university's registers, then its FY schedules under reports/."""
    from mieruka.core.period import Period
    from mieruka.packs.statements.build import write_schedules

    for dataset, path in demo_files(project.ws.root / "data", size).items():
        load(project, dataset, path)
    period = Period.for_fiscal_year(LAST_FY, project.ws.settings.fiscal_year_start_month)
    write_schedules(project, LAST_FY, period.start, period.end, project.ws.root / "reports")
