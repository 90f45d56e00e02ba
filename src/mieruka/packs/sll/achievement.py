"""Whether each SPT was achieved, missed or not reported, by the rules of `domain/sll.md`.

A fiscal year's SPT is *achieved* when a value reported by the deadline (fiscal year end +
`report_deadline_days`) and verified `passed` by the deadline meets the comparator; *missed*
when it does not; *not reported* when no verified value exists by the deadline. Before the
deadline an unreported year is *pending* — nothing is decided yet. Each result carries the
reasons (`late`, `unverified`, `verification_failed`, `no_report`, `no_indicator_figure`,
`signoff_stale`) so that a missing report is always flagged, whatever the ratchet does.

A KPI whose source is `indicator:<id>` takes its figure from the ledger (see
`IndicatorFigure`); the borrower's observation row for it still carries the report date and
the verification, because a verifier signs the figure, not the formula. Its own value is
ignored unless the option `prefer_observations` is set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from mieruka.packs.sll.kpivalue import parse_done, parse_number
from mieruka.packs.sll.model import Kpi, Loan, Observation

ACHIEVED, MISSED, NOT_REPORTED, PENDING = "achieved", "missed", "not_reported", "pending"


@dataclass(frozen=True)
class IndicatorFigure:
    """An indicator's disclosed (rounded) figure and where a verifier finds its rows."""

    value: Decimal | None
    evidence: dict[str, Any]


IndicatorLookup = Callable[[str, int], IndicatorFigure | None]


@dataclass(frozen=True)
class Options:
    """`[packs.sll]` in mieruka.toml."""

    not_reported: str = "missed"  # or "no_change": an unreported KPI moves the margin by 0
    prefer_observations: bool = False  # a reported value wins over an indicator's figure

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Options:
        treat = str(data.get("not_reported", "missed"))
        if treat not in ("missed", "no_change"):
            from mieruka.core.issues import Issue, MierukaError

            raise MierukaError(
                Issue(
                    "[packs.sll] not_reported: unknown treatment",
                    file="mieruka.toml",
                    expected="missed or no_change",
                    found=treat,
                )
            )
        return cls(treat, bool(data.get("prefer_observations", False)))


DEFAULT_OPTIONS = Options()


@dataclass(frozen=True)
class KpiResult:
    loan_id: str
    kpi_id: str
    fiscal_year: int
    comparator: str
    target: str
    value: str | None
    status: str
    deadline: date
    flags: tuple[str, ...] = ()
    projected: bool = False
    observation: Observation | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    verified: bool = False  # verified `passed` by the deadline (data or a ledger sign-off)

    def to_json(self) -> dict[str, Any]:
        obs = self.observation
        return {
            "loan_id": self.loan_id,
            "kpi_id": self.kpi_id,
            "fiscal_year": self.fiscal_year,
            "comparator": self.comparator,
            "target": self.target,
            "value": self.value,
            "status": self.status,
            "deadline": self.deadline.isoformat(),
            "flags": list(self.flags),
            "projected": self.projected,
            "reported_on": obs.reported_on.isoformat() if obs and obs.reported_on else None,
            "verification": obs.verification if obs else None,
            "verified_by": obs.verified_by if obs else None,
            "verified_on": obs.verified_on.isoformat() if obs and obs.verified_on else None,
            "verified": self.verified,
            "signoff": obs.signoff if obs else None,
            "evidence_ref": obs.evidence_ref if obs else None,
            "indicator_evidence": self.evidence or None,
        }


def meets(kpi: Kpi, value: str | None, target: str) -> bool | None:
    """Whether a value meets the SPT; None when the value cannot be read for this KPI."""
    if kpi.comparator == "done":
        return parse_done(value)
    number, goal = parse_number(value), parse_number(target)
    if number is None or goal is None:
        return None
    return number >= goal if kpi.comparator == ">=" else number <= goal


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def figure_of(
    loan: Loan,
    kpi: Kpi,
    fy: int,
    *,
    lookup: IndicatorLookup | None = None,
    options: Options = DEFAULT_OPTIONS,
) -> tuple[str | None, dict[str, Any]]:
    """The value judged for a KPI and year, and the indicator evidence behind it (if any).

    The borrower's reported value, or — for a KPI fed by an indicator — the ledger's figure
    (unless `prefer_observations` and a value was reported). A verifier signs this value.
    """
    obs = loan.observations.get((kpi.kpi_id, fy))
    value = obs.value if obs else None
    if kpi.indicator and not (options.prefer_observations and value is not None):
        figure = lookup(kpi.indicator, fy) if lookup else None
        return (_text(figure.value), figure.evidence) if figure else (None, {})
    return value, {}


def judge(
    loan: Loan,
    kpi: Kpi,
    fy: int,
    as_of: date,
    *,
    lookup: IndicatorLookup | None = None,
    options: Options = DEFAULT_OPTIONS,
    projection: str | None = None,
) -> KpiResult:
    target = loan.spts[(kpi.kpi_id, fy)]
    deadline = loan.deadline(fy)
    base = {"loan_id": loan.loan_id, "kpi_id": kpi.kpi_id, "fiscal_year": fy}
    common: dict[str, Any] = {
        **base,
        "comparator": kpi.comparator,
        "target": target,
        "deadline": deadline,
    }
    if projection is not None:
        ok = meets(kpi, projection, target)
        status = ACHIEVED if ok else MISSED
        return KpiResult(**common, value=projection, status=status, projected=True)
    obs = loan.observations.get((kpi.kpi_id, fy))
    flags: list[str] = []
    value, evidence = figure_of(loan, kpi, fy, lookup=lookup, options=options)
    if kpi.indicator and value is None:
        flags.append("no_indicator_figure")
    if obs is not None and obs.signoff is not None and not obs.signoff.get("current"):
        flags.append("signoff_stale")
    if obs is None or obs.reported_on is None:
        flags.append("no_report")
    elif obs.reported_on > deadline:
        flags.append("late")
    if obs is not None and obs.verification == "failed":
        flags.append("verification_failed")
    verified = (
        obs is not None
        and obs.verification == "passed"
        and obs.verified_on is not None
        and obs.verified_on <= deadline
    )
    if (
        obs is not None
        and obs.reported_on is not None
        and not verified
        and obs.verification != "failed"
    ):
        flags.append("unverified")
    in_time = not {"no_report", "late"} & set(flags)
    ok = meets(kpi, value, target) if in_time and verified else None
    if ok is not None:
        status = ACHIEVED if ok else MISSED
    else:
        status = PENDING if as_of <= deadline else NOT_REPORTED
    return KpiResult(
        **common,
        value=value,
        status=status,
        flags=tuple(flags),
        observation=obs,
        evidence=evidence,
        verified=verified,
    )


def judge_loan(
    loan: Loan,
    as_of: date,
    *,
    lookup: IndicatorLookup | None = None,
    options: Options = DEFAULT_OPTIONS,
    projections: Mapping[tuple[str, int], str] | None = None,
) -> list[KpiResult]:
    """Every SPT of the loan, by fiscal year then KPI."""
    projections = projections or {}
    out = []
    for fy in loan.fiscal_years:
        for kpi in loan.kpis:
            if (kpi.kpi_id, fy) in loan.spts:
                out.append(
                    judge(
                        loan,
                        kpi,
                        fy,
                        as_of,
                        lookup=lookup,
                        options=options,
                        projection=projections.get((kpi.kpi_id, fy)),
                    )
                )
    return out
