"""Re-compute runs from their stored snapshots and specs, and check every hash.

`verify` finds: a stored result changed in place (results hash), a run header changed or
the chain broken (run hash, previous-run links), a snapshot file altered or missing
(content hash), a stored spec altered (spec hash), and figures that no longer follow from
the inputs (re-computation). Each finding names the run and where.
"""

from __future__ import annotations

import json
from typing import Any

from mieruka import __version__
from mieruka.core.aggregate import FINGERPRINT
from mieruka.core.issues import Issue, MierukaError
from mieruka.core.ledger import (
    canonical_json,
    normalize_targets,
    normalize_values,
    normalize_violations,
    sha256_hex,
)
from mieruka.core.loader import sha256_file
from mieruka.core.project import Project
from mieruka.core.runs import compute, run_period, run_specs
from mieruka.core.store import RunRecord


def verify(project: Project, run_id: int | None = None) -> tuple[list[Issue], list[str]]:
    """(problems, notes). No problems means every checked run re-computes identically."""
    problems = list(project.store.verify_chain())
    notes: list[str] = []
    runs = [project.store.run(run_id)] if run_id is not None else project.store.runs()
    for run in runs:
        problems.extend(_verify_run(project, run, notes))
    return problems, notes


def _verify_run(project: Project, run: RunRecord, notes: list[str]) -> list[Issue]:
    issues: list[Issue] = []
    tag = f"run {run.id}"
    for dataset, digest in json.loads(run.snapshots).items():
        record = project.store.find_snapshot(dataset, digest)
        if record is None:
            issues.append(
                Issue(f"{tag}: snapshot {digest[:12]} of '{dataset}' is missing from the store")
            )
            continue
        path = project.snapshot_path(record.path)
        if not path.exists():
            issues.append(Issue(f"{tag}: snapshot file of '{dataset}' is missing", file=str(path)))
        elif (actual := sha256_file(path)) != digest:
            issues.append(
                Issue(
                    f"{tag}: snapshot of '{dataset}' was altered",
                    file=str(path),
                    expected=digest,
                    found=actual,
                )
            )
    try:
        text = project.store.spec(run.spec_hash)
    except MierukaError as exc:
        return [*issues, Issue(f"{tag}: {exc}")]
    if sha256_hex(text) != run.spec_hash:
        issues.append(
            Issue(
                f"{tag}: stored specs were altered", expected=run.spec_hash, found=sha256_hex(text)
            )
        )
    if issues:
        return issues
    if run.code_version != __version__:
        notes.append(f"{tag}: computed by mieruka {run.code_version}, re-computed by {__version__}")
    made = run.params_dict().get("fingerprint")
    if made and made != FINGERPRINT:
        notes.append(f"{tag}: fingerprints made as '{made}', re-computed as '{FINGERPRINT}'")
    result = compute(project, run_specs(project, run), json.loads(run.snapshots), run_period(run))
    store = project.store
    issues.extend(
        _compare(
            tag,
            "value",
            normalize_values(store.values(run.id)),
            normalize_values(result.values),
            ("indicator", "dims"),
        )
    )
    issues.extend(
        _compare(
            tag,
            "target",
            normalize_targets(store.targets(run.id)),
            normalize_targets(result.targets),
            ("indicator", "dims", "comparator"),
        )
    )
    issues.extend(
        _compare(
            tag,
            "violation",
            normalize_violations(store.violations(run.id)),
            normalize_violations(result.violations),
            ("rule", "seq"),
        )
    )
    return issues


def _compare(
    tag: str,
    kind: str,
    stored: list[dict[str, Any]],
    fresh: list[dict[str, Any]],
    key: tuple[str, ...],
) -> list[Issue]:
    def index(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        return {canonical_json([r[k] for k in key]): r for r in rows}

    a, b = index(stored), index(fresh)
    issues = []
    for k in sorted(a.keys() | b.keys()):
        where = " ".join(str(v) for v in json.loads(k))
        if k not in b:
            issues.append(Issue(f"{tag}: stored {kind} {where} is not produced by re-computation"))
        elif k not in a:
            issues.append(
                Issue(f"{tag}: re-computation produces a {kind} {where} that is not stored")
            )
        elif canonical_json(a[k]) != canonical_json(b[k]):
            fields = [f for f in b[k] if canonical_json(a[k].get(f)) != canonical_json(b[k][f])]
            issues.append(
                Issue(
                    f"{tag}: {kind} {where} differs in {', '.join(fields)}",
                    expected=canonical_json({f: b[k][f] for f in fields}),
                    found=canonical_json({f: a[k].get(f) for f in fields}),
                )
            )
    return issues
