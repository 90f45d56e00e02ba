"""Synthetic data for the demo organisation (見える化商事), drawn with numpy's Generator.

The files deliberately use the conventions real Japanese files have: the staff roster is
CP932 with 和暦 dates and ○/× flags, the department master is an XLSX sheet, amounts carry
thousands separators and △ for credit notes. A handful of planted anomalies give the rules
something to find. The seed is fixed, so the demo is reproducible.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from openpyxl import Workbook

from mieruka.japan.wareki import format_wareki

DEPARTMENTS = [
    ("D10", "営業第一部", "東日本"),
    ("D11", "営業第二部", "西日本"),
    ("D20", "開発部", "東日本"),
    ("D30", "製造部", "西日本"),
    ("D40", "管理部", "東日本"),
    ("D50", "海外事業部", "海外"),
]
CATEGORIES = ["旅費交通費", "広告宣伝費", "外注費", "消耗品費", "通信費"]
SIZES = {"small": 300, "medium": 3_000, "large": 30_000}


def staff_count(size: str) -> int:
    if size in SIZES:
        return SIZES[size]
    if size.isdigit() and int(size) > 0:
        return int(size)
    raise ValueError(f"expected small, medium, large or a number of employees, found {size!r}")


def _day(origin: date, offsets: np.ndarray) -> list[date]:
    return [origin + timedelta(days=int(o)) for o in offsets]


def _yen(amount: int) -> str:
    return f"△{-amount:,}" if amount < 0 else f"{amount:,}"


def write_departments(folder: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "部署"
    sheet.append(["dept_code", "name", "region"])
    for row in DEPARTMENTS:
        sheet.append(list(row))
    path = folder / "departments.xlsx"
    book.save(path)
    return path


def write_staff(
    folder: Path, n: int, rng: np.random.Generator, first_fy: int, last_fy: int
) -> Path:
    start = date(first_fy - 15, 4, 1)
    span = (date(last_fy + 1, 3, 31) - start).days
    hire = np.sort(rng.integers(0, span - 30, n))
    gender = rng.choice(["F", "M"], n, p=[0.42, 0.58])
    dept = rng.choice([d[0] for d in DEPARTMENTS], n)
    tenure = rng.exponential(3_000, n).astype(int) + 60
    manager_p = np.where(gender == "F", 0.10, 0.20)
    manager = rng.random(n) < manager_p
    salary = (rng.normal(5_200_000, 900_000, n) + manager * 2_500_000).round(-3).astype(int)
    path = folder / "staff.csv"
    end = date(last_fy + 1, 3, 31)
    with path.open("w", encoding="cp932", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "staff_id",
                "gender",
                "dept_code",
                "hire_date",
                "leave_date",
                "is_manager",
                "annual_salary",
            ]
        )
        for i in range(n):
            hired = start + timedelta(days=int(hire[i]))
            left = hired + timedelta(days=int(tenure[i]))
            writer.writerow(
                [
                    f"S{i + 1:06d}",
                    gender[i],
                    dept[i],
                    format_wareki(hired),
                    "" if left > end else format_wareki(left, style="short"),
                    "○" if manager[i] else "×",
                    f"{max(int(salary[i]), 2_400_000):,}",
                ]
            )
    return path


def write_sales(
    folder: Path, n_staff: int, rng: np.random.Generator, first_fy: int, last_fy: int
) -> Path:
    start, end = date(first_fy, 4, 1), date(last_fy + 1, 3, 31)
    n = n_staff * 25 * (last_fy - first_fy + 1)
    issued = np.sort(rng.integers(0, (end - start).days + 1, n))
    amount = (rng.lognormal(12.2, 0.9, n)).round(-2).astype(int)
    credit = rng.random(n) < 0.02
    amount = np.where(credit, -amount // 2, amount)
    dept = rng.choice([d[0] for d in DEPARTMENTS], n)
    pay_lag = rng.gamma(4.0, 9.0, n).astype(int)
    unpaid = rng.random(n) < 0.03
    path = folder / "sales.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "invoice_no",
                "dept_code",
                "customer",
                "invoice_date",
                "due_date",
                "paid_date",
                "amount",
            ]
        )
        for i in range(n):
            day = start + timedelta(days=int(issued[i]))
            due = day + timedelta(days=30)
            paid = day + timedelta(days=int(pay_lag[i]))
            code = str(dept[i])
            if i % 4_999 == 17:  # planted: a department missing from the master
                code = "D99"
            if i % 7_919 == 23:  # planted: payment before the invoice
                paid = day - timedelta(days=3)
            if i % 9_973 == 31:  # planted: a large credit note
                amount[i] = -2_500_000
            writer.writerow(
                [
                    f"INV{i + 1:08d}",
                    code,
                    f"C{int(rng.integers(1, 400)):04d}",
                    day.isoformat(),
                    due.isoformat(),
                    "" if unpaid[i] or paid > end else paid.strftime("%Y/%m/%d"),
                    _yen(int(amount[i])),
                ]
            )
    return path


def write_expenses(
    folder: Path, n_staff: int, rng: np.random.Generator, first_fy: int, last_fy: int
) -> Path:
    start, end = date(first_fy, 4, 1), date(last_fy + 1, 3, 31)
    n = n_staff * 12 * (last_fy - first_fy + 1)
    days = np.sort(rng.integers(0, (end - start).days + 1, n))
    amount = rng.lognormal(10.8, 1.1, n).round(0).astype(int)
    category = rng.choice(CATEGORIES, n)
    dept = rng.choice([d[0] for d in DEPARTMENTS], n)
    path = folder / "expenses.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["expense_id", "dept_code", "spent_on", "category", "amount"])
        for i in range(n):
            writer.writerow(
                [
                    f"E{i + 1:08d}",
                    dept[i],
                    (start + timedelta(days=int(days[i]))).isoformat(),
                    category[i],
                    f"{int(amount[i]):,}",
                ]
            )
    return path


def generate(
    folder: Path, size: str, first_fy: int, last_fy: int, seed: int = 20240401
) -> dict[str, Path]:
    """Write the demo's source files into `folder`; returns dataset id -> file."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n = staff_count(size)
    return {
        "departments": write_departments(folder),
        "staff": write_staff(folder, n, rng, first_fy, last_fy),
        "sales": write_sales(folder, n, rng, first_fy, last_fy),
        "expenses": write_expenses(folder, n, rng, first_fy, last_fy),
    }
