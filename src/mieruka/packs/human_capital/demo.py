"""Demo HR data: the files an HR team would export, for three companies over the demo years.

Written with numpy's Generator (fixed seed; never DuckDB's correlated `hash(i, k)`), in
the documented formats: the roster in CP932 with 和暦 dates and ○/× as Excel writes it,
the rest UTF-8. Births and leave straddle fiscal years (a March birth with leave in April,
split leave), people convert from part-time to regular, some leave with a retirement
allowance, so every statutory figure is non-trivial. One leave row has no recorded birth,
which the rule `hc.leave_without_birth` finds.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from mieruka.japan.wareki import format_wareki
from mieruka.packs.human_capital.demo_people import BASE_PAY, Person, people

SEED = 20230401
SIZES = {"small": 300, "medium": 3_000, "large": 30_000}
FIRST_FY, LAST_FY = 2023, 2025


def headcount(size: str) -> int:
    return SIZES.get(size) or (int(size) if size.isdigit() and int(size) > 0 else SIZES["small"])


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], enc: str) -> Path:
    with path.open("w", encoding=enc, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _years(fy: int) -> tuple[date, date]:
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def _share_of_year(p: Person, fy: int) -> float:
    start, end = _years(fy)
    first, last = max(p.hire, start), min(p.separation or end, end)
    return max((last - first).days + 1, 0) / ((end - start).days + 1)


def _placed(p: Person, fy: int) -> Any:
    end = min(p.separation or _years(fy)[1], _years(fy)[1])
    return p.spell_on(end) if p.hire <= end else None


def roster_rows(staff: list[Person]) -> Iterable[list[str]]:
    for p in staff:
        yield [
            p.employee_id,
            p.gender,
            format_wareki(p.birth),
            format_wareki(p.hire),
            format_wareki(p.separation) if p.separation else "",
            p.reason or "",
            "○" if p.new_graduate else "×",
        ]


def position_rows(staff: list[Person]) -> Iterable[list[Any]]:
    for p in staff:
        for i, s in enumerate(p.spells):
            nxt = p.spells[i + 1].start - timedelta(days=1) if i + 1 < len(p.spells) else None
            end = nxt or p.separation
            yield [
                p.employee_id,
                s.start,
                end or "",
                s.entity,
                s.department,
                s.grade,
                s.employment_type,
                "○" if s.manager else "×",
                "○" if s.officer else "×",
                s.weekly_hours or "",
            ]


def wage_rows(rng: np.random.Generator, staff: list[Person]) -> Iterable[list[Any]]:
    for fy in range(FIRST_FY, LAST_FY + 1):
        for p in staff:
            share, spell = _share_of_year(p, fy), _placed(p, fy)
            if share <= 0 or spell is None or spell.officer:
                continue
            hours = (spell.weekly_hours or 40) / 40
            pay = BASE_PAY[spell.grade] * share * hours * (0.93 if p.gender == "F" else 1.0)
            pay *= float(rng.lognormal(0, 0.12))
            commuting = int(120_000 * share) if rng.random() < 0.9 else 0
            retire = 0
            if p.separation and _years(fy)[0] <= p.separation and p.reason == "retirement":
                retire = (p.separation.year - p.hire.year) * 250_000
            total = int(round(pay, -3)) + commuting + retire
            yield [p.employee_id, fy, f"{total:,}", f"{commuting:,}", f"{retire:,}"]


def leave_rows(rng: np.random.Generator, staff: list[Person]) -> Iterable[list[Any]]:
    for fy in range(FIRST_FY, LAST_FY + 1):
        for p in staff:
            share, spell = _share_of_year(p, fy), _placed(p, fy)
            if share <= 0 or spell is None or spell.officer:
                continue
            years = fy - p.hire.year
            granted = 10 if spell.employment_type == "regular" else 7
            granted = min(granted + max(years, 0), 20)
            carried = int(rng.integers(0, granted // 2 + 1))
            rate = 0.5 + 0.04 * (fy - FIRST_FY) + (0.05 if p.gender == "F" else 0)
            taken = min(int(rng.binomial(granted, min(rate, 0.95) * share)), granted + carried)
            yield [p.employee_id, fy, granted, carried, taken]


def birth_and_leave(
    rng: np.random.Generator, staff: list[Person]
) -> tuple[list[list[Any]], list[list[Any]]]:
    births: list[list[Any]] = []
    leave: list[list[Any]] = []
    for fy in range(FIRST_FY - 1, LAST_FY + 1):
        start, end = _years(fy)
        for p in staff:
            age = fy - p.birth.year
            if not 25 <= age <= 42 or p.gender == "X" or rng.random() > 0.15:
                continue
            first, last = max(p.hire, start), min(p.separation or end, end)
            if first >= last:
                continue
            born = first + timedelta(days=int(rng.integers(0, (last - first).days)))
            births.append([p.employee_id, born])
            leave.extend(_spells(rng, p, born, fy))
    return births, leave


def _spells(rng: np.random.Generator, p: Person, born: date, fy: int) -> list[list[Any]]:
    """Mothers take a year after 産後休業; fathers increasingly take some leave."""
    stop = p.separation or date(LAST_FY + 1, 3, 31)
    if p.gender == "F":
        begin = born + timedelta(days=57)
        return (
            [
                [
                    p.employee_id,
                    born,
                    begin,
                    min(begin + timedelta(days=300), stop),
                    "childcare_leave",
                ]
            ]
            if begin < stop
            else []
        )
    draw = rng.random()
    take = 0.35 + 0.1 * (fy - FIRST_FY)
    if draw >= take + 0.12:
        return []
    kind = (
        "purpose_leave"
        if draw >= take
        else str(rng.choice(["childcare_leave", "postnatal_paternity"]))
    )
    begin = born + timedelta(days=int(rng.integers(0, 90)))
    out = []
    for _ in range(2 if rng.random() < 0.2 else 1):  # some split the leave in two
        if begin >= stop:
            break
        length = 3 if kind == "purpose_leave" else int(rng.integers(5, 60))
        out.append([p.employee_id, born, begin, begin + timedelta(days=length), kind])
        begin += timedelta(days=length + int(rng.integers(30, 200)))
    return out


def health_and_training(
    rng: np.random.Generator, staff: list[Person]
) -> tuple[list[list[Any]], list[list[Any]]]:
    health: list[list[Any]] = []
    training: list[list[Any]] = []
    for fy in range(FIRST_FY, LAST_FY + 1):
        end = _years(fy)[1]
        for p in staff:
            if p.employed_on(end) and not p.spell_on(end).officer:
                older = fy + 1 - p.birth.year >= 45
                health.append(
                    [
                        p.employee_id,
                        fy,
                        "○" if rng.random() < 0.88 else "×",
                        ("○" if rng.random() < 0.6 else "×") if older else "",
                    ]
                )
            if _share_of_year(p, fy) > 0 and rng.random() < 0.8:
                hours = round(float(rng.gamma(2.0, 6.0)) * 2) / 2
                training.append([p.employee_id, fy, hours, f"{int(hours * 6_000):,}"])
    return health, training


def survey_rows(rng: np.random.Generator, staff: list[Person]) -> list[list[Any]]:
    """A yearly survey of six items: a latent mood drives every answer, item Q3 most."""
    rows: list[list[Any]] = []
    for fy in range(FIRST_FY + 1, LAST_FY + 1):
        end = _years(fy)[1]
        for p in staff:
            if not p.employed_on(end) or p.spell_on(end).officer or rng.random() > 0.75:
                continue
            mood = float(rng.normal(0, 1))
            token = f"{int(rng.integers(0, 16**10)):010x}"
            enps = int(np.clip(round(7 + 1.6 * mood + rng.normal(0, 1)), 0, 10))
            for i, weight in enumerate((0.5, 0.6, 1.0, 0.3, 0.7, 0.4), 1):
                score = int(np.clip(round(3.4 + weight * mood + rng.normal(0, 0.7)), 1, 5))
                department = p.spell_on(end).department
                rows.append([token, f"ES{fy}", fy, department, f"Q{i}", score, enps])
    return rows


HEADERS = {
    "employees": "employee_id gender birth_date hire_date separation_date separation_reason "
    "new_graduate",
    "positions": "employee_id valid_from valid_to entity department grade employment_type "
    "is_manager is_officer weekly_hours",
    "wages": "employee_id fiscal_year total_wages commuting_allowance retirement_allowance",
    "paid_leave": "employee_id fiscal_year days_granted days_carried_over days_taken",
    "births": "employee_id child_birth_date",
    "childcare_leave": "employee_id child_birth_date start_date end_date kind",
    "health": "employee_id fiscal_year stress_check_done dock_done",
    "training": "employee_id fiscal_year hours cost",
    "survey_responses": "respondent_key survey_id fiscal_year department item_id score enps",
    "contribution": "employee_id fiscal_year value_added",
}


def contribution_rows(rng: np.random.Generator, wages: list[list[Any]]) -> list[list[Any]]:
    """Value added (粗利貢献) of about 1.7 times pay, varying by person and year."""
    out = []
    for emp, fy, total, _commuting, retire in wages:
        pay = int(total.replace(",", "")) - int(retire.replace(",", ""))
        out.append([emp, fy, f"{int(pay * float(rng.lognormal(0.5, 0.3))):,}"])
    return out


def write_files(folder: Path, size: str) -> dict[str, Path]:
    """Write every HR file into `folder`; returns dataset id -> file."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    staff = people(rng, headcount(size), FIRST_FY, LAST_FY)
    births, leave = birth_and_leave(rng, staff)
    men = [p.employee_id for p in staff if p.gender == "M" and p.employed_on(date(LAST_FY, 5, 5))]
    if men:  # planted: leave for a child whose birth nobody recorded
        day = date(LAST_FY, 5, 5)
        leave.append([men[0], day, day, day + timedelta(days=2), "purpose_leave"])
    health, training = health_and_training(rng, staff)
    wages = list(wage_rows(rng, staff))
    rows: dict[str, Iterable[Sequence[Any]]] = {
        "employees": roster_rows(staff),
        "positions": position_rows(staff),
        "wages": wages,
        "paid_leave": leave_rows(rng, staff),
        "births": births,
        "childcare_leave": leave,
        "health": health,
        "training": training,
        "survey_responses": survey_rows(rng, staff),
        "contribution": contribution_rows(rng, wages),
    }
    return {
        dataset: _write(
            folder / f"hr_{dataset}.csv",
            HEADERS[dataset].split(),
            rows[dataset],
            "cp932" if dataset == "employees" else "utf-8",
        )
        for dataset in HEADERS
    }


