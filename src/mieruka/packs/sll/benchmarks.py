"""National benchmarks for SPT calibration: the pack's `benchmarks.yaml` and the user's own.

A benchmark applies to a loan KPI when its `kpis` list names the KPI's id or the
indicator that feeds it. Figures are kept with their year and source, because the SLLP
reviewer must say what the SPT was compared with.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from mieruka.core.issues import Issue, MierukaError
from mieruka.core.schema import Labels
from mieruka.packs.sll.model import Kpi

BUNDLED = Path(__file__).with_name("benchmarks.yaml")


class Benchmark(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    kpis: tuple[str, ...]
    label: Labels
    value: Decimal
    unit: str = "pct"
    year: int
    source: Labels


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    benchmarks: tuple[Benchmark, ...] = ()


def load_benchmarks(path: Path = BUNDLED) -> list[Benchmark]:
    """Read a benchmarks file; a malformed one is an error naming the file and the entry."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise MierukaError(Issue(f"cannot read benchmarks: {exc}", file=str(path))) from exc
    try:
        return list(_File.model_validate(data).benchmarks)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise MierukaError(
            Issue(
                f"benchmarks: {where}: {first['msg']}",
                file=str(path),
                expected="benchmarks: [{kpis, label, value, unit, year, source}]",
                found=repr(first.get("input"))[:80],
            )
        ) from exc


def for_kpi(benchmarks: list[Benchmark], kpi: Kpi) -> list[Benchmark]:
    names = {kpi.kpi_id, *([kpi.indicator] if kpi.indicator else [])}
    return [b for b in benchmarks if names & set(b.kpis)]
