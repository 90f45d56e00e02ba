"""Baseline (a) of `bench_hc`: the same figures as a straightforward pandas implementation.

What an analyst writes with pandas from the domain page: `read_parquet` of the snapshot
files (only the columns needed — whole files, or with `year_only` the yearly files
filtered to the year, which skips the other years' row groups as DuckDB does), dates to datetime64, merges and boolean masks for the
employment and placement rules, `groupby` for the total and each breakdown, and a row
loop for the per-person LTV. Decimal columns are read as floats (pandas has no decimal
dtype; the data's halves and whole hours are exact in binary); FTE shares are summed in
thousandths so that a tie at one decimal is not lost. Sums go to `hc_figures`, which
divides and rounds exactly like the other two sides.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hc_figures import (
    AS_OF,
    FY,
    FY_END,
    FY_START,
    Figures,
    Meta,
    add_groups,
    gap,
    kaplan_meier,
    key,
    rounded,
)

S, E, A = pd.Timestamp(FY_START), pd.Timestamp(FY_END), pd.Timestamp(AS_OF)
POOLED = "その他（少人数部署を統合）"
COLUMNS = {
    "employees": None,
    "positions": None,
    "wages": [
        "employee_id",
        "fiscal_year",
        "total_wages",
        "commuting_allowance",
        "retirement_allowance",
    ],
    "paid_leave": ["employee_id", "fiscal_year", "days_granted", "days_taken"],
    "births": None,
    "childcare_leave": ["employee_id", "child_birth_date", "start_date", "kind"],
    "health": None,
    "training": None,
    "survey_responses": None,
    "contribution": None,
}
DATES = (
    "birth_date",
    "hire_date",
    "separation_date",
    "valid_from",
    "valid_to",
    "child_birth_date",
    "start_date",
)
GROUP_TYPES = {
    "all": ("regular", "part_time", "fixed_term"),
    "regular": ("regular",),
    "non_regular": ("part_time", "fixed_term"),
}


# only the year's rows of these are needed (year_only reads just those)
ONE_YEAR = ("paid_leave", "health", "training", "survey_responses")


def read(snapshots: dict[str, Path], year_only: bool) -> dict[str, pd.DataFrame]:
    frames = {}
    for name, columns in COLUMNS.items():
        filters = [("fiscal_year", "==", FY)] if year_only and name in ONE_YEAR else None
        df = pd.read_parquet(snapshots[name], columns=columns, filters=filters)
        for col in df.columns:
            if col in DATES:
                df[col] = pd.to_datetime(df[col])
            elif df[col].dtype == object and len(df) and hasattr(df[col].iloc[0], "as_tuple"):
                df[col] = df[col].astype(float)  # Decimal -> float
        frames[name] = df
    return frames


def groups(df: pd.DataFrame, by: tuple[str, ...], kind: str) -> list[tuple[dict, Any, Any]]:
    """(dims, num, den) for the total and each single-dimension breakdown."""
    if df.empty:
        return []
    out: list[tuple[dict, Any, Any]] = []
    if kind == "count":
        out.append(({}, len(df), None))
        for d in by:
            for v, n in df.groupby(d, dropna=False).size().items():
                out.append(({d: None if pd.isna(v) else v}, n, None))
        return out
    den = "den" if kind == "ratio" else "num"
    agg = "sum" if kind == "ratio" else "count"
    out.append(({}, df["num"].sum(), getattr(df[den], agg)()))
    for d in by:
        g = df.groupby(d, dropna=False)
        for (v, n), (_, m) in zip(
            g["num"].sum().items(), getattr(g[den], agg)().items(), strict=True
        ):
            out.append(({d: None if pd.isna(v) else v}, n, m))
    return out


def employed(df: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    return (df.hire_date <= day) & (df.separation_date.isna() | (df.separation_date >= day))


def in_force(df: pd.DataFrame, day: Any) -> pd.Series:
    return (df.valid_from <= day) & (df.valid_to.isna() | (df.valid_to >= day))


def latest_position(people: pd.DataFrame, pos: pd.DataFrame, on: str) -> pd.DataFrame:
    """Each person's latest position that started on or before the date in column `on`."""
    m = people.merge(pos, on="employee_id")
    m = m[m.valid_from <= m[on]]
    return m.sort_values(["employee_id", "valid_from"]).drop_duplicates("employee_id", keep="last")


