"""From loaded datasets to the schedules: the glue between snapshots, builder and exporters.

Reading goes through a `fetch(dataset) -> rows | None` callable so that the same code
serves a run (the evaluation engine's views) and the CLI or demo (the latest snapshots).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from mieruka.core.project import Project
from mieruka.packs.statements.depreciation import Asset
from mieruka.packs.statements.model import FixedAssetSchedule
from mieruka.packs.statements.others import TEMPLATES, SimpleSchedule, build_simple
from mieruka.packs.statements.schedule import build_schedule

Fetch = Callable[[str], list[dict[str, Any]] | None]


def asset_from_record(r: Mapping[str, Any]) -> Asset:
    return Asset(
        asset_id=str(r["asset_id"]),
        asset_class=str(r["asset_class"]),
        section=str(r["section"]),
        acquired_on=r["acquired_on"],
        cost=int(r["cost"]),
        useful_life_years=r.get("useful_life_years"),
        disposed_on=r.get("disposed_on"),
        impairment_in_pl=int(r.get("impairment_in_pl") or 0),
        impairment_outside_pl=int(r.get("impairment_outside_pl") or 0),
        impaired_on=r.get("impaired_on"),
    )


def snapshot_fetch(project: Project) -> Fetch:
    """Rows of each dataset's newest snapshot (None when the dataset was never loaded)."""
    latest = project.store.latest_snapshots()

    def fetch(dataset: str) -> list[dict[str, Any]] | None:
        record = latest.get(dataset)
        if record is None:
            return None
        path = project.snapshot_path(record.path)
        with duckdb.connect() as con:
            table = con.read_parquet(str(path)).to_arrow_table()
        return [{k: v for k, v in r.items() if k != "__row"} for r in table.to_pylist()]

    return fetch


def fixed_asset_schedule(fetch: Fetch, fy: int, start: date, end: date) -> FixedAssetSchedule:
    records = fetch("fixed_assets") or []
    return build_schedule((asset_from_record(r) for r in records), fy, start, end)


def other_schedules(fetch: Fetch) -> list[SimpleSchedule]:
    """(2), (8), (10) from their datasets; a dataset not loaded is a schedule with no lines."""
    return [build_simple(t, fetch(name) or []) for name, t in TEMPLATES.items()]


def write_schedules(
    project: Project, fy: int, start: date, end: date, folder: Path, pdf: bool = True
) -> list[Path]:
    """statements_FY.xlsx, .html and (with `pdf`) .pdf in `folder`."""
    from mieruka.packs.statements.export_html import render_html
    from mieruka.packs.statements.export_xlsx import write_xlsx
    from mieruka.render.pdf import write_pdf

    fetch = snapshot_fetch(project)
    fixed = fixed_asset_schedule(fetch, fy, start, end)
    others = other_schedules(fetch)
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"statements_{fy}"
    paths = [write_xlsx(stem.with_suffix(".xlsx"), fixed, others)]
    html = render_html(fixed, others, project.ws.settings.organisation)
    stem.with_suffix(".html").write_text(html, encoding="utf-8")
    paths.append(stem.with_suffix(".html"))
    if pdf:
        write_pdf(html, stem.with_suffix(".pdf"))
        paths.append(stem.with_suffix(".pdf"))
    return paths
