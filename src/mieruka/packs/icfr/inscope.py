"""Key accounts and the in-scope business processes, on top of the significant locations.

Key accounts are, by default, the accounts closely tied to a typical company's business
purpose — sales, trade receivables and inventory — recognised by the account's name (or a
`revenue` category for sales); the workspace adds accounts for risk and may exclude a
default one, each with its reason. A process is in scope when it runs at a significant
location (or company-wide: no location) and touches a key account; processes can also be
added or excluded individually with a reason. Every departure from the default —
threshold, indicator, location, account or process — is an `Override` carried into the
scope statement, the working papers and (from the command line) the audit log, because
the 2023 revision asks the report to give the reasons, not just the outcome.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mieruka.packs.icfr.scoping import INDICATORS, Scope, scope_locations

KINDS = {
    "sales": ("売上", "事業目的に大きく関わる勘定科目（売上高）"),
    "receivables": ("売掛", "事業目的に大きく関わる勘定科目（売上債権）"),
    "inventory": ("棚卸", "事業目的に大きく関わる勘定科目（棚卸資産）"),
}
SALES = ("売上高", "売上収益", "売上", "営業収益")
RECEIVABLES = ("売掛金", "受取手形", "契約資産", "電子記録債権")
INVENTORY = ("棚卸資産", "商品", "製品", "仕掛品", "原材料", "貯蔵品", "半製品")


def default_kind(name: str, category: str | None) -> str | None:
    """Which of the three default key-account kinds an account is (None: not one)."""
    n = (name or "").strip()
    if "原価" in n or "引当" in n:  # 売上原価, 貸倒引当金: related, but not the account itself
        return None
    if n.startswith(SALES) or (category or "").lower() in ("revenue", "sales", "売上"):
        return "sales"
    if n.startswith(RECEIVABLES):
        return "receivables"
    if n.startswith(INVENTORY):
        return "inventory"
    return None


KIND_JA = {"scope_indicator": "指標", "scope_threshold": "閾値", "location": "拠点の追加",
           "account_add": "重要な勘定科目の追加", "account_exclude": "勘定科目の除外",
           "process_add": "業務プロセスの追加", "process_exclude": "業務プロセスの除外"}  # fmt: skip


@dataclass(frozen=True)
class Override:
    kind: str  # indicator | threshold | location | account_add | account_exclude | process_add | process_exclude
    target: str
    reason: str
    source: str = "mieruka.toml"  # or "command line"


@dataclass(frozen=True)
class KeyAccount:
    account_code: str
    name: str
    reason: str
    added: bool  # added individually (for risk) rather than by default


@dataclass(frozen=True)
class ScopedProcess:
    process_id: str
    name: str
    location_id: str
    accounts: tuple[str, ...]
    reason: str
    added: bool


@dataclass
class AssessmentScope:
    locations: Scope
    key_accounts: list[KeyAccount] = field(default_factory=list)
    processes: list[ScopedProcess] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)

    @property
    def process_ids(self) -> set[str]:
        return {p.process_id for p in self.processes}

    def statement(self) -> str:
        """The scope paragraph the 2023-revised report asks for."""
        text = self.locations.statement()
        accounts = [a for a in self.key_accounts if not a.added]
        if accounts:
            text += ("重要な事業拠点における、企業の事業目的に大きく関わる勘定科目として"
                     + "、".join(a.name or a.account_code for a in accounts)
                     + "に至る業務プロセスを評価の対象とした。")  # fmt: skip
        for a in self.key_accounts:
            if a.added:
                text += f"また、{a.name or a.account_code}を{a.reason}ため重要な勘定科目に加えた。"
        for p in self.processes:
            if p.added:
                text += f"{p.name or p.process_id}（{p.location_id or '全社'}）は、{p.reason}ため個別に評価対象に追加した。"
        excluded = [o for o in self.overrides if o.kind in ("account_exclude", "process_exclude")]
        for o in excluded:
            text += f"{o.target}は、{o.reason}ため評価対象から除外した。"
        return text


def _codes(value: Any) -> tuple[str, ...]:
    return tuple(c.strip() for c in str(value or "").split(";") if c.strip())


def key_accounts(accounts: list[dict[str, Any]], additions: Mapping[str, str],
                 exclusions: Mapping[str, str]) -> list[KeyAccount]:  # fmt: skip
    known = {a["account_code"]: a for a in accounts}
    unknown = sorted((set(additions) | set(exclusions)) - set(known))
    if unknown:
        raise ValueError(f"key-account overrides name unknown account(s): {', '.join(unknown)}"
                         " (expected codes from the accounts dataset)")  # fmt: skip
    order = list(KINDS)
    found: list[tuple[int, str, KeyAccount]] = []  # sales, receivables, inventory, then added
    for a in accounts:
        code, name = a["account_code"], a.get("name") or ""
        kind = default_kind(name, a.get("category"))
        if code in additions:
            found.append((len(order), code, KeyAccount(code, name, additions[code], True)))
        elif kind is not None and code not in exclusions:
            found.append((order.index(kind), code, KeyAccount(code, name, KINDS[kind][1], False)))
    return [k for *_, k in sorted(found, key=lambda f: (f[0], f[1]))]


def in_scope_processes(processes: list[dict[str, Any]], locations: set[str], keys: set[str],
                       additions: Mapping[str, str], exclusions: Mapping[str, str],
                       ) -> list[ScopedProcess]:  # fmt: skip
    known = {p["process_id"] for p in processes}
    unknown = sorted((set(additions) | set(exclusions)) - known)
    if unknown:
        raise ValueError(f"process overrides name unknown process(es): {', '.join(unknown)}")
    out = []
    for p in sorted(processes, key=lambda p: p["process_id"]):
        pid, where, codes = p["process_id"], p.get("location_id") or "", _codes(p["account_codes"])
        touched = [c for c in codes if c in keys]
        if pid in exclusions:
            continue
        if (not where or where in locations) and touched:
            site = f"重要な事業拠点 {where}" if where else "全社"
            out.append(ScopedProcess(pid, p.get("name") or "", where, codes,
                                     f"{site}で重要な勘定科目（{'、'.join(touched)}）に至る", False))  # fmt: skip
        elif pid in additions:
            out.append(ScopedProcess(pid, p.get("name") or "", where, codes, additions[pid], True))
    return out


def _table(options: Mapping[str, Any], key: str) -> dict[str, str]:
    return {str(k): str(v) for k, v in dict(options.get(key, {})).items()}


def assessment_scope(locations: list[dict[str, Any]], accounts: list[dict[str, Any]],
                     processes: list[dict[str, Any]], fy: int, options: Mapping[str, Any],
                     cli: Mapping[str, Any] | None = None) -> AssessmentScope:  # fmt: skip
    """Locations, key accounts and processes from the data, `[packs.icfr]` and CLI overrides.

    `cli` may carry `indicator`, `threshold` and the tables `scope_additions`,
    `key_account_additions`, `process_additions` (…`_exclusions`): command-line values win
    over the workspace's and are recorded as overrides from the command line.
    """
    given = dict(cli or {})
    overrides: list[Override] = []

    def pick(key: str, default: Any) -> Any:
        if given.get(key) is not None:
            overrides.append(Override(key, str(given[key]), "コマンドラインで指定", "command line"))
            return given[key]
        if key in options:
            overrides.append(Override(key, str(options[key]), "mieruka.toml で指定"))
            return options[key]
        return default

    def table(key: str, kind: str) -> dict[str, str]:
        merged = _table(options, key)
        overrides.extend(Override(kind, k, v) for k, v in merged.items())
        for k, v in dict(given.get(key) or {}).items():
            merged[str(k)] = str(v)
            overrides.append(Override(kind, str(k), str(v), "command line"))
        return merged

    indicator = pick("scope_indicator", "revenue")
    threshold = pick("scope_threshold", "2/3")
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator '{indicator}': expected {', '.join(INDICATORS)}")
    loc_add = table("scope_additions", "location")
    scope = scope_locations(locations, fy, indicator, threshold, loc_add)
    keys = key_accounts(accounts, table("key_account_additions", "account_add"),
                        table("key_account_exclusions", "account_exclude"))  # fmt: skip
    selected = {s.location_id for s in scope.selected}
    procs = in_scope_processes(processes, selected, {k.account_code for k in keys},
                               table("process_additions", "process_add"),
                               table("process_exclusions", "process_exclude"))  # fmt: skip
    return AssessmentScope(scope, keys, procs, overrides)
