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
from mieruka.packs.icfr import sampling


@click.group(name="icfr", help="内部統制（J-SOX）: sampling for control tests.")
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