def not_officer(df: pd.DataFrame) -> pd.DataFrame:
    return df[~df.is_officer.fillna(False).astype(bool)]


class Calc:
    def __init__(self, f: dict[str, pd.DataFrame], metas: dict[str, Meta]) -> None:
        self.f, self.metas, self.out = f, metas, {}
        emp, pos = f["employees"], f["positions"]
        self.staff_end = emp[employed(emp, A)].merge(pos[in_force(pos, A)], on="employee_id")
        placed = emp.assign(placed_on=emp.separation_date.fillna(E).clip(upper=E))
        self.placed_end = latest_position(placed, pos, "placed_on")
        self.placed_end["at_end"] = employed(self.placed_end, E)

    def add(self, ind: str, df: pd.DataFrame, kind: str | None = None) -> None:
        meta = self.metas[ind]
        add_groups(self.out, ind, meta, groups(df, meta.by, kind or meta.aggregate))

    def statutory(self) -> None:
        st = not_officer(self.staff_end)
        mgr = st[st.is_manager.fillna(False).astype(bool)]
        self.add("hc.female_manager_share", mgr.assign(num=mgr.gender == "F", den=1))
        both = ("childcare_leave", "postnatal_paternity")
        self.add("hc.male_childcare_leave_rate", self.childcare(both))
        self.add(
            "hc.male_childcare_leave_rate_incl_purpose", self.childcare((*both, "purpose_leave"))
        )

    def childcare(self, kinds: tuple[str, ...]) -> pd.DataFrame:
        f, pos = self.f, self.f["positions"]
        men = f["employees"][f["employees"].gender == "M"]
        born = f["births"].drop_duplicates().merge(men, on="employee_id")
        born = born[
            born.child_birth_date.between(S, E)
            & (born.hire_date <= born.child_birth_date)
            & (born.separation_date.isna() | (born.separation_date >= born.child_birth_date))
        ]
        leave = f["childcare_leave"]
        leave = leave[leave.kind.isin(kinds) & leave.employee_id.isin(men.employee_id)]
        took = leave.groupby(["employee_id", "child_birth_date"], as_index=False).start_date.min()
        took = took[took.start_date.between(S, E)]
        cases = (
            born[["employee_id", "child_birth_date"]]
            .assign(den=True)
            .merge(took.assign(num=True), on=["employee_id", "child_birth_date"], how="outer")
        )
        cases["num"] = cases.num.fillna(False).astype(bool)
        cases["den"] = cases.den.fillna(False).astype(bool)
        cases["placed_on"] = cases.child_birth_date.where(cases.den, cases.start_date)
        m = cases.merge(
            pos[["employee_id", "valid_from", "valid_to", "entity", "department"]], on="employee_id"
        )
        m = m[in_force(m, m.placed_on)]
        keys = ["employee_id", "child_birth_date"]
        return cases.merge(m[[*keys, "entity", "department"]], on=keys, how="left")

    def wage_base(self) -> pd.DataFrame:
        w = self.f["wages"]
        w = w[w.fiscal_year == FY].merge(not_officer(self.placed_end), on="employee_id")
        w["wage"] = (
            w.total_wages - w.retirement_allowance.fillna(0) - w.commuting_allowance.fillna(0)
        ).astype("int64")
        return w

    def wages(self) -> None:
        base = self.wage_base()
        for group, types in GROUP_TYPES.items():
            w = base[base.employment_type.isin(types)]
            self.add(
                f"hc.wage_mean_{group}",
                w.assign(num=w.wage, den=1, entity_gender=w.entity + ":" + w.gender),
            )
            fm = w[w.gender.isin(["F", "M"])]
            ind = f"hc.wage_gap_{group}"
            for entity, part in [*fm.groupby("entity"), (None, fm)]:
                s = part.groupby("gender").wage.agg(["sum", "count"])
                if "F" in s.index and "M" in s.index:
                    value = gap(
                        s.loc["F", "sum"],
                        s.loc["F", "count"],
                        s.loc["M", "sum"],
                        s.loc["M", "count"],
                    )
                    dims = {} if entity is None else {"entity": entity}
                    self.out[key(ind, dims)] = rounded(value, self.metas[ind])
        self.add("hc.wage_gap_excluded", base[base.gender == "X"])

    def voluntary(self) -> None:
        f = self.f
        pl = f["paid_leave"]
        pl = pl[pl.fiscal_year == FY].merge(self.placed_end, on="employee_id")
        pl = pl.assign(num=pl.days_taken, den=pl.days_granted)
        self.add("hc.paid_leave_uptake", pl[pl.employment_type == "regular"])
        self.add("hc.paid_leave_uptake_all", pl)
        emp = f["employees"]
        left = emp.separation_date.between(S, E)
        e = emp.assign(left_year=left, at_start=employed(emp, S))
        e = e[e.left_year | e.at_start]
        e = e.assign(placed_on=e.separation_date.where(e.left_year, S))
        t = not_officer(latest_position(e, f["positions"], "placed_on"))
        t = t.assign(
            num=t.left_year, den=t.at_start, reason=t.separation_reason.where(t.left_year, None)
        )
        self.add("hc.turnover", t)
        self.add(
            "hc.turnover_voluntary",
            t.assign(num=t.left_year & (t.separation_reason == "voluntary")),
        )
        ng = emp[
            emp.new_graduate.fillna(False).astype(bool)
            & emp.hire_date.between(S - pd.DateOffset(years=2), E - pd.DateOffset(years=2))
        ]
        ng = ng.assign(num=(ng.separation_date < ng.hire_date + pd.DateOffset(years=3)), den=1)
        self.add("hc.turnover_new_graduates", ng)
        st = not_officer(self.staff_end)
        self.add("hc.average_tenure", st.assign(num=(A - st.hire_date).dt.days, den=365.25))
        self.add("hc.headcount", st)
        milli = np.where(
            st.weekly_hours.isna(), 1000, np.minimum(st.weekly_hours.fillna(0) * 25, 1000)
        ).astype("int64")
        meta = self.metas["hc.fte"]
        add_groups(
            self.out,
            "hc.fte",
            meta,
            [
                (d, Fraction(int(n), 1000), c)
                for d, n, c in groups(st.assign(num=milli), meta.by, "sum")
            ],
        )
        h = f["health"]
        sh = st.merge(h[h.fiscal_year == FY], on="employee_id", how="left")
        self.add(
            "hc.stress_check_coverage",
            sh.assign(num=sh.stress_check_done.fillna(False).astype(bool), den=1),
        )
        old = sh[sh.birth_date <= E - pd.DateOffset(years=45)]
        self.add(
            "hc.dock_uptake_45", old.assign(num=old.dock_done.fillna(False).astype(bool), den=1)
        )
        tr = f["training"]
        tr = tr[tr.fiscal_year == FY]
        per = tr.groupby("employee_id")[["hours", "cost"]].sum()
        p = (
            not_officer(self.placed_end)
            .merge(per, on="employee_id", how="left")
            .fillna({"hours": 0, "cost": 0})
        )
        for col, ind in (
            ("hours", "hc.training_hours_per_employee"),
            ("cost", "hc.training_cost_per_employee"),
        ):
            rows = p[p.at_end | (p[col] > 0)]
            self.add(ind, rows.assign(num=rows[col], den=rows.at_end))
        self.add("hc.training_cost_total", tr.assign(num=tr.cost, fiscal_year=str(FY)))

    def engagement(self, threshold: int = 5) -> None:
        r = self.f["survey_responses"]
        r = r[r.fiscal_year == FY].assign(department=lambda x: x.department.fillna(""))
        r = r.sort_values(["survey_id", "respondent_key", "item_id"])
        who = r.survey_id + "\x00" + r.respondent_key
        people = who.groupby(r.department).nunique()
        small = people[people < threshold].index
        pooled = who[r.department.isin(small)].nunique()
        if who.nunique() < threshold:
            return
        label = {
            d: (d if n >= threshold else (POOLED if pooled >= threshold else None))
            for d, n in people.items()
        }
        r = r.assign(department=r.department.map(label)).dropna(subset=["department"])
        fav = r[r.score.notna()]
        self.add("hc.engagement_favourable", fav.assign(num=fav.score >= 4, den=1))
        first = r[r.enps.notna()].drop_duplicates(["survey_id", "respondent_key"])
        net = np.where(first.enps >= 9, 1, np.where(first.enps <= 6, -1, 0))
        self.add("hc.enps", first.assign(num=net, den=1))
        both = r[r.score.notna() & r.enps.notna()]
        for item, g in both.groupby("item_id"):
            xs, ys = g.score.to_numpy(float), g.enps.to_numpy(float)
            if len(xs) >= 3 and np.std(xs) > 0 and np.std(ys) > 0:
                self.out[key("hc.engagement_driver", {"item_id": item})] = rounded(
                    float(np.corrcoef(xs, ys)[0, 1]), self.metas["hc.engagement_driver"]
                )

    def ltv(self, rate: float = 0.05) -> None:
        f = self.f
        p = self.placed_end[self.placed_end.hire_date <= A].copy()
        p["gone"] = p.separation_date.notna() & (p.separation_date < A)
        end = p.separation_date.where(p.gone, A)
        p["years"] = (end - p.hire_date).dt.days / 365.25
        p["department"] = p.department.fillna("")
        curves = {}
        for dept, g in p.groupby("department"):
            whole = np.floor(g.years).astype(int)
            curves[dept] = kaplan_meier(
                whole.value_counts().to_dict(), whole[g.gone].value_counts().to_dict(), 45
            )
            for t in range(11):
                self.out[
                    key("hc.retention_curve", {"department": dept, "tenure_year": f"{t:02d}"})
                ] = rounded(curves[dept][t] * 100, self.metas["hc.retention_curve"])
        c = f["contribution"]
        net = c[c.fiscal_year <= FY].merge(
            f["wages"][["employee_id", "fiscal_year", "total_wages"]],
            on=["employee_id", "fiscal_year"],
            how="left",
        )
        net["net"] = net.value_added - net.total_wages.fillna(0).astype("int64")
        realised = net.groupby("employee_id").net.sum()
        recent = (
            net.sort_values("fiscal_year", ascending=False)
            .groupby("employee_id")
            .head(3)
            .groupby("employee_id")
            .net.mean()
        )
        alive = p[~p.gone].merge(realised.rename("realised"), on="employee_id")
        alive = alive.merge(recent.rename("recent"), on="employee_id")
        values = []
        for row in alive.itertuples():
            curve = curves[row.department]
            tau = int((A - row.hire_date).days / 365.25)
            age = (A - row.birth_date).days / 365.25 if pd.notna(row.birth_date) else 40.0
            expected = 0.0
            for k in range(1, max(int(65 - age), 0) + 1):
                if tau + k < len(curve) and curve[tau] > 0:
                    expected += curve[tau + k] / curve[tau] * float(row.recent) / (1 + rate) ** k
            values.append(round(float(row.realised) + expected))
        alive["num"] = values
        self.add("hc.employee_ltv", alive)

    def rules(self) -> dict[str, int]:
        f = self.f
        emp, pos, w = f["employees"], f["positions"], f["wages"]
        w = w[(w.fiscal_year == FY) & (w.total_wages - w.retirement_allowance.fillna(0) > 0)]
        w = w.merge(emp, on="employee_id", how="left")
        bad = w.hire_date.isna() | (w.hire_date > E) | (w.separation_date < S)
        staff = emp[employed(emp, A)]
        leave = f["childcare_leave"]
        leave = leave[leave.start_date.between(S, E)][["employee_id", "child_birth_date"]]
        leave = leave.drop_duplicates().merge(
            f["births"].drop_duplicates(), how="left", indicator=True
        )
        counts = {
            "hc.wages_while_not_employed": int(bad.sum()),
            "hc.position_of_unknown_employee": int((~pos.employee_id.isin(emp.employee_id)).sum()),
            "hc.employed_without_position": int(
                (~staff.employee_id.isin(self.staff_end.employee_id)).sum()
            ),
            "hc.leave_without_birth": int((leave._merge == "left_only").sum()),
        }
        return {k: v for k, v in counts.items() if v}


def run(
    snapshots: dict[str, Path], metas: dict[str, Meta], *, year_only: bool = False
) -> tuple[Figures, dict[str, int]]:
    """Every hc. figure of FY2024 and the violations per rule; `year_only` reads only the
    year's rows of the yearly files (a pyarrow filter) instead of whole files."""
    calc = Calc(read(snapshots, year_only), metas)
    calc.statutory()
    calc.wages()
    calc.voluntary()
    calc.engagement()
    calc.ltv()
    return calc.out, calc.rules()
