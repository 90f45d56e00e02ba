"""The demo organisation's people: a roster and effective-dated positions, drawn with numpy.

Three companies (a filer and two subsidiaries), each with its own departments; women are
promoted less often and more of them work part-time, so the statutory figures show the
gaps a real company would have to explain. Everyone employed has exactly one position on
every day of employment (no overlaps), which the pack's checks and rules would flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

ENTITIES = {
    "見える化商事": (0.6, ("営業部", "開発部", "管理部", "海外事業部")),
    "見える化ロジスティクス": (0.25, ("物流部", "管理部")),
    "見える化テクノ": (0.15, ("技術部", "品質保証部")),
}
GRADES = ("G1", "G2", "G3", "G4", "M1", "M2")
BASE_PAY = {"G1": 3_600_000, "G2": 4_300_000, "G3": 5_100_000, "G4": 6_000_000}
BASE_PAY |= {"M1": 8_000_000, "M2": 10_000_000, "P": 1_500_000, "EX": 0}


@dataclass
class Spell:
    start: date
    entity: str
    department: str
    grade: str
    employment_type: str
    weekly_hours: int | None = None
    manager: bool = False
    officer: bool = False


@dataclass
class Person:
    employee_id: str
    gender: str
    birth: date
    hire: date
    separation: date | None = None
    reason: str | None = None
    new_graduate: bool = False
    spells: list[Spell] = field(default_factory=list)

    def employed_on(self, day: date) -> bool:
        return self.hire <= day and (self.separation is None or self.separation >= day)

    def spell_on(self, day: date) -> Spell:
        return [s for s in self.spells if s.start <= day][-1]


def _day(rng: np.random.Generator, start: date, end: date) -> date:
    return start + timedelta(days=int(rng.integers(0, max((end - start).days, 1))))


def _separation(rng: np.random.Generator, p: Person, horizon: date) -> None:
    """Exponential tenure; people reaching 60 retire on the following 31 March."""
    left = p.hire + timedelta(days=int(rng.exponential(4_500)) + 30)
    retire = date(p.birth.year + 60 + (p.birth.month >= 4), 3, 31)
    if retire < left:
        left, p.reason = retire, "retirement"
    else:
        p.reason = str(
            rng.choice(["voluntary", "involuntary", "transfer", "other"], p=[0.8, 0.08, 0.07, 0.05])
        )
    if left <= horizon:
        p.separation = left
    else:
        p.reason = None


def _first_spell(rng: np.random.Generator, p: Person) -> Spell:
    names = list(ENTITIES)
    entity = str(rng.choice(names, p=[ENTITIES[n][0] for n in names]))
    department = str(rng.choice(ENTITIES[entity][1]))
    part_p = 0.5 if p.gender == "F" else 0.3
    if rng.random() < part_p and not p.new_graduate:
        part = 0.8 if p.gender == "F" else 0.4
        kind = str(rng.choice(["part_time", "fixed_term"], p=[part, 1 - part]))
        hours = int(rng.choice([20, 25, 30])) if kind == "part_time" else None
        return Spell(p.hire, entity, department, "P", kind, hours)
    senior = not p.new_graduate and p.hire.year - p.birth.year >= 35
    return Spell(p.hire, entity, department, "G3" if senior else "G1", "regular")


def _career(rng: np.random.Generator, p: Person, horizon: date) -> None:
    """Yearly chances of conversion to regular and of promotion, until separation."""
    end = min(p.separation or horizon, horizon)
    current = p.spells[0]
    year = p.hire.year + 1
    manager_p = 0.1 if p.gender == "F" else 0.18
    while date(year, 4, 1) <= end:
        nxt = None
        if current.employment_type != "regular" and rng.random() < 0.06:
            nxt = Spell(date(year, 4, 1), current.entity, current.department, "G2", "regular")
        elif current.employment_type == "regular" and current.grade in GRADES[:-1]:
            idx = GRADES.index(current.grade)
            chance = manager_p if idx >= 3 else (0.17 if p.gender == "F" else 0.27)
            if rng.random() < chance:
                grade = GRADES[idx + 1]
                nxt = Spell(
                    date(year, 4, 1),
                    current.entity,
                    current.department,
                    grade,
                    "regular",
                    manager=grade.startswith("M"),
                )
        if nxt is not None:
            p.spells.append(nxt)
            current = nxt
        year += 1


def people(rng: np.random.Generator, n: int, first_fy: int, last_fy: int) -> list[Person]:
    horizon = date(last_fy + 1, 3, 31)
    out = []
    for i in range(n):
        gender = str(rng.choice(["F", "M", "X"], p=[0.44, 0.55, 0.01]))
        hire_year = last_fy - min(int(rng.exponential(7)), 35)
        new_grad = rng.random() < 0.45
        hire = (
            date(hire_year, 4, 1)
            if new_grad
            else _day(rng, date(hire_year, 4, 1), date(hire_year + 1, 3, 31))
        )
        age = int(rng.integers(22, 24)) if new_grad else int(rng.integers(23, 50))
        birth = _day(rng, date(hire.year - age - 1, 4, 2), date(hire.year - age, 4, 1))
        p = Person(f"H{i + 1:06d}", gender, birth, hire, new_graduate=bool(new_grad))
        _separation(rng, p, horizon)
        p.spells.append(_first_spell(rng, p))
        _career(rng, p, horizon)
        out.append(p)
    for p in out[: max(3, n // 100)]:  # a few long-serving officers of the filer
        if p.separation is None and p.hire.year < first_fy - 15:
            start = date(first_fy - 1, 6, 25)
            officer = Spell(
                start, "見える化商事", "役員室", "EX", "regular", manager=True, officer=True
            )
            p.spells = [s for s in p.spells if s.start < start] + [officer]
    return out
