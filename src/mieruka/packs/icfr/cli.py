"""`mieruka icfr …`: sample sizes, reproducible sample selection and sample evaluation.

`select` appends the seed, method, population file hash and the items drawn to the
workspace's audit log (`store.audit`), so anyone can redraw the same sample and see that
it was not re-drawn until it looked good. Exit status: 0 when the tested control is
supported (or the command only computes), 1 when not, 2 on bad input.
"""

from __future__ import annotations

import csv
import hashlib
import json
import secrets
from pathlib import Path
from typing import Any

import click

from mieruka.core.issues import MierukaError
from mieruka.core.project import Project
from mieruka.japan.fiscal import FiscalYear
from mieruka.packs.icfr import benford, sampling
from mieruka.packs.icfr.assess import assess_project, benford_counts
from mieruka.packs.icfr.chart import benford_svg
from mieruka.packs.icfr.cli_scope import checklist_command, scope_command
from mieruka.packs.icfr.deficiency import MATERIAL_WEAKNESS


@click.group(
    name="icfr",
    help="内部統制（J-SOX）: scope, checklist, sampling, deficiencies, report, working papers.",
)
def icfr() -> None:
    pass


def _rate(text: str) -> float:
    """Accept 0.05, 5% or 5 (percent when above 1)."""
    value = float(text.rstrip("%"))
    return value / 100 if text.endswith("%") or value >= 1 else value


def _options(workspace: Path | None) -> dict[str, Any]:
    """The workspace's [packs.icfr] options; the defaults outside a workspace."""
    try:
        return Project.open(workspace).ws.pack_options("icfr")
    except MierukaError:
        return {}


@icfr.command("size")
@click.option("--frequency", default=None, help="Control frequency: the customary size.")
@click.option("--risk", default="10%", help="Risk of overreliance (1 − confidence).")
@click.option("--tolerable", default=None, help="Tolerable deviation rate.")
@click.option("--expected", default="0", help="Expected population deviation rate.")
@click.option("--json", "as_json", is_flag=True)
@click.option("--workspace", type=click.Path(path_type=Path), default=None)
def size_command(frequency: str | None, risk: str, tolerable: str | None, expected: str,
                 as_json: bool, workspace: Path | None) -> None:  # fmt: skip
    """Sample size by control frequency, or by attribute sampling."""
    try:
        if frequency is not None:
            out = {"method": "frequency", "frequency": frequency,
                   "size": sampling.frequency_size(frequency, _options(workspace))}  # fmt: skip
        else:
            if tolerable is None:
                raise ValueError("give --frequency, or --tolerable (with --risk, --expected)")
            r, t, e = _rate(risk), _rate(tolerable), _rate(expected)
            s = sampling.attribute_size(r, t, e)
            out = {"method": "attribute", "risk": r, "tolerable": t, "expected": e,
                   "size": s.size, "allowed_deviations": s.allowed_deviations}  # fmt: skip
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(json.dumps(out) if as_json else f"sample size: {out['size']}"
               + (f" ({out['allowed_deviations']})" if "allowed_deviations" in out else ""))  # fmt: skip


@icfr.command("evaluate")
@click.option("--size", "n", type=int, required=True)
@click.option("--deviations", type=int, required=True)
@click.option("--risk", default="10%")
@click.option("--tolerable", required=True)
@click.option("--json", "as_json", is_flag=True)
def evaluate_command(n: int, deviations: int, risk: str, tolerable: str, as_json: bool) -> None:
    """Achieved upper deviation limit of a tested sample, against the tolerable rate."""
    try:
        ev = sampling.evaluate(n, deviations, _rate(risk), _rate(tolerable))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps({"upper_limit": ev.upper_limit, "effective": ev.effective}))
    else:
        click.echo(ev.reasoning())
    raise SystemExit(0 if ev.effective else 1)


@icfr.command("select")
@click.argument("population", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--size", "n", type=int, required=True)
@click.option("--seed", type=int, default=None, help="Default: a fresh random seed, recorded.")
@click.option("--method", type=click.Choice(sampling.METHODS), default="random")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Sample CSV.")
@click.option("--workspace", type=click.Path(path_type=Path), default=None)
def select_command(population: Path, n: int, seed: int | None, method: str, out: Path,
                   workspace: Path | None) -> None:  # fmt: skip
    """Draw a sample from a population listing (CSV with a header) and record how."""
    seed = secrets.randbelow(2**31) if seed is None else seed
    with population.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, items = rows[0], rows[1:]
    try:
        picks = sampling.select(len(items), n, seed, method)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["population_row", *header])
        writer.writerows([i + 2, *items[i]] for i in picks)  # row as seen in the file
    digest = hashlib.sha256(population.read_bytes()).hexdigest()
    project = Project.open(workspace)
    try:
        project.store.audit("icfr", "icfr.sample", str(population), before_hash=digest,
                            detail=json.dumps({"seed": seed, "method": method, "size": n,
                                               "population": len(items),
                                               "rows": [i + 2 for i in picks]}))  # fmt: skip
    finally:
        project.close()
    click.echo(f"{n} of {len(items)} drawn ({method}, seed {seed}) -> {out}")


