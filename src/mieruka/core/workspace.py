"""A workspace is a folder: `mieruka.toml`, the user's `specs/`, and a private `.mieruka/`.

`.mieruka/` holds the content-addressed snapshots and, by default, the embedded SQLite
store. Everything a run needs is found from the workspace folder.
"""

from __future__ import annotations

import re
import tomllib
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mieruka.core.issues import Issue, MierukaError, did_you_mean

CONFIG_FILE = "mieruka.toml"
PRIVATE_DIR = ".mieruka"
DEFAULT_STORE = "sqlite:///.mieruka/store.sqlite"
_MEMORY = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)
ENGINES = ("duckdb", "spark")
KNOWN_KEYS = {
    "organisation",
    "fiscal_year_start_month",
    "store_url",
    "engine",
    "spark_master",
    "memory_limit",
    "language",
    "enabled_packs",
    "packs",
}

TEMPLATE = """\
# mieruka workspace settings
organisation = {organisation!r}
# month in which the fiscal year starts (4 = April, the Japanese default)
fiscal_year_start_month = {start_month}
# where runs are kept: the embedded SQLite file, or postgresql://user@host:5432/db
store_url = {store_url!r}
# engine that evaluates SQL formulas: "duckdb" (default) or "spark"
engine = {engine!r}
# memory DuckDB may use in a run before it spills to .mieruka/tmp (default: 80% of RAM)
# memory_limit = "3GB"
# language of labels in the CLI and reports: "ja" or "en"
language = "ja"
{enabled}
# options of each pack go under [packs.<name>]
"""


@dataclass(frozen=True)
class Settings:
    organisation: str = "Example Organisation"
    fiscal_year_start_month: int = 4
    store_url: str = DEFAULT_STORE
    engine: str = "duckdb"
    spark_master: str | None = None  # Spark master URL; None: local[2]
    memory_limit: str | None = None  # DuckDB's memory_limit for runs, e.g. "3GB"
    language: str = "ja"
    packs: dict[str, dict[str, Any]] = field(default_factory=dict)
    enabled_packs: tuple[str, ...] | None = None  # None: every installed pack


@dataclass(frozen=True)
class Workspace:
    root: Path
    settings: Settings

    @property
    def private(self) -> Path:
        return self.root / PRIVATE_DIR

    @property
    def specs_dir(self) -> Path:
        return self.root / "specs"

    @property
    def snapshots_dir(self) -> Path:
        return self.private / "snapshots"

    @property
    def cache_dir(self) -> Path:
        """Derived data (keyed copies of snapshots): safe to delete, rebuilt when needed."""
        return self.private / "cache"

    @property
    def spill_dir(self) -> Path:
        """Where DuckDB spills what exceeds `memory_limit` during a run (temporary files)."""
        return self.private / "tmp"

    @property
    def store_url(self) -> str:
        """The store URL with a relative SQLite path resolved against the workspace."""
        url = self.settings.store_url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/"):
            return prefix + str((self.root / url[len(prefix) :]).resolve())
        return url

    def pack_options(self, pack: str) -> dict[str, Any]:
        return dict(self.settings.packs.get(pack, {}))


def init_workspace(
    directory: Path,
    *,
    organisation: str = "Example Organisation",
    start_month: int = 4,
    store_url: str = DEFAULT_STORE,
    engine: str = "duckdb",
    enabled_packs: list[str] | None = None,
) -> Workspace:
    """Create a workspace; refuses to overwrite an existing `mieruka.toml`."""
    directory = directory.resolve()
    config = directory / CONFIG_FILE
    if config.exists():
        raise MierukaError(Issue("a workspace already exists here", file=str(config)))
    if not 1 <= start_month <= 12:
        raise MierukaError(
            Issue("invalid fiscal-year start month", expected="1..12", found=str(start_month))
        )
    if engine not in ENGINES:
        raise MierukaError(Issue("unknown engine", expected=" or ".join(ENGINES), found=engine))
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "specs").mkdir(exist_ok=True)
    (directory / PRIVATE_DIR / "snapshots").mkdir(parents=True, exist_ok=True)
    (directory / PRIVATE_DIR / ".gitignore").write_text("*\n", encoding="utf-8")
    config.write_text(
        TEMPLATE.format(
            organisation=organisation,
            start_month=start_month,
            store_url=store_url,
            engine=engine,
            enabled=_enabled_line(enabled_packs),
        ),
        encoding="utf-8",
    )
    return open_workspace(directory)


