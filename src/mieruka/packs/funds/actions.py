"""Committee action items: downgrades and legacy holdings referred to the committee, to closure.

The guideline sends two downgrade responses (ch.2 §3-2②, ③) and the handling of
non-qualifying legacy holdings (§3-3) to the expert committee (§3-6). An item is opened by
the finding itself — `funds.downgrade_review`, `funds.downgrade_sell` or `funds.legacy_plan`
on the date looked at — and its progress is data the treasurer records in the
`committee_actions` file (referred, decided, closed). Keeping the progress as a loaded file,
not as mutable state, means each step is a snapshot: a run and a report can always show what
was known on their date, and `mieruka funds actions record` only writes and reloads that file.

Status on a date (records dated later are not yet known): `closed` when `closed_on` ≤ date,
else `decided` when decided, else `referred` when referred, else `open`. An item whose
finding went away (the holding was sold) stays listed while a record names it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from mieruka.packs.funds.findings import Finding

KINDS: dict[str, tuple[str, str, str]] = {
    # kind: (rule, Japanese label, English label)
    "downgrade_review": (
        "funds.downgrade_review",
        "格下げ（取得時の要件を下回る）",
        "downgraded below the purchase criteria",
    ),
    "downgrade_sell": ("funds.downgrade_sell", "格下げ（BB格以下）", "downgraded to BB or below"),
    "legacy_plan": ("funds.legacy_plan", "指針適合外の既保有資産", "non-qualifying legacy holding"),
}
RULE_KIND = {rule: kind for kind, (rule, _, _) in KINDS.items()}
DECISIONS = {"sell": "売却", "keep": "継続保有", "keep_with_plan": "管理計画に基づき保有"}
STATUS = {"open": "未付議", "referred": "付議済", "decided": "決定・対応中", "closed": "完了"}
PRESCRIBED = {"downgrade_review": "sell", "downgrade_sell": "sell", "legacy_plan": None}


@dataclass
class ActionItem:
    holding_id: str
    entity_id: str | None
    kind: str
    opened_on: date | None
    status: str = "open"
    referred_on: date | None = None
    decision: str | None = None
    decided_on: date | None = None
    closed_on: date | None = None
    note: str = ""
    finding: bool = False  # the finding is still raised on the date
    action: str = ""  # the guideline's prescribed response (the rule's action)
    figures: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["kind_label"] = KINDS[self.kind][1]
        out["status_label"] = STATUS[self.status]
        out["decision_label"] = DECISIONS.get(self.decision or "", "")
        for key in ("opened_on", "referred_on", "decided_on", "closed_on"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


def _known(record: dict[str, Any], as_of: date) -> dict[str, Any]:
    """The record as it stood on `as_of`: steps dated later are not known yet."""
    out = dict(record)
    for key in ("referred_on", "decided_on", "closed_on"):
        if out.get(key) is not None and out[key] > as_of:
            out[key] = None
    if out.get("decided_on") is None:
        out["decision"] = None
    return out


def _status(r: dict[str, Any]) -> str:
    if r.get("closed_on"):
        return "closed"
    if r.get("decision"):
        return "decided"
    return "referred" if r.get("referred_on") else "open"


def _problems(item: ActionItem, held: set[str]) -> list[str]:
    found = []
    if item.status == "closed" and item.decision == "sell" and item.holding_id in held:
        found.append("売却として完了したが、なお保有している / closed as sold but still held")
    if item.kind == "downgrade_sell" and item.decision in ("keep", "keep_with_plan"):
        found.append(
            "BB格以下の継続保有は指針の対応（速やかに売却）と異なる / "
            "keeping a BB-or-below holding departs from the prescribed prompt sale"
        )
    if item.kind == "legacy_plan" and item.status == "closed" and item.finding:
        found.append(
            "管理計画が未整備のまま完了 / closed while the management plan is still missing"
        )
    return found


def action_items(
    findings: list[Finding],
    records: list[dict[str, Any]],
    entity_of: dict[str, str],
    held: set[str],
    as_of: date,
    policy_date: date,
) -> list[ActionItem]:
    """Items from today's findings joined with the recorded progress, ordered by opening."""
    items: dict[tuple[str, str], ActionItem] = {}
    for f in findings:
        kind = RULE_KIND.get(f["rule"])
        if kind is None:
            continue
        hid = str(f["key"]["holding_id"])
        opened = f["figures"].get("downgraded_on") if kind != "legacy_plan" else policy_date
        if isinstance(opened, str):
            opened = date.fromisoformat(opened)
        items[(hid, kind)] = ActionItem(
            hid,
            f["figures"].get("entity_id") or entity_of.get(hid),
            kind,
            opened,
            finding=True,
            action=f["action"],
            figures=f["figures"],
        )
    for record in records:
        r = _known(record, as_of)
        key = (r["holding_id"], r["kind"])
        if key not in items:
            if not any(r.get(k) for k in ("referred_on", "decided_on", "closed_on")):
                continue  # recorded for a later date only
            items[key] = ActionItem(
                r["holding_id"], entity_of.get(r["holding_id"]), r["kind"], None
            )
        item = items[key]
        item.referred_on, item.decision = r.get("referred_on"), r.get("decision")
        item.decided_on, item.closed_on = r.get("decided_on"), r.get("closed_on")
        item.note = r.get("note") or ""
        item.status = _status(r)
    for item in items.values():
        item.problems = _problems(item, held)
    return sorted(items.values(), key=lambda i: (i.opened_on or date.min, i.holding_id, i.kind))
