"""Everything the report and the working papers show, gathered once from the workspace.

The report, the DOCX and the workbook are different views of one `Assessment`, so the
scope statement, the entity-level conclusion and the deficiency reasoning are written from
the same figures wherever they appear.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from mieruka.core.project import Project
from mieruka.japan.fiscal import FiscalYear
from mieruka.packs.icfr.assess import assess_project, read_datasets
from mieruka.packs.icfr.deficiency import Finding
from mieruka.packs.icfr.entity_controls import Checklist, evaluate_checklist
from mieruka.packs.icfr.inscope import AssessmentScope, assessment_scope

DATASETS = ("locations", "accounts", "processes", "controls", "tests", "deficiencies",
            "entity_controls")  # fmt: skip


@dataclass
class Assessment:
    organisation: str
    fiscal_year: FiscalYear
    on: date  # the assessment date (基準日)
    scope: AssessmentScope
    checklist: Checklist
    materiality: float | None
    findings: list[Finding]
    data: dict[str, list[dict[str, Any]]]
    options: Mapping[str, Any]

    @property
    def descriptions(self) -> dict[str, str]:
        return {d["deficiency_id"]: d["description"] or "" for d in self.data["deficiencies"]}

    def rcm(self) -> list[dict[str, Any]]:
        """Controls with their process, location, accounts and whether they are in scope."""
        where = {p["process_id"]: p for p in self.data["processes"]}
        inside = self.scope.process_ids
        return [{**c, "location_id": where.get(c["process_id"], {}).get("location_id"),
                 "account_codes": where.get(c["process_id"], {}).get("account_codes"),
                 "process_name": where.get(c["process_id"], {}).get("name"),
                 "in_scope": c["process_id"] in inside}
                for c in sorted(self.data["controls"], key=lambda c: c["control_id"])]  # fmt: skip


def load_assessment(project: Project, fy: int, on: date | None = None,
                    cli: Mapping[str, Any] | None = None) -> Assessment:  # fmt: skip
    """The year's assessment from the latest snapshots and `[packs.icfr]`."""
    year = FiscalYear(fy, project.ws.settings.fiscal_year_start_month)
    day = on or year.end
    options = project.ws.pack_options("icfr")
    data = read_datasets(project, DATASETS)
    scope = assessment_scope(data["locations"], data["accounts"], data["processes"], fy,
                             options, cli)  # fmt: skip
    materiality, findings = assess_project(project, fy, day)
    return Assessment(project.ws.settings.organisation, year, day, scope,
                      evaluate_checklist(data["entity_controls"], fy), materiality, findings,
                      data, options)  # fmt: skip
