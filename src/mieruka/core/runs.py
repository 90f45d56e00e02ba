"""Starting a run and reading it back: the ledger entry is written in one transaction."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mieruka import __version__
from mieruka.core.aggregate import FINGERPRINT
from mieruka.core.engine import EngineFactory, engine_factory
from mieruka.core.evaluate import Evaluation, Progress, evaluate
from mieruka.core.issues import Issue, MierukaError
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.core.specset import SpecSet
from mieruka.core.store import RunRecord


def snapshot_paths(project: Project, hashes: dict[str, str]) -> dict[str, Path]:
    paths = {}
    for dataset, digest in hashes.items():
        record = project.store.find_snapshot(dataset, digest)
        if record is None:
            raise MierukaError(
                Issue(f"snapshot {digest[:12]} of dataset '{dataset}' is not in the store")
            )
        paths[dataset] = project.snapshot_path(record.path)
    return paths


def current_snapshots(project: Project) -> dict[str, str]:
    return {d: rec.hash for d, rec in sorted(project.store.latest_snapshots().items())}


def project_engine(project: Project) -> EngineFactory:
    """The engine the workspace's `engine` (and `spark_master`) settings name."""
    settings = project.ws.settings
    return engine_factory(
        settings.engine,
        settings.spark_master,
        memory_limit=settings.memory_limit,
        temp_directory=project.ws.spill_dir,
    )


def compute(
    project: Project,
    specs: SpecSet,
    hashes: dict[str, str],
    period: Period,
    progress: Progress | None = None,
    *,
    keyed: bool = False,
) -> Evaluation:
    """Evaluate; `keyed` lets formulas read the keyed copies of snapshots in the workspace's
    cache (runs do; `verify` re-computes from the snapshots alone)."""
    return evaluate(
        specs,
        snapshot_paths(project, hashes),
        period,
        functions=project.functions,
        options=project.options,
        progress=progress,
        engine=project_engine(project),
        keyed_cache=project.ws.cache_dir / "keyed" if keyed else None,
    )


def start_run(
    project: Project, period: Period, *, progress: Progress | None = None, note: str | None = None
) -> RunRecord:
    """Evaluate everything for the period and append the run to the ledger.

    A run for the same period as an earlier one supersedes it; the earlier run is kept.
    """
    specs = project.specs
    hashes = current_snapshots(project)
    result = compute(project, specs, hashes, period, progress, keyed=True)
    params: dict[str, Any] = {
        **period.to_json(),
        "options": project.options,
        "skipped": result.skipped,
        "fingerprint": FINGERPRINT,
    }
    same_period = {"fy": period.fiscal_year, "as_of": period.as_of.isoformat()}
    previous = [
        r
        for r in project.store.runs()
        if {k: r.params_dict().get(k) for k in same_period} == same_period
    ]
    project.store.save_spec(specs.hash, specs.to_json())
    return project.store.append_run(
        fiscal_year=period.fiscal_year,
        as_of=period.as_of,
        params=params,
        spec_hash=specs.hash,
        snapshots=hashes,
        code_version=__version__,
        values=result.values,
        targets=result.targets,
        violations=result.violations,
        supersedes=previous[-1].id if previous else None,
        note=note,
    )


def run_specs(project: Project, run: RunRecord) -> SpecSet:
    """The specs exactly as the run used them (from the store, not from today's files)."""
    return SpecSet.from_json(project.store.spec(run.spec_hash), functions=project.functions)


def run_period(run: RunRecord) -> Period:
    return Period.from_json(json.loads(run.params))


def run_summary(project: Project, run: RunRecord) -> dict[str, Any]:
    targets = project.store.targets(run.id)
    counts: dict[str, int] = {}
    for t in targets:
        counts[t["status"]] = counts.get(t["status"], 0) + 1
    violations = project.store.violations(run.id)
    return {
        "id": run.id,
        "created_at": run.created_at.isoformat(),
        "fiscal_year": run.fiscal_year,
        "as_of": run.as_of.isoformat() if run.as_of else None,
        "spec_hash": run.spec_hash,
        "snapshots": json.loads(run.snapshots),
        "code_version": run.code_version,
        "results_hash": run.results_hash,
        "prev_hash": run.prev_hash,
        "run_hash": run.run_hash,
        "supersedes": run.supersedes,
        "targets": counts,
        "violations": len(violations),
        "skipped": json.loads(run.params).get("skipped", {}),
    }