def _enabled_line(enabled_packs: list[str] | None) -> str:
    if enabled_packs is None:
        return '# packs whose datasets, indicators and rules are used (default: every installed pack)\n# enabled_packs = ["human_capital", "sll"]\n'
    names = ", ".join(f'"{name}"' for name in enabled_packs)
    return f"# packs whose datasets, indicators and rules are used\nenabled_packs = [{names}]\n"


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding a `mieruka.toml`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise MierukaError(
        Issue(f"no {CONFIG_FILE} in {start} or any folder above it; run `mieruka init DIR` first")
    )


# The folder an interface chose for this call (`mieruka -C DIR`): every `open_workspace()`
# without a start of its own opens it, so a pack's command honours -C like a core one.
_chosen: ContextVar[Path | None] = ContextVar("mieruka_workspace", default=None)


def choose_workspace(folder: Path | None) -> None:
    _chosen.set(folder)


def open_workspace(start: Path | None = None) -> Workspace:
    root = find_root(start or _chosen.get() or Path.cwd())
    path = root / CONFIG_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise MierukaError(Issue(f"invalid TOML: {exc}", file=str(path))) from exc
    issues = [
        Issue(f"unknown setting '{key}'{did_you_mean(key, KNOWN_KEYS)}", file=str(path))
        for key in data
        if key not in KNOWN_KEYS
    ]
    month = data.get("fiscal_year_start_month", 4)
    if not isinstance(month, int) or not 1 <= month <= 12:
        issues.append(
            Issue(
                "invalid fiscal_year_start_month",
                file=str(path),
                expected="1..12",
                found=str(month),
            )
        )
    engine = data.get("engine", "duckdb")
    if engine not in ENGINES:
        issues.append(
            Issue(
                "unknown engine", file=str(path), expected=" or ".join(ENGINES), found=str(engine)
            )
        )
    master = data.get("spark_master")
    if master is not None and (not isinstance(master, str) or not master):
        issues.append(
            Issue(
                "spark_master must be a Spark master URL such as spark://host:7077 or local[2]",
                file=str(path),
                found=str(master),
            )
        )
    limit = data.get("memory_limit")
    if limit is not None and not (isinstance(limit, str) and _MEMORY.fullmatch(limit.strip())):
        issues.append(
            Issue(
                "invalid memory_limit",
                file=str(path),
                expected='an amount of memory such as "3GB" or "512MB"',
                found=repr(limit),
            )
        )
    if data.get("language", "ja") not in ("ja", "en"):
        issues.append(
            Issue(
                "unknown language", file=str(path), expected="ja or en", found=str(data["language"])
            )
        )
    enabled = data.get("enabled_packs")
    if enabled is not None and (
        not isinstance(enabled, list) or not all(isinstance(e, str) for e in enabled)
    ):
        issues.append(
            Issue("enabled_packs must be a list of pack names", file=str(path), found=str(enabled))
        )
    if issues:
        raise MierukaError(issues)
    settings = Settings(
        organisation=str(data.get("organisation", Settings.organisation)),
        fiscal_year_start_month=month,
        store_url=str(data.get("store_url", DEFAULT_STORE)),
        engine=engine,
        spark_master=master,
        memory_limit=limit.strip() if isinstance(limit, str) else None,
        language=str(data.get("language", "ja")),
        packs={k: dict(v) for k, v in data.get("packs", {}).items()},
        enabled_packs=tuple(enabled) if enabled is not None else None,
    )
    return Workspace(root=root, settings=settings)
