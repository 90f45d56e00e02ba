"""Public-fund pack (公金運用): the investment guideline as rules, valuation and risk.

Everything is registered through the same `Pack` value a third-party pack would publish:
dataset schemas for the documented input formats, load-time domain checks, the guideline's
rules as YAML specs, pack functions for the settings and the bond math, and demo data.
"""

from __future__ import annotations

from pathlib import Path

from mieruka.core.registry import Pack
from mieruka.core.schema import Labels
from mieruka.packs.funds.checks import CHECKS
from mieruka.packs.funds.cli import funds_cli
from mieruka.packs.funds.demo import demo
from mieruka.packs.funds.pages import PAGES
from mieruka.packs.funds.params import parameters
from mieruka.packs.funds.schemas import DATASETS
from mieruka.packs.funds.valuation import FUNCTIONS

RULES_DIR = Path(__file__).parent / "rules"

pack = Pack(
    name="funds",
    label=Labels(ja="公金運用", en="Public funds"),
    datasets=DATASETS,
    spec_files=tuple(sorted(RULES_DIR.glob("*.yaml"))),
    functions={"funds_parameters": parameters, **FUNCTIONS},
    checks=CHECKS,
    demo=demo,
    cli=funds_cli,
    pages=PAGES,
)
