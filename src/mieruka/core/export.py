"""A run as a document (JSON) or as tables (CSV), for verifiers and other tools."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, TextIO

from mieruka.core.project import Project
from mieruka.core.runs import run_summary


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (None if v is None else str(v))
        if k in ("value", "numerator", "denominator", "target")
        else v
        for k, v in row.items()
    }


def run_document(project: Project, run_id: int) -> dict[str, Any]:
    record = project.store.run(run_id)
    return {
        "run": run_summary(project, record),
        "values": [_plain(v) for v in project.store.values(run_id)],
        "targets": [_plain(t) for t in project.store.targets(run_id)],
        "violations": project.store.violations(run_id),
    }


def _write(handle: TextIO, rows: list[dict[str, Any]], columns: list[str]) -> None:
    writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v
                for k, v in row.items()
            }
        )


VALUE_COLUMNS = [
    "indicator",
    "dims",
    "value",
    "unit",
    "numerator",
    "denominator",
    "rows",
    "fp_numerator",
    "fp_denominator",
]
TARGET_COLUMNS = ["indicator", "dims", "comparator", "target", "value", "status"]
VIOLATION_COLUMNS = ["rule", "seq", "severity", "key", "row"]


def write_csv(
    project: Project, run_id: int, folder: Path | None, values_to: TextIO | None = None
) -> list[Path]:
    """values.csv, targets.csv and violations.csv in `folder` (UTF-8 with BOM, so Excel reads it)."""
    doc = run_document(project, run_id)
    if folder is None:
        assert values_to is not None
        _write(values_to, doc["values"], VALUE_COLUMNS)
        return []
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows, columns in (
        ("values", doc["values"], VALUE_COLUMNS),
        ("targets", doc["targets"], TARGET_COLUMNS),
        ("violations", doc["violations"], VIOLATION_COLUMNS),
    ):
        path = folder / f"run{run_id}_{name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            _write(handle, rows, columns)
        written.append(path)
    return written
