"""Internal control over financial reporting (J-SOX) pack.

Loads the documented ICFR inputs (locations, accounts, processes, controls, tests,
deficiencies, journal entries) with domain checks; tests the whole general ledger with
one SQL rule per journal-entry test plus a combined score per line and Benford indicators;
sizes, draws and evaluates control-test samples. Registered through `mieruka.packs`.
"""

from pathlib import Path

from mieruka.core.registry import Pack
from mieruka.core.schema import Labels
from mieruka.packs.icfr.assess import deficiencies_indicator, scope_indicator
from mieruka.packs.icfr.checks import CHECKS
from mieruka.packs.icfr.cli import icfr
from mieruka.packs.icfr.demo import demo
from mieruka.packs.icfr.functions import FUNCTIONS
from mieruka.packs.icfr.pages import PAGES
from mieruka.packs.icfr.schemas import DATASETS

SPECS = Path(__file__).parent / "specs"

pack = Pack(
    name="icfr",
    label=Labels(ja="内部統制（J-SOX）", en="Internal control over financial reporting"),
    datasets=DATASETS,
    spec_files=(SPECS / "icfr.yaml", SPECS / "je_rules.yaml"),
    functions={
        **FUNCTIONS,
        "icfr_deficiencies": deficiencies_indicator,
        "icfr_scope_coverage": scope_indicator,
    },
    checks=CHECKS,
    demo=demo,
    cli=icfr,
    pages=PAGES,
)
