"""Loading a file into an immutable, content-addressed snapshot — all or nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mieruka.core.issues import Issue, MierukaError
from mieruka.core.ledger import canonical_json
from mieruka.core.loader import load_file
from mieruka.core.project import Project
from mieruka.core.store import SnapshotRecord


@dataclass(frozen=True)
class LoadOutcome:
    snapshot: SnapshotRecord
    created: bool  # False when identical content was already stored
    made_current: bool = True  # False only when the identical content was already current


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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
        existing = project.store.find_snapshot(dataset, typed.sha256)
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
                canonical_json(schema.model_dump(mode="json")),
                str(source),
                typed.source_sha256,
                str(relative),
            )
        except Exception:
            if not was_there:
                final.unlink(missing_ok=True)
            raise
        return LoadOutcome(record, created=True)
