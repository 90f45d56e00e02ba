"""Loading a file into an immutable, content-addressed snapshot — all or nothing.

A snapshot is stored under the sha256 of its Parquet bytes, which runs record and `verify`
checks. Loading content that is already stored is a no-op (or makes that snapshot current
again): the same bytes are found by their hash; the same rows written as other bytes (the
loader's parallel writer does not always cut row groups alike) are found by comparing the
content with each stored version of the dataset that has as many rows and the same schema
(`content.same_content`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mieruka.core.content import same_content
from mieruka.core.issues import Issue, MierukaError
from mieruka.core.ledger import canonical_json
from mieruka.core.loader import TypedFile, load_file
from mieruka.core.project import Project
from mieruka.core.store import SnapshotRecord


@dataclass(frozen=True)
class LoadOutcome:
    snapshot: SnapshotRecord
    created: bool  # False when identical content was already stored
    made_current: bool = True  # False only when the identical content was already current


def load(
    project: Project,
    dataset: str,
    source: Path,
    *,
    sheet: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadOutcome:
    schema = project.schema(dataset)
    if not source.is_file():
        raise MierukaError(Issue("no such file", file=str(source)))
    project.ws.snapshots_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=project.ws.private, prefix="load-") as tmp:
        typed = load_file(
            schema,
            source,
            Path(tmp) / "data.parquet",
            sheet=sheet,
            extra_checks=project.checks(dataset),
            progress=progress,
            memory_limit=project.ws.settings.memory_limit,
        )
        schema_json = canonical_json(schema.model_dump(mode="json"))
        existing = project.store.find_snapshot(dataset, typed.sha256) or _stored_content(
            project, dataset, schema_json, typed, Path(tmp)
        )
        if existing is not None:
            current = project.store.latest_snapshots().get(dataset)
            if current is not None and current.hash == existing.hash:
                return LoadOutcome(existing, created=False, made_current=False)
            # older content loaded again: it becomes current; the stored Parquet is reused
            project.store.record_load(dataset, existing.hash, str(source), typed.source_sha256)
            return LoadOutcome(existing, created=False)
        relative = Path(".mieruka") / "snapshots" / dataset / f"{typed.sha256}.parquet"
        final = project.ws.root / relative
        final.parent.mkdir(parents=True, exist_ok=True)
        was_there = final.exists()
        shutil.move(str(typed.parquet), str(final))
        os.chmod(final, 0o444)
        try:
            record = project.store.add_snapshot(
                dataset,
                typed.sha256,
                typed.rows,
                schema_json,
                str(source),
                typed.source_sha256,
                str(relative),
            )
        except Exception:
            if not was_there:
                final.unlink(missing_ok=True)
            raise
        return LoadOutcome(record, created=True)


def _stored_content(
    project: Project, dataset: str, schema_json: str, typed: TypedFile, spill: Path
) -> SnapshotRecord | None:
    """The stored snapshot of `dataset` holding the same content as `typed`, if any."""
    limit = project.ws.settings.memory_limit
    for record in project.store.snapshots(dataset):
        if record.rows != typed.rows or record.schema_json != schema_json:
            continue
        stored = project.snapshot_path(record.path)
        if stored.is_file() and same_content(
            typed.parquet, stored, memory_limit=limit, temp_directory=spill
        ):
            return record
    return None
