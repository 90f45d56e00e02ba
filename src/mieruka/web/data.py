"""What the pages and the JSON API show, read from stored runs (never re-computed here).

Runs are immutable, so what is read of a run (its values, targets, specs) is cached by run
id or spec hash for the life of the process; a new run is a new key. The list of runs is
read again only when the newest run (id and hash, looked up on every request) has changed.
Numbers stay exact decimal text; the pages format them, the API returns them as stored.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from decimal import Decimal
from typing import Any

from mieruka.core.project import Project
from mieruka.core.runs import run_summary
from mieruka.core.store import RunRecord

TREND_YEARS = 5
STATUS_ORDER = ("missed", "no_data", "met", "no_target")


class NotFound(LookupError):
    """A run, indicator, dimension or member that does not exist (HTTP 404)."""


class _Cache:
    def __init__(self, size: int = 256) -> None:
        self.size, self.items, self.lock = size, OrderedDict[Any, Any](), threading.Lock()

    def get(self, key: Any, make: Any) -> Any:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


def _dims_key(dims: dict[str, Any]) -> str:
    return json.dumps(dims, sort_keys=True, ensure_ascii=False)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def worst(statuses: list[str]) -> str:
    return min(statuses, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else 0)


class Dashboard:
    """Read access to one workspace's store, shaped for the dashboard."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.store = project.store
        self._cache = _Cache()
        self._runs: tuple[tuple[int, str] | None, list[RunRecord]] = (None, [])
        self._runs_lock = threading.Lock()

    # --- runs -----------------------------------------------------------------------------

    def newest(self) -> tuple[int, str] | None:
        """(id, run hash) of the last run appended (`Store.newest_run_key`)."""
        return self.store.newest_run_key()

    def ledger(self) -> tuple[tuple[int, str] | None, list[RunRecord]]:
        """(`newest()`, all runs oldest first); the runs are read again only when a run has
        been appended."""
        newest = self.newest()
        with self._runs_lock:
            if newest is not None and self._runs[0] == newest:
                return newest, list(self._runs[1])
        if newest is None:
            return None, []
        # a run appended since `newest` was read waits for the next request, so what is
        # shown always matches the key it may be cached under
        runs = [r for r in self.store.runs() if r.id <= newest[0]]
        if runs and (runs[-1].id, runs[-1].run_hash) == newest:
            with self._runs_lock:
                self._runs = (newest, runs)
        return newest, list(runs)

    def runs(self) -> list[RunRecord]:
        return self.ledger()[1]

    def run(self, run_id: int | None, runs: list[RunRecord] | None = None) -> RunRecord:
        """Run `run_id`, or the newest run of the latest fiscal year."""
        runs = self.runs() if runs is None else runs
        if run_id is not None:
            found = [r for r in runs if r.id == run_id]
            if not found:
                raise NotFound(f"no run {run_id}")
            return found[0]
        if not runs:
            raise NotFound("no runs yet")
        return max(runs, key=lambda r: (r.fiscal_year or 0, r.id))

    def summary(self, run: RunRecord) -> dict[str, Any]:
        return dict(self._cache.get(("summary", run.id), lambda: run_summary(self.project, run)))

    def spec(self, run: RunRecord) -> dict[str, Any]:
        loaded: dict[str, Any] = self._cache.get(
            ("spec", run.spec_hash), lambda: json.loads(self.store.spec(run.spec_hash))
        )
        return loaded

    def values(self, run_id: int) -> dict[tuple[str, str], dict[str, Any]]:
        def make() -> dict[tuple[str, str], dict[str, Any]]:
            return {(v["indicator"], _dims_key(v["dims"])): v for v in self.store.values(run_id)}

        found: dict[tuple[str, str], dict[str, Any]] = self._cache.get(("values", run_id), make)
        return found

    def targets(self, run_id: int) -> dict[tuple[str, str], list[dict[str, Any]]]:
        def make() -> dict[tuple[str, str], list[dict[str, Any]]]:
            out: dict[tuple[str, str], list[dict[str, Any]]] = {}
            for t in self.store.targets(run_id):
                out.setdefault((t["indicator"], _dims_key(t["dims"])), []).append(t)
            return out

        found: dict[tuple[str, str], list[dict[str, Any]]] = self._cache.get(
            ("targets", run_id), make
        )
        return found

    def year_runs(self, upto: RunRecord) -> list[tuple[int, int]]:
        """(fiscal year, run id): the latest run of each consecutive year up to `upto`'s."""
        latest: dict[int, int] = {}
        for r in self.runs():
            if r.id <= upto.id and r.fiscal_year is not None:
                latest[r.fiscal_year] = max(latest.get(r.fiscal_year, 0), r.id)
        fy = upto.fiscal_year or 0
        latest[fy] = upto.id
        years = [fy]
        while len(years) < TREND_YEARS and years[0] - 1 in latest:
            years.insert(0, years[0] - 1)
        return [(y, latest[y]) for y in years]

    # --- figures --------------------------------------------------------------------------

    def indicator_spec(self, run: RunRecord, indicator: str) -> dict[str, Any]:
        for ind in self.spec(run)["indicators"]:
            if ind["id"] == indicator:
                return dict(ind)
        raise NotFound(f"run {run.id} has no indicator '{indicator}'")

    def figure(self, run_id: int, indicator: str, dims: dict[str, str]) -> dict[str, Any]:
        key = (indicator, _dims_key(dims))
        value = self.values(run_id).get(key)
        targets = self.targets(run_id).get(key, [])
        statuses = [t["status"] for t in targets]
        raw = value["value"] if value else None
        return {
            "dims": dims,
            "value": _text(raw),
            "numerator": _text(value["numerator"]) if value else None,
            "denominator": _text(value["denominator"]) if value else None,
            "rows": value["rows"] if value else None,
            "targets": [
                {"comparator": t["comparator"], "target": _text(t["target"]), "status": t["status"]}
                for t in targets
            ],
            "status": worst(statuses or ["no_data" if raw is None else "no_target"]),
            "exists": value is not None,
        }

    def breakdown_keys(self, run_id: int) -> dict[str, list[tuple[str, str, dict[str, str]]]]:
        """(dimension, member, dims) of each one-dimension value of the run, by indicator,
        in the stored order (read once per run rather than decoding every key per page)."""

        def make() -> dict[str, list[tuple[str, str, dict[str, str]]]]:
            found: dict[str, list[tuple[str, str, dict[str, str]]]] = {}
            for ind_id, dims_text in self.values(run_id):
                dims = json.loads(dims_text)
                if len(dims) == 1:
                    (dim, member), *_ = dims.items()
                    found.setdefault(ind_id, []).append((dim, str(member), dims))
            return found

        keys: dict[str, list[tuple[str, str, dict[str, str]]]] = self._cache.get(
            ("breakdown_keys", run_id), make
        )
        return keys

    def dimension_members(self, run: RunRecord) -> dict[str, list[str]]:
        """Every dimension with a breakdown in the run, and its members (for the filter)."""

        def make() -> dict[str, list[str]]:
            found: dict[str, set[str]] = {}
            for _, dims_text in self.values(run.id):
                dims = json.loads(dims_text)
                if len(dims) == 1:
                    (dim, member), *_ = dims.items()
                    found.setdefault(dim, set()).add(str(member))
            return {d: sorted(m) for d, m in sorted(found.items())}

        members: dict[str, list[str]] = self._cache.get(("members", run.id), make)
        return {d: list(m) for d, m in members.items()}

    def overview(
        self, run: RunRecord, dim: str | None = None, member: str | None = None
    ) -> dict[str, Any]:
        members = self.dimension_members(run)
        dims: dict[str, str] = {}
        if dim:
            if dim not in members or member not in members[dim]:
                raise NotFound(f"no breakdown {dim}={member} in run {run.id}")
            dims = {dim: str(member)}
        years = self.year_runs(run)
        skipped = self.summary(run).get("skipped", {})
        groups: dict[str, list[dict[str, Any]]] = {}
        for ind in self.spec(run)["indicators"]:
            if dims and dim not in ind.get("by", []):
                continue
            figure = self.figure(run.id, ind["id"], dims)
            trend = [
                {"fy": y, "run": rid, "value": self.figure(rid, ind["id"], dims)["value"]}
                for y, rid in years
            ]
            groups.setdefault(ind.get("pack") or "", []).append(
                {
                    "id": ind["id"],
                    "label": ind.get("label") or {},
                    "unit": ind.get("unit", "number"),
                    "spec": ind,
                    **figure,
                    "skipped": skipped.get(ind["id"]),
                    "trend": trend,
                }
            )
        return {
            "run": self.summary(run),
            "filter": dims,
            "dimensions": members,
            "groups": [{"pack": p, "indicators": groups[p]} for p in sorted(groups)],
        }

    def indicator(self, run: RunRecord, indicator: str) -> dict[str, Any]:
        ind = self.indicator_spec(run, indicator)
        series = [
            {"fy": y, "run": rid, **self.figure(rid, indicator, {})}
            for y, rid in self.year_runs(run)
        ]
        breakdowns: dict[str, list[dict[str, Any]]] = {}
        for dim, member, dims in self.breakdown_keys(run.id).get(indicator, []):
            breakdowns.setdefault(dim, []).append(
                {"member": member, **self.figure(run.id, indicator, dict(dims))}
            )
        for rows in breakdowns.values():
            rows.sort(key=lambda r: r["member"])
        order = [d for d in ind.get("by", []) if d in breakdowns]
        order += sorted(set(breakdowns) - set(order))
        return {
            "run": self.summary(run),
            "id": indicator,
            "label": ind.get("label") or {},
            "unit": ind.get("unit", "number"),
            "aggregate": ind.get("aggregate"),
            "method": ind.get("method") or {},
            "by": list(ind.get("by", [])),
            "spec": ind,
            "figure": self.figure(run.id, indicator, {}),
            "series": series,
            "breakdowns": [{"dim": d, "rows": breakdowns[d]} for d in order],
        }

    # --- datasets -------------------------------------------------------------------------

    def datasets(self) -> list[dict[str, Any]]:
        out = []
        for s in reversed(self.store.snapshots()):
            schema = json.loads(s.schema_json) if s.schema_json else {}
            out.append(
                {
                    "id": s.id,
                    "dataset": s.dataset,
                    "hash": s.hash,
                    "rows": s.rows,
                    "source_file": s.source_file,
                    "loaded_at": s.loaded_at.isoformat(),
                    "columns": [
                        {
                            "name": c.get("name"),
                            "type": c.get("type"),
                            "required": bool(c.get("required")),
                        }
                        for c in schema.get("columns", [])
                    ],
                }
            )
        return out


def as_decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
