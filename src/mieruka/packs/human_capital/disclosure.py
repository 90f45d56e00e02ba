"""The 有価証券報告書 human-capital table: the statutory figures per entity, with notes.

Built from a finished run, never by recomputing: the figures are the ledger's, and the
notes are generated from the options stored with that run (`notes.py`), so the table
a user pastes matches what `mieruka verify` can re-check.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from mieruka.core.issues import Issue, MierukaError
from mieruka.core.period import Period
from mieruka.packs.human_capital.notes import method_note
from mieruka.packs.human_capital.options import HcOptions

STATUTORY = {
    "hc.female_manager_share": "管理職に占める女性労働者の割合(%)",
    "hc.male_childcare_leave_rate": "男性労働者の育児休業取得率(%)（育児休業等の取得割合）",
    "hc.male_childcare_leave_rate_incl_purpose": (
        "男性労働者の育児休業取得率(%)（育児休業等と育児目的休暇の取得割合）"
    ),
    "hc.wage_gap_all": "労働者の男女の賃金の差異(%) 全労働者",
    "hc.wage_gap_regular": "労働者の男女の賃金の差異(%) うち正規雇用労働者",
    "hc.wage_gap_non_regular": "労働者の男女の賃金の差異(%) うちパート・有期労働者",
}


@dataclass
class Disclosure:
    fiscal_year: int
    run_id: int
    entities: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "fiscal_year": self.fiscal_year,
            "run": self.run_id,
            "entities": self.entities,
            "notes": self.notes,
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def latest_run(project: Any, fy: int) -> Any:
    runs = [r for r in project.store.runs() if r.fiscal_year == fy]
    if not runs:
        raise MierukaError(Issue(f"no run for FY{fy}; start one with `mieruka run --fy {fy}`"))
    return runs[-1]


def build_disclosure(project: Any, fy: int) -> Disclosure:
    """The latest run of fiscal year `fy`, as the disclosure table."""
    run = latest_run(project, fy)
    params = json.loads(run.params)
    options = params.get("options", {}).get("human_capital", {})
    opts = HcOptions.from_mapping(options)
    period = Period.from_json(params)
    values = project.store.values(run.id)
    by_entity: dict[str, dict[str, str | None]] = {}
    excluded: dict[str | None, int] = {}
    for v in values:
        entity = v["dims"].get("entity") if set(v["dims"]) <= {"entity"} else "…"
        if v["indicator"] == "hc.wage_gap_excluded" and entity != "…":
            excluded[entity] = int(v["value"] or 0)
        if v["indicator"] in STATUTORY and entity not in ("…", None):
            by_entity.setdefault(entity, {})[v["indicator"]] = _text(v["value"])
    order = sorted(by_entity, key=lambda e: (e != opts.filer_entity, e))
    out = Disclosure(fy, run.id)
    for entity in order:
        role = "提出会社" if entity == opts.filer_entity else "連結子会社"
        figures = {ind: by_entity[entity].get(ind) for ind in STATUTORY}
        out.entities.append({"entity": entity, "role": role, "figures": figures})
    for ind in STATUTORY:
        out.notes[ind] = method_note(ind, options, period, excluded.get(None, 0)) or ""
    return out


def render_text(d: Disclosure) -> str:
    """Plain text, one block per entity, ready to paste; notes follow as 注記."""
    lines = [f"FY{d.fiscal_year}（run {d.run_id}）"]
    for row in d.entities:
        lines.append(f"\n■ {row['entity']}（{row['role']}）")
        for ind, label in STATUTORY.items():
            value = row["figures"].get(ind)
            lines.append(f"  {label}: {'－' if value is None else value}")
    lines.append("\n（注）")
    for i, (ind, note) in enumerate(d.notes.items(), 1):
        lines.append(f"  {i}. {STATUTORY[ind]}: {note}")
    lines.append("  「－」は算定の対象となる者がいないことを示す。")
    return "\n".join(lines)