@icfr.command("deficiencies")
@click.option("--fy", type=int, required=True, help="Fiscal year (the year it starts in).")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Assessment date (default: the fiscal year's last day).")  # fmt: skip
@click.option("--workspace", type=click.Path(path_type=Path), default=None)
@click.option("--json", "as_json", is_flag=True)
def deficiencies_command(fy: int, as_of: Any, workspace: Path | None, as_json: bool) -> None:
    """Classify the year's deficiencies and print the reasoning; exit 1 on a material weakness."""
    project = Project.open(workspace)
    try:
        year = FiscalYear(fy, project.ws.settings.fiscal_year_start_month)
        on = as_of.date() if as_of else year.end
        m, findings = assess_project(project, fy, on)
    finally:
        project.close()
    if m is None:
        raise click.UsageError(f"no materiality for FY{fy}: load locations with pretax_income")
    if as_json:
        click.echo(json.dumps({"materiality": m, "findings": [
            {"deficiency_id": f.deficiency_id, "classification": f.classification,
             "impact": f.impact, "judgment": f.judgment, "reasons": f.reasons}
            for f in findings]}, ensure_ascii=False))  # fmt: skip
    else:
        click.echo(f"重要性の基準値: {round(m):,}円（評価時点 {on}）")
        for f in findings:
            flag = "（要・質的検討）" if f.judgment else ""
            click.echo(f"{f.deficiency_id}: {f.classification}{flag}")
            for reason in f.reasons:
                click.echo(f"  - {reason}")
    raise SystemExit(1 if any(f.classification == MATERIAL_WEAKNESS for f in findings) else 0)


icfr.add_command(scope_command)
icfr.add_command(checklist_command)


@icfr.command("benford")
@click.option("--fy", type=int, required=True)
@click.option("--digits", type=click.Choice(["1", "2"]), default="1",
              help="1: first digit; 2: first two digits.")  # fmt: skip
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write an SVG chart.")
@click.option("--workspace", type=click.Path(path_type=Path), default=None)
def benford_command(fy: int, digits: str, out: Path | None, workspace: Path | None) -> None:
    """Benford's test of the year's journal amounts: MAD, band, chi-square; an SVG chart."""
    project = Project.open(workspace)
    try:
        year = FiscalYear(fy, project.ws.settings.fiscal_year_start_month)
        k = int(digits)
        counts = benford_counts(project, year.start.isoformat(), year.end.isoformat(), k)
    finally:
        project.close()
    r = benford.analyse(counts, k)
    if r.n == 0:
        raise click.UsageError(f"no journal amounts of 10 yen or more in FY{fy}")
    click.echo(f"n={r.n:,} MAD={r.mad:.5f} ({r.conformity}) chi2={r.chi_square:,.1f} "
               f"df={r.df} p={r.p_value:.3g}")  # fmt: skip
    if out is not None:
        label = "第1桁" if k == 1 else "第1・2桁"
        out.write_text(
            benford_svg(r, f"FY{fy} 仕訳金額のベンフォード{label}検定"), encoding="utf-8"
        )
        click.echo(f"chart -> {out}")


@icfr.command("workpapers")
@click.option("--fy", type=int, required=True)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="XLSX file.")
@click.option("--workspace", type=click.Path(path_type=Path), default=None)
def workpapers_command(fy: int, out: Path, workspace: Path | None) -> None:
    """Write the working papers (scope, checklist, RCM, tests, deficiencies) as one workbook."""
    from mieruka.packs.icfr.assessment import load_assessment
    from mieruka.packs.icfr.workpapers import write_workpapers

    project = Project.open(workspace)
    try:
        write_workpapers(load_assessment(project, fy), out)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    finally:
        project.close()
    click.echo(f"working papers -> {out}")


@icfr.command("report")
@click.option("--fy", type=int, required=True)
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="report.html, report.pdf or report.docx (format by suffix).")  # fmt: skip
@click.option("--workspace", type=click.Path(path_type=Path), default=None)
def report_command(fy: int, out: Path, workspace: Path | None) -> None:
    """Write the draft 内部統制報告書 (Japanese) as HTML, PDF or DOCX."""
    from mieruka.packs.icfr.assessment import load_assessment
    from mieruka.packs.icfr.report import write_report

    project = Project.open(workspace)
    try:
        kind = write_report(load_assessment(project, fy), out)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    finally:
        project.close()
    click.echo(f"内部統制報告書（案, {kind}） -> {out}")
