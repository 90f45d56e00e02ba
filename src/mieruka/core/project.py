"""A workspace opened for work: its settings, store, installed packs and specs, loaded lazily."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from mieruka.core.issues import Issue, MierukaError, did_you_mean
from mieruka.core.registry import DatasetCheck, Pack, installed_pack_names, installed_packs
from mieruka.core.schema import DatasetSchema
from mieruka.core.specs import SpecFile, parse_spec_text
from mieruka.core.specset import SpecSet, load_specs
from mieruka.core.store import Store
from mieruka.core.workspace import Workspace, open_workspace


class Project:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    @classmethod
    def open(cls, start: Path | None = None) -> Project:
        return cls(open_workspace(start))

    @cached_property
    def store(self) -> Store:
        return Store(self.ws.store_url)

    @cached_property
    def packs(self) -> list[Pack]:
        """The installed packs this workspace uses (`enabled_packs` in mieruka.toml; all by default)."""
        wanted = self.ws.settings.enabled_packs
        if wanted is None:
            return installed_packs()
        names = installed_pack_names()
        unknown = [w for w in wanted if w not in names]
        if unknown:
            raise MierukaError(
                Issue(
                    f"enabled_packs names pack(s) that are not installed: {', '.join(unknown)}"
                    + did_you_mean(unknown[0], names),
                    file=str(self.ws.root / "mieruka.toml"),
                    expected=", ".join(names) or "no packs installed",
                )
            )
        return installed_packs(only=set(wanted))

    @cached_property
    def specs(self) -> SpecSet:
        return load_specs(self.ws.specs_dir, self.packs)

    @property
    def functions(self) -> dict[str, Any]:
        return {name: fn for pack in self.packs for name, fn in pack.functions.items()}

    @property
    def options(self) -> dict[str, dict[str, Any]]:
        return {pack.name: self.ws.pack_options(pack.name) for pack in self.packs}

    def dataset_schemas(self) -> dict[str, DatasetSchema]:
        """Datasets from packs and from the workspace's spec files (shape-checked only), so
        that data can be loaded while an indicator elsewhere still has a mistake."""
        found: dict[str, DatasetSchema] = {}
        for pack in self.packs:
            found.update({d.id: d for d in pack.datasets})
        if self.ws.specs_dir.is_dir():
            for path in sorted(self.ws.specs_dir.glob("*.y*ml")):
                text = path.read_text(encoding="utf-8")
                if "datasets" not in text:
                    continue
                spec: SpecFile = parse_spec_text(text, str(path.relative_to(self.ws.root)))
                found.update({d.id: d for d in spec.datasets})
        return found

    def schema(self, dataset: str) -> DatasetSchema:
        schemas = self.dataset_schemas()
        if dataset not in schemas:
            known = ", ".join(sorted(schemas)) or "none (declare them in specs/datasets.yaml)"
            raise MierukaError(
                Issue(
                    f"unknown dataset '{dataset}'{did_you_mean(dataset, schemas)}",
                    expected=known,
                    found=dataset,
                )
            )
        return schemas[dataset]

    def checks(self, dataset: str) -> list[DatasetCheck]:
        return [check for pack in self.packs for check in pack.checks.get(dataset, ())]

    def snapshot_path(self, relative: str) -> Path:
        return self.ws.root / relative

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()
