"""Financial-statement schedules pack (附属明細書) for national university corporations.

Builds schedule (1) fixed assets from a register (depreciation, disposals, impairment,
損益外 depreciation of specified assets) and (2), (8), (10) from their datasets; checks any
prepared schedule's arithmetic allowing exactly what 千円 truncation explains; exports
XLSX, HTML and PDF. Registered through the `mieruka.packs` entry point like any pack.
"""

from pathlib import Path

from mieruka.core.registry import Pack
from mieruka.core.schema import Labels
from mieruka.packs.statements.checks import CHECKS
from mieruka.packs.statements.cli import statements
from mieruka.packs.statements.demo import demo
from mieruka.packs.statements.functions import FUNCTIONS
from mieruka.packs.statements.pages import PAGES
from mieruka.packs.statements.schemas import DATASETS

pack = Pack(
    name="statements",
    label=Labels(ja="附属明細書", en="Financial-statement schedules"),
    datasets=DATASETS,
    spec_files=(Path(__file__).parent / "specs" / "statements.yaml",),
    functions=FUNCTIONS,
    checks=CHECKS,
    demo=demo,
    cli=statements,
    pages=PAGES,
)
