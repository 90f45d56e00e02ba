"""Synthetic HR files for `bench_hc`, in the documented formats of `human_capital.md`.

numpy `Generator` with a fixed seed (never DuckDB's multi-argument `hash`, whose low bits
are correlated), written as Parquet in chunks so that memory stays flat. Ten fiscal years
(FY2015–FY2024) of an organisation of `employees` people ever employed, four entities.

The volume table is `training`: the domain page documents no attendance or working-hours
dataset (the pack's page lists mean overtime as not built for that reason); `training` is
the only documented per-person dataset that takes many rows per person and year ("one row
per course or per year: both are summed"), i.e. an attendance log of training sessions.
Its rows are written fiscal year by fiscal year, as such a log is appended.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

FIRST_FY, LAST_FY = 2015, 2024
ENTITIES = ("E01", "E02", "E03", "E04")
DEPTS = (
    "営業",
    "開発",
    "管理",
    "人事",
    "経理",
    "法務",
    "製造",
    "品質",
    "物流",
    "研究",
    "広報",
    "情報",
)
REASONS = ("voluntary", "involuntary", "retirement", "death", "transfer", "other")
KINDS = ("childcare_leave", "postnatal_paternity", "purpose_leave")
ITEMS = ("q1", "q2", "q3", "q4", "q5", "q6")
CHUNK = 2_000_000
DATASETS = (
    "employees",
    "positions",
    "wages",
    "paid_leave",
    "births",
    "childcare_leave",
    "health",
    "contribution",
    "survey_responses",
    "training",
)


def day(text: str) -> int:
    return int(np.datetime64(text, "D").astype(np.int64))


def dates(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype("datetime64[D]"), mask=mask)


def fy_bounds(fy: int) -> tuple[int, int]:
    return day(f"{fy}-04-01"), day(f"{fy + 1}-03-31")


def write(path: Path, table: pa.Table) -> None:
    pq.write_table(table, str(path), compression="zstd")


class Organisation:
    """Employees, positions and the per-person attributes the yearly files are drawn from."""

    def __init__(self, n: int, rng: np.random.Generator) -> None:
        self.n, self.rng = n, rng
        start, end = day(f"{FIRST_FY}-04-01"), day(f"{LAST_FY + 1}-03-31")
        veteran = rng.random(n) < 0.6
        hire = np.where(
            veteran, rng.integers(day("1985-04-01"), start, n), rng.integers(start, end + 1, n)
        )
        self.new_graduate = rng.random(n) < 0.3
        ymd = hire.astype("datetime64[D]")
        year = ymd.astype("datetime64[Y]").astype(int) + 1970
        month = ymd.astype("datetime64[M]").astype(int) % 12 + 1
        april = (np.array([f"{y}-04-01" for y in range(1980, 2027)], "datetime64[D]")).astype(int)[
            year - (month < 4) - 1980
        ]
        hire = np.where(self.new_graduate, april, hire)
        age = np.where(self.new_graduate, 22, rng.integers(22, 50, n))
        self.birth = hire - (age * 365.25).astype(int) - rng.integers(0, 365, n)
        self.hire = hire
        lo = np.maximum(hire + 30, start)
        separated = (rng.random(n) < np.where(veteran, 0.3, 0.35)) & (lo <= end)
        self.sep = np.where(separated, lo + (rng.random(n) * (end - lo + 1)).astype(int), -1)
        self.separated = separated
        self.reason = rng.choice(len(REASONS), n, p=[0.6, 0.05, 0.2, 0.01, 0.09, 0.05])
        self.gender = rng.choice(3, n, p=[0.45, 0.53, 0.02])  # F, M, X
        self.entity = rng.choice(len(ENTITIES), n, p=[0.5, 0.25, 0.15, 0.1])
        self.first_type = rng.choice(3, n, p=[0.7, 0.2, 0.1])  # regular, part_time, fixed_term
        self.base = rng.lognormal(np.log(5_000_000), 0.35, n)
        self.dept = rng.integers(0, len(DEPTS), n)
        self.ids = pa.array(np.char.add("E", np.char.zfill(np.arange(n).astype(str), 7)))
        self.last = np.where(separated, self.sep, end)

    def employees(self) -> pa.Table:
        reason = np.array(REASONS)[self.reason]
        return pa.table(
            {
                "employee_id": self.ids,
                "gender": pa.array(np.array(["F", "M", "X"])[self.gender]),
                "birth_date": dates(self.birth),
                "hire_date": dates(self.hire),
                "separation_date": dates(self.sep, ~self.separated),
                "separation_reason": pa.array(reason, mask=~self.separated),
                "new_graduate": pa.array(self.new_graduate),
            }
        )

    def positions(self) -> pa.Table:
        rng, n = self.rng, self.n
        span = self.last - self.hire
        k = np.where(span < 30, 1, rng.choice([1, 2, 3], n, p=[0.5, 0.35, 0.15]))
        who = np.repeat(np.arange(n), k)
        first = np.r_[0, np.cumsum(k)[:-1]]
        j = np.arange(len(who)) - np.repeat(first, k)
        offset = np.where(j == 0, 0, (rng.random(len(who)) * span[who]).astype(int))
        order = np.lexsort((offset, who))
        who, j, offset = who[order], j[order], offset[order]
        keep = np.r_[True, (who[1:] != who[:-1]) | (offset[1:] != offset[:-1])]
        who, offset = who[keep], offset[keep]
        step = np.arange(len(who)) - np.searchsorted(who, who)  # 0, 1, 2 per person
        start = self.hire[who] + offset
        last_of_person = np.r_[who[1:] != who[:-1], True]
        nxt = np.r_[start[1:], 0] - 1
        end = np.where(last_of_person, self.sep[who], nxt)
        open_end = last_of_person & ~self.separated[who]
        grade = np.minimum(rng.integers(1, 7, self.n)[who] + step, 8)
        etype = np.where(
            step == 0, self.first_type[who], np.where(rng.random(len(who)) < 0.5, 0, 1)
        )
        etype = np.where((step > 0) & (self.first_type[who] == 2), 2, etype)
        manager = (grade >= 6) & (etype == 0) & (rng.random(len(who)) < 0.6)
        officer = (grade == 8) & (rng.random(len(who)) < 0.01)
        hours = np.where(etype == 1, rng.integers(20, 33, len(who)), 30).astype(float)
        dept = np.where(step == 0, self.dept[who], rng.integers(0, len(DEPTS), len(who)))
        self.dept_last = np.zeros(self.n, dtype=int)
        self.dept_last[who] = dept  # sorted by person and date: the last position wins
        return pa.table(
            {
                "employee_id": self.ids.take(pa.array(who)),
                "valid_from": dates(start),
                "valid_to": dates(end, open_end),
                "entity": pa.array(np.array(ENTITIES)[self.entity[who]]),
                "department": pa.array(np.array(DEPTS)[dept]),
                "grade": pa.array(np.char.add("G", grade.astype(str))),
                "employment_type": pa.array(
                    np.array(["regular", "part_time", "fixed_term"])[etype]
                ),
                "is_manager": pa.array(manager),
                "is_officer": pa.array(officer),
                "weekly_hours": pa.array(hours, mask=etype == 0),
            }
        )

    def years(self) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """(fy, people employed at some point in it, share of the year employed)."""
        out = []
        for fy in range(FIRST_FY, LAST_FY + 1):
            s, e = fy_bounds(fy)
            who = np.nonzero((self.hire <= e) & (~self.separated | (self.sep >= s)))[0]
            days = np.minimum(self.last[who], e) - np.maximum(self.hire[who], s) + 1
            out.append((fy, who, days / (e - s + 1)))
        return out

    def yearly(self) -> dict[str, pa.Table]:
        """wages, paid_leave, health and contribution: one row per person and fiscal year."""
        rng = self.rng
        parts: dict[str, list[pa.Table]] = {
            k: [] for k in ("wages", "paid_leave", "health", "contribution")
        }
        for fy, who, share in self.years():
            m = len(who)
            ids = self.ids.take(pa.array(who))
            fyc = pa.array(np.full(m, fy))
            factor = np.where(self.gender[who] == 0, 0.8, 1.0) * np.where(
                self.first_type[who] == 0, 1.0, 0.45
            )
            pay = (self.base[who] * factor * share * (1 + 0.02 * (fy - FIRST_FY))).astype(np.int64)
            commuting = (120_000 * share).astype(np.int64)
            s, e = fy_bounds(fy)
            left = self.separated[who] & (self.sep[who] >= s) & (self.sep[who] <= e)
            retire = np.where(left & (self.reason[who] == 2), 20_000_000, 0)
            retire = np.where(left & (self.reason[who] == 0), pay, retire).astype(np.int64)
            parts["wages"].append(
                pa.table(
                    {
                        "employee_id": ids,
                        "fiscal_year": fyc,
                        "total_wages": pa.array(pay + commuting + retire),
                        "commuting_allowance": pa.array(commuting),
                        "retirement_allowance": pa.array(retire),
                    }
                )
            )
            granted = rng.integers(10, 21, m).astype(float)
            carried = rng.integers(0, 21, m).astype(float)
            taken = np.minimum(np.floor(rng.random(m) * (granted + 1) * 2) / 2, granted + carried)
            parts["paid_leave"].append(
                pa.table(
                    {
                        "employee_id": ids,
                        "fiscal_year": fyc,
                        "days_granted": pa.array(granted),
                        "days_carried_over": pa.array(carried),
                        "days_taken": pa.array(taken),
                    }
                )
            )
            parts["health"].append(
                pa.table(
                    {
                        "employee_id": ids,
                        "fiscal_year": fyc,
                        "stress_check_done": pa.array(rng.random(m) < 0.9),
                        "dock_done": pa.array(rng.random(m) < 0.6),
                    }
                )
            )
            value = (pay * rng.uniform(1.2, 2.5, m)).astype(np.int64)
            parts["contribution"].append(
                pa.table({"employee_id": ids, "fiscal_year": fyc, "value_added": pa.array(value)})
            )
        return {k: pa.concat_tables(v) for k, v in parts.items()}

    def births_and_leave(self) -> tuple[pa.Table, pa.Table]:
        rng = self.rng
        who_all, born_all = [], []
        for fy, who, _share in self.years():
            s, e = fy_bounds(fy)
            age = (s - self.birth[who]) / 365.25
            has = who[(age >= 25) & (age <= 45) & (rng.random(len(who)) < 0.05)]
            lo = np.maximum(self.hire[has], s)
            hi = np.minimum(self.last[has], e)
            born = lo + (rng.random(len(has)) * (hi - lo + 1)).astype(int)
            twins = rng.random(len(has)) < 0.01
            who_all += [has, has[twins]]
            born_all += [born, born[twins]]
        who, born = np.concatenate(who_all), np.concatenate(born_all)
        recorded = rng.random(len(who)) >= 0.005  # a few births never reported to HR
        births = pa.table(
            {
                "employee_id": self.ids.take(pa.array(who[recorded])),
                "child_birth_date": dates(born[recorded]),
            }
        )
        single = np.r_[True, (who[1:] != who[:-1]) | (born[1:] != born[:-1])]
        who, born = who[single], born[single]
        men = self.gender[who] == 1
        takes = np.where(men, rng.random(len(who)) < 0.35, rng.random(len(who)) < 0.9)
        who, born, men = who[takes], born[takes], men[takes]
        kind = np.where(men, rng.choice(3, len(who), p=[0.55, 0.35, 0.1]), 0)
        start = born + np.where(men, rng.integers(0, 240, len(who)), 57)
        length = np.where(men, rng.integers(5, 60, len(who)), rng.integers(180, 540, len(who)))
        split = men & (rng.random(len(who)) < 0.2)
        start2 = start + length + rng.integers(30, 200, len(who))
        w = np.r_[who, who[split]]
        leave = pa.table(
            {
                "employee_id": self.ids.take(pa.array(w)),
                "child_birth_date": dates(np.r_[born, born[split]]),
                "start_date": dates(np.r_[start, start2[split]]),
                "end_date": dates(np.r_[start + length, start2[split] + 10]),
                "kind": pa.array(np.array(KINDS)[np.r_[kind, kind[split]]]),
            }
        )
        return births, leave

    def survey(self) -> pa.Table:
        """One engagement survey a year (October), 70 % of the staff answering six items."""
        rng, parts = self.rng, []
        for fy in range(FIRST_FY, LAST_FY + 1):
            d = day(f"{fy}-10-01")
            staff = np.nonzero((self.hire <= d) & (~self.separated | (self.sep >= d)))[0]
            who = staff[rng.random(len(staff)) < 0.7]
            m = len(who)
            mood = rng.normal(0, 1, m)
            enps = np.clip(np.round(7 + 2 * mood + rng.normal(0, 1, m)), 0, 10).astype(int)
            keys = np.char.add(f"R{fy}-", rng.permutation(m).astype(str))
            rep = np.repeat(np.arange(m), len(ITEMS))
            item = np.tile(np.arange(len(ITEMS)), m)
            weight = np.array([1.0, 0.8, 0.5, 0.3, 0.2, 0.1])[item]
            score = np.clip(np.round(3.4 + weight * mood[rep] + rng.normal(0, 0.8, len(rep))), 1, 5)
            parts.append(
                pa.table(
                    {
                        "respondent_key": pa.array(keys[rep]),
                        "survey_id": pa.array(np.full(len(rep), f"ES{fy}")),
                        "fiscal_year": pa.array(np.full(len(rep), fy)),
                        "department": pa.array(np.array(DEPTS)[self.dept_last[who][rep]]),
                        "item_id": pa.array(np.array(ITEMS)[item]),
                        "score": pa.array(score.astype(np.int64)),
                        "enps": pa.array(enps[rep]),
                    }
                )
            )
        return pa.concat_tables(parts)

    def training(self, rows: int, path: Path, say: Callable[[str], None]) -> None:
        """`rows` session records, spread over the years by headcount, written year by year."""
        rng = self.rng
        years = self.years()
        total = sum(len(w) for _, w, _ in years)
        written, writer = 0, None
        hours_choice = np.array([0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 8.0])
        for i, (fy, who, _share) in enumerate(years):
            goal = rows if i == len(years) - 1 else round(rows * len(who) / total)
            goal = min(goal, rows - written)
            for start in range(0, goal, CHUNK):
                m = min(CHUNK, goal - start)
                pick = who[rng.integers(0, len(who), m)]
                cost = np.where(rng.random(m) < 0.3, rng.integers(1, 50, m) * 1000, 0)
                batch = pa.table(
                    {
                        "employee_id": self.ids.take(pa.array(pick)),
                        "fiscal_year": pa.array(np.full(m, fy)),
                        "hours": pa.array(hours_choice[rng.integers(0, 7, m)]),
                        "cost": pa.array(cost.astype(np.int64)),
                    }
                )
                if writer is None:
                    writer = pq.ParquetWriter(str(path), batch.schema, compression="zstd")
                writer.write_table(batch, row_group_size=1_000_000)
            written += goal
            say(f"  training FY{fy}: {goal:,} rows ({written:,} / {rows:,})")
        assert writer is not None
        writer.close()


def generate(employees: int, attendance: int, folder: Path, say: Callable[[str], None]) -> None:
    """Write every dataset of the pack as `folder/<dataset>.parquet` (skips when complete)."""
    done = folder / "complete"
    if done.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    org = Organisation(employees, np.random.default_rng(20250331))
    write(folder / "employees.parquet", org.employees())
    say(f"  employees: {employees:,}")
    positions = org.positions()
    write(folder / "positions.parquet", positions)
    say(f"  positions: {positions.num_rows:,}")
    for name, table in org.yearly().items():
        write(folder / f"{name}.parquet", table)
        say(f"  {name}: {table.num_rows:,}")
    births, leave = org.births_and_leave()
    write(folder / "births.parquet", births)
    write(folder / "childcare_leave.parquet", leave)
    say(f"  births: {births.num_rows:,}, childcare_leave: {leave.num_rows:,}")
    survey = org.survey()
    write(folder / "survey_responses.parquet", survey)
    say(f"  survey_responses: {survey.num_rows:,}")
    org.training(attendance, folder / "training.parquet", say)
    done.write_text("ok\n", encoding="utf-8")