def write_and_load(project: Any, size: str) -> dict[str, Path]:
    """The pack's demo hook: write the files into the workspace's data/ and load them."""
    from mieruka.core.datasets import load

    files = write_files(project.ws.root / "data", size)
    for dataset, path in files.items():
        load(project, dataset, path)
    _settings_and_targets(project.ws.root)
    return files


FILER = "見える化商事"
# what the demo company's management set itself (a 女性活躍推進法 action plan and the
# targets its integrated report states), so `mieruka hc progress` has something to track
TARGETS = """\
# HR targets of the demo company (written by `mieruka demo`)
targets:
  - {indicator: hc.female_manager_share, from_fy: 2023, to_fy: 2023, comparator: ">=", value: 10}
  - {indicator: hc.female_manager_share, from_fy: 2024, to_fy: 2024, comparator: ">=", value: 12}
  - {indicator: hc.female_manager_share, from_fy: 2025, to_fy: 2025, comparator: ">=", value: 15}
  - {indicator: hc.male_childcare_leave_rate, from_fy: 2023, to_fy: 2025, comparator: ">=", value: 50}
  - {indicator: hc.paid_leave_uptake, from_fy: 2023, to_fy: 2025, comparator: ">=", value: 70}
  - {indicator: hc.turnover, from_fy: 2023, to_fy: 2025, comparator: "<=", value: 10}
"""


def _settings_and_targets(root: Path) -> None:
    """The filer's entity code in mieruka.toml and the HR targets in specs/, once."""
    config = root / "mieruka.toml"
    if "[packs.human_capital]" not in config.read_text(encoding="utf-8"):
        with config.open("a", encoding="utf-8") as handle:
            handle.write(f'\n[packs.human_capital]\nfiler_entity = "{FILER}"\n')
    targets = root / "specs" / "hr_targets.yaml"
    if not targets.exists():
        targets.write_text(TARGETS, encoding="utf-8")
