"""Reading and recording committee action items in a workspace.

`items_on` joins the date's findings with the loaded `committee_actions` file. `record`
writes one step (referral, decision, closure) into that file and loads it as a new snapshot,
all or nothing: when the load is refused, the file is put back as it was and the store is
unchanged. The file lives at `data/funds/committee_actions.csv` in the workspace unless
another path is given; it stays a plain CSV that can also be edited by hand and loaded with
`mieruka load committee_actions FILE`.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from mieruka.core.datasets import load
from mieruka.core.issues import Issue, MierukaError, did_you_mean
from mieruka.core.period import Period
from mieruka.core.project import Project
from mieruka.packs.funds.actions import KINDS, ActionItem, action_items
from mieruka.packs.funds.findings import Finding, Snapshots, check_rows, snapshots
from mieruka.packs.funds.params import settings

COLUMNS = ("holding_id", "kind", "referred_on", "decision", "decided_on", "closed_on", "note")
HELD = """
SELECT h.holding_id, f.entity_id,
       coalesce(h.acquired_on, DATE '{d}') <= DATE '{d}'
       AND (h.maturity_date IS NULL OR h.maturity_date > DATE '{d}')
       AND (h.disposed_on IS NULL OR h.disposed_on > DATE '{d}') AS held
FROM {holdings} h LEFT JOIN {funds} f ON f.fund_id = h.fund_id
"""


def records(data: Snapshots) -> list[dict[str, Any]]:
    return data.rows("committee_actions", ", ".join(COLUMNS), "TRUE ORDER BY holding_id, kind")


def items_on(
    project: Project, as_of: date, findings: list[Finding] | None = None
) -> list[ActionItem]:
    """Every action item on `as_of` (findings are computed unless given)."""
    period = Period.as_of_date(as_of, project.ws.settings.fiscal_year_start_month)
    if findings is None:
        findings, _ = check_rows(project, period)
    with snapshots(project, period, ("holdings", "funds")) as data:
        rows = data.sql(HELD.format(d=as_of, **data.tables)).to_pylist()
        recorded = records(data)
    entity_of = {r["holding_id"]: r["entity_id"] for r in rows}
    held = {r["holding_id"] for r in rows if r["held"]}
    policy = settings(project.ws.pack_options("funds"))["policy_date"]
    return action_items(findings, recorded, entity_of, held, as_of, policy)


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else ("" if value is None else str(value))


def record(
    project: Project, holding_id: str, kind: str, changes: dict[str, Any], file: Path | None = None
) -> tuple[dict[str, Any], Path]:
    """Set `changes` on the (holding, kind) row, write the file and load it; returns the row."""
    if kind not in KINDS:
        raise MierukaError(
            Issue(f"unknown kind '{kind}'{did_you_mean(kind, KINDS)}", expected=", ".join(KINDS))
        )
    period = Period.as_of_date(date.today(), project.ws.settings.fiscal_year_start_month)
    with snapshots(project, period, ("holdings",)) as data:
        known = {r["holding_id"] for r in data.rows("holdings", "holding_id")}
        rows = records(data)
    if holding_id not in known:
        raise MierukaError(
            Issue(
                f"no holding '{holding_id}' in the loaded holdings{did_you_mean(holding_id, known)}",
                expected="a holding_id of the holdings file",
                found=holding_id,
            )
        )
    row = next((r for r in rows if (r["holding_id"], r["kind"]) == (holding_id, kind)), None)
    if row is None:
        row = {c: None for c in COLUMNS} | {"holding_id": holding_id, "kind": kind}
        rows.append(row)
    row.update(changes)
    path = file or project.ws.root / "data" / "funds" / "committee_actions.csv"
    before = path.read_bytes() if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows([_text(r.get(c)) for c in COLUMNS] for r in rows)
    try:
        load(project, "committee_actions", path)
    except BaseException:
        if before is None:
            path.unlink()
        else:
            path.write_bytes(before)
        raise
    return row, path
