"""What changed between two runs, and whether data, specs, parameters or code caused it."""

from __future__ import annotations

import json
from typing import Any

from mieruka.core.ledger import canonical_json
from mieruka.core.project import Project


def _specs_by_id(project: Project, spec_hash: str) -> dict[str, str]:
    data = json.loads(project.store.spec(spec_hash))
    out = {}
    for section in ("indicators", "rules", "datasets"):
        for item in data.get(section, []):
            item = {k: v for k, v in item.items() if k not in ("source", "formula_line")}
            out[f"{section[:-1]}:{item['id']}"] = canonical_json(item)
    out["targets"] = canonical_json(
        sorted(
            canonical_json({k: v for k, v in t.items() if k != "source"})
            for t in data.get("targets", [])
        )
    )
    return out


def diff_runs(project: Project, run_a: int, run_b: int) -> dict[str, Any]:
    a, b = project.store.run(run_a), project.store.run(run_b)
    snaps_a, snaps_b = json.loads(a.snapshots), json.loads(b.snapshots)
    data_changes = sorted(
        d for d in snaps_a.keys() | snaps_b.keys() if snaps_a.get(d) != snaps_b.get(d)
    )
    spec_changes: list[str] = []
    if a.spec_hash != b.spec_hash:
        sa, sb = _specs_by_id(project, a.spec_hash), _specs_by_id(project, b.spec_hash)
        spec_changes = sorted(k for k in sa.keys() | sb.keys() if sa.get(k) != sb.get(k))
    params_a = {k: v for k, v in json.loads(a.params).items() if k != "skipped"}
    params_b = {k: v for k, v in json.loads(b.params).items() if k != "skipped"}
    param_changes = sorted(
        k for k in params_a.keys() | params_b.keys() if params_a.get(k) != params_b.get(k)
    )

    def keyed(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
        return {(r["indicator"], canonical_json(r["dims"])): r for r in rows}

    va, vb = keyed(project.store.values(a.id)), keyed(project.store.values(b.id))
    changed = []
    for key in sorted(va.keys() | vb.keys()):
        old, new = va.get(key, {}).get("value"), vb.get(key, {}).get("value")
        fp_old = (va.get(key, {}).get("fp_numerator"), va.get(key, {}).get("fp_denominator"))
        fp_new = (vb.get(key, {}).get("fp_numerator"), vb.get(key, {}).get("fp_denominator"))
        if old != new or fp_old != fp_new or (key in va) != (key in vb):
            changed.append(
                {
                    "indicator": key[0],
                    "dims": json.loads(key[1]),
                    "a": None if old is None else str(old),
                    "b": None if new is None else str(new),
                    "evidence_changed": fp_old != fp_new,
                }
            )
    ta = {
        (t["indicator"], canonical_json(t["dims"]), t["comparator"]): t["status"]
        for t in project.store.targets(a.id)
    }
    tb = {
        (t["indicator"], canonical_json(t["dims"]), t["comparator"]): t["status"]
        for t in project.store.targets(b.id)
    }
    status_changes = [
        {"indicator": k[0], "dims": json.loads(k[1]), "a": ta.get(k), "b": tb.get(k)}
        for k in sorted(ta.keys() | tb.keys())
        if ta.get(k) != tb.get(k)
    ]
    viol_a = {r["rule"]: 0 for r in project.store.violations(a.id)}
    for r in project.store.violations(a.id):
        viol_a[r["rule"]] += 1
    viol_b = {r["rule"]: 0 for r in project.store.violations(b.id)}
    for r in project.store.violations(b.id):
        viol_b[r["rule"]] += 1
    violation_changes = [
        {"rule": k, "a": viol_a.get(k, 0), "b": viol_b.get(k, 0)}
        for k in sorted(viol_a.keys() | viol_b.keys())
        if viol_a.get(k, 0) != viol_b.get(k, 0)
    ]
    causes = [
        c
        for c, present in (
            ("data", data_changes),
            ("specs", spec_changes),
            ("parameters", param_changes),
            ("code", a.code_version != b.code_version),
        )
        if present
    ]
    return {
        "a": a.id,
        "b": b.id,
        "causes": causes,
        "data_changes": data_changes,
        "spec_changes": spec_changes,
        "parameter_changes": param_changes,
        "code_versions": [a.code_version, b.code_version],
        "values": changed,
        "targets": status_changes,
        "violations": violation_changes,
    }
