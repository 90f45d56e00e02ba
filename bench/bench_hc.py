"""Benchmark: every `hc.` indicator of FY2024 with evidence, against pandas and DuckDB SQL.

    python bench/bench_hc.py --employees 300000 --attendance 50000000 [--repeat 1]
    python bench/bench_hc.py --rows 50000000 --json      # as bench/run_all.py calls it

Generates ten fiscal years (FY2015–FY2024) of the human-capital pack's documented files
for `--employees` people ever employed (numpy Generator, fixed seed; `hc_data.py`), with
`--attendance` rows in the volume table — `training`, one row per session attended: the
domain page documents no attendance dataset, and `training` is the documented dataset that
carries per-person, many-rows-a-year volume. The Parquet files go to
bench/data/hc/<employees>_<attendance>/; a workspace with only the human_capital pack
enabled is built in bench/data/ws-hc/<employees>_<attendance>/ and every file is loaded
through mieruka's loader (with all checks), timed per dataset. Both are reused later.

Then, interleaved, each timed best of `--repeat` after one warm-up:

  (a) pandas: a straightforward pandas implementation of the same figures (`hc_pandas.py`)
      — read the snapshot Parquet files, merge, filter, groupby the total and each
      breakdown; goal: mieruka at least 5× faster; (a') the same reading only the fiscal
      year's rows of the yearly files (paid_leave, health, training, survey_responses) —
      a pyarrow filter that skips the other years' row groups, as DuckDB does;
  (b) DuckDB SQL: the same figures hand-written in SQL (`hc_sql.py`), GROUPING SETS per
      indicator, no evidence; goal: mieruka within 1.5×;
  (c) mieruka: `start_run(project, Period.for_fiscal_year(2024))` — every hc. indicator
      with the fingerprint of its evidence, targets, the four cross-dataset rules, the run
      appended to the ledger.

Every figure (total and each breakdown) of (a) and (b) is compared with the run's stored
values, and the violations per rule with the run's; the agreement is printed. Peak memory
of each side is the process's peak RSS over that side's runs alone (VmHWM, reset through
/proc/self/clear_refs before each phase).
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import hc_pandas
import hc_sql
from harness import peak_mb, reset_peak
from hc_data import DATASETS, generate
from hc_figures import FY, Figures, Meta, compare, key, per_indicator

DATA = Path(__file__).resolve().parent / "data"
Say = Callable[[str], None]


def employees_for(attendance: int) -> int:
    """300,000 people for 50,000,000 attendance rows, in proportion at other sizes."""
    return max(1_000, attendance * 3 // 500)


def prepare(employees: int, attendance: int, say: Say) -> tuple[Path, dict[str, float]]:
    """The loaded workspace (built once, then reused) and the load time of each dataset."""
    from mieruka.core.datasets import load
    from mieruka.core.project import Project
    from mieruka.core.workspace import init_workspace, open_workspace

    size = f"{employees}_{attendance}"
    source = DATA / "hc" / size
    if not (source / "complete").exists():
        say(f"generating {employees:,} employees, {attendance:,} attendance rows → {source}")
        t0 = time.perf_counter()
        generate(employees, attendance, source, say)
        say(f"generated in {time.perf_counter() - t0:.1f} s")
    root = DATA / "ws-hc" / size
    ready = root / ".mieruka" / "bench-ready.json"
    if ready.exists():
        return root, json.loads(ready.read_text("utf-8"))
    shutil.rmtree(root, ignore_errors=True)
    init_workspace(root, organisation="ベンチマーク株式会社", enabled_packs=["human_capital"])
    with (root / "mieruka.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[packs.human_capital]\nfiler_entity = "E01"\n')
    project = Project(open_workspace(root))
    times: dict[str, float] = {}
    try:
        for name in DATASETS:
            reset_peak()
            t0 = time.perf_counter()
            outcome = load(project, name, source / f"{name}.parquet")
            times[name] = time.perf_counter() - t0
            times[f"{name}.peak_mb"] = peak_mb()
            say(
                f"  loaded {name}: {outcome.snapshot.rows:,} rows in {times[name]:.1f} s"
                f" (peak {times[f'{name}.peak_mb']:,.0f} MB)"
            )
    finally:
        project.close()
    ready.write_text(json.dumps(times), encoding="utf-8")
    return root, times


def open_project(root: Path) -> Any:
    from mieruka.core.project import Project
    from mieruka.core.workspace import open_workspace

    return Project(open_workspace(root))


def snapshots_and_metas(root: Path) -> tuple[dict[str, Path], dict[str, Meta]]:
    project = open_project(root)
    try:
        snaps = {
            d: project.snapshot_path(r.path).resolve()
            for d, r in project.store.latest_snapshots().items()
        }
        metas = {
            i.id: Meta(i.aggregate, tuple(i.by), i.multiplier, i.rounding.digits, i.rounding.mode)
            for i in project.specs.indicators.values()
            if i.id.startswith("hc.")
        }
        return snaps, metas
    finally:
        project.close()


def run_mieruka(root: Path) -> int:
    from mieruka.core.period import Period
    from mieruka.core.runs import start_run

    project = open_project(root)
    try:
        return start_run(project, Period.for_fiscal_year(FY)).id
    finally:
        project.close()


def run_figures(root: Path, run_id: int) -> tuple[Figures, dict[str, int]]:
    project = open_project(root)
    try:
        figures: Figures = {}
        for v in project.store.values(run_id):
            figures[key(v["indicator"], v["dims"])] = v["value"]
        rules: dict[str, int] = {}
        for v in project.store.violations(run_id):
            rules[v["rule"]] = rules.get(v["rule"], 0) + 1
        return figures, rules
    finally:
        project.close()


def check(
    name: str,
    ours: Figures,
    theirs: Figures,
    rules: dict[str, int],
    their_rules: dict[str, int],
    say: Say,
) -> str:
    agree, differ = compare(name, ours, theirs, say)
    statutory = [
        i
        for i in per_indicator(ours, theirs)
        if i.startswith(("hc.female_manager", "hc.male_childcare", "hc.wage_gap_"))
    ]
    stat = per_indicator(
        {k: v for k, v in ours.items() if k[0] in statutory},
        {k: v for k, v in theirs.items() if k[0] in statutory},
    )
    s_ok = sum(a for a, _ in stat.values())
    s_bad = sum(b for _, b in stat.values())
    bad_rules = {
        r for r in set(rules) | set(their_rules) if rules.get(r, 0) != their_rules.get(r, 0)
    }
    missing = sorted({k[0] for k in ours if k[0].startswith("hc.")} - {k[0] for k in theirs})
    line = (
        f"check {name}: statutory {s_ok} figures agree, {s_bad} differ; all hc. figures "
        f"{agree} agree, {differ} differ; rule violations "
        + ("agree" if not bad_rules else f"differ for {sorted(bad_rules)}")
        + (f"; not computed: {missing}" if missing else "")
    )
    say(line)
    return line


def measure_sizes(employees: int, attendance: int, repeat: int, say: Say) -> dict[str, Any]:
    root, load_times = prepare(employees, attendance, say)
    snaps, metas = snapshots_and_metas(root)
    sides: dict[str, Callable[[], Any]] = {
        "pandas": lambda: hc_pandas.run(snaps, metas),
        "pandas_year": lambda: hc_pandas.run(snaps, metas, year_only=True),
        "sql": lambda: hc_sql.run(snaps, metas),
        "mieruka": lambda: run_mieruka(root),
    }
    times: dict[str, list[float]] = {s: [] for s in sides}
    cpu: dict[str, list[float]] = {s: [] for s in sides}
    peaks = dict.fromkeys(sides, 0.0)
    results: dict[str, Any] = {}
    for attempt in range(repeat + 1):  # the first round warms up
        for side, fn in sides.items():
            reset_peak()
            t0, c0 = time.perf_counter(), time.process_time()
            results[side] = fn()
            elapsed, used = time.perf_counter() - t0, time.process_time() - c0
            if attempt:
                times[side].append(elapsed)
                cpu[side].append(used)
                peaks[side] = max(peaks[side], peak_mb())
            what = "warm-up" if not attempt else f"run {attempt}"
            say(f"  {what} {side}: {elapsed:.2f} s ({used:.2f} CPU-s)")
    ours, our_rules = run_figures(root, results["mieruka"])
    checks = [
        check(name, ours, results[name][0], our_rules, results[name][1], say)
        for name in ("pandas", "pandas_year", "sql")
    ]
    best = {s: min(t) for s, t in times.items()}
    best_cpu = {s: min(t) for s, t in cpu.items()}
    return {
        "workload": "hc: every hc. indicator + evidence + rules + ledger, FY2024",
        "size": f"{employees:,} employees, {attendance:,} attendance rows",
        "mieruka_s": best["mieruka"],
        "baseline_s": best["sql"],
        "ratio": best["mieruka"] / best["sql"],
        "goal": 1.5,
        "peak_mb": peaks["mieruka"],
        "baseline_peak_mb": peaks["sql"],
        "baseline": (
            "hand-written DuckDB SQL, GROUPING SETS per indicator, no evidence; pandas "
            f"{best['pandas']:.2f} s = {best['pandas'] / best['mieruka']:.1f}× mieruka's time"
            f" (goal >= 5), reading only the year's rows {best['pandas_year']:.2f} s ="
            f" {best['pandas_year'] / best['mieruka']:.1f}×"
        ),
        "pandas_s": best["pandas"],
        "pandas_ratio": best["pandas"] / best["mieruka"],
        "pandas_goal": 5.0,
        "pandas_peak_mb": peaks["pandas"],
        "pandas_year_s": best["pandas_year"],
        "pandas_year_ratio": best["pandas_year"] / best["mieruka"],
        "pandas_year_peak_mb": peaks["pandas_year"],
        "cpu_s": best_cpu,
        "figures": sum(1 for k, v in ours.items() if v is not None and k[0].startswith("hc.")),
        "checks": checks,
        "load_s": {k: v for k, v in load_times.items() if not k.endswith("peak_mb")},
        "load_peak_mb": max((v for k, v in load_times.items() if k.endswith("peak_mb")), default=0),
        "detail": date.today().isoformat(),
    }


def measure(rows: int, repeat: int = 1, say: Say = print) -> dict[str, Any]:
    """run_all's entry point: `rows` attendance rows, employees in proportion."""
    return measure_sizes(employees_for(rows), rows, repeat, say)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--employees", type=int, help="people ever employed (default: in proportion)"
    )
    parser.add_argument("--attendance", type=int, default=50_000_000, help="volume-table rows")
    parser.add_argument("--rows", type=int, help="same as --attendance (for run_all)")
    parser.add_argument("--repeat", type=int, default=1, help="best of N timings")
    parser.add_argument("--json", action="store_true", help="print the row as JSON only")
    args = parser.parse_args()
    attendance = args.rows or args.attendance
    employees = args.employees or employees_for(attendance)
    say: Say = (lambda _m: None) if args.json else print
    row = measure_sizes(employees, attendance, args.repeat, say)
    if args.json:
        print(json.dumps(row))
        return
    print(f"\n{row['workload']}: {row['size']}")
    print(f"(a) pandas:      {row['pandas_s']:7.2f} s   peak {row['pandas_peak_mb']:7,.0f} MB")
    print(
        f"(a') pandas, yearly files read for the year only: {row['pandas_year_s']:7.2f} s"
        f"   peak {row['pandas_year_peak_mb']:7,.0f} MB"
    )
    print(f"(b) DuckDB SQL:  {row['baseline_s']:7.2f} s   peak {row['baseline_peak_mb']:7,.0f} MB")
    print(f"(c) mieruka:     {row['mieruka_s']:7.2f} s   peak {row['peak_mb']:7,.0f} MB")
    c = row["cpu_s"]
    print(
        f"CPU seconds (all threads): pandas {c['pandas']:.2f}, pandas year-only "
        f"{c['pandas_year']:.2f}, SQL {c['sql']:.2f}, "
        f"mieruka {c['mieruka']:.2f}"
    )
    print(f"pandas / mieruka: {row['pandas_ratio']:.2f}× faster  (goal >= 5)")
    print(f"pandas year-only / mieruka: {row['pandas_year_ratio']:.2f}× faster")
    print(f"mieruka / SQL:    {row['ratio']:.2f}  (goal <= 1.5)")
    print(f"peak memory of the run: {row['peak_mb'] / 1024:.2f} GiB  (goal < 6 GiB)")
    print(f"{row['figures']:,} hc. figures (totals and breakdowns)")
    for line in row["checks"]:
        print(line)
    loads = row["load_s"]
    print(
        f"load (once, through mieruka's loader): {sum(loads.values()):.1f} s — "
        + ", ".join(f"{k} {v:.1f} s" for k, v in loads.items())
        + f"; peak {row['load_peak_mb']:,.0f} MB"
    )


if __name__ == "__main__":
    main()
