"""Human-capital pack (人的資本): statutory disclosures and HR KPIs.

Registered through the `mieruka.packs` entry point exactly as a third-party pack would be:
the documented input formats (`datasets.py`), load-time domain checks (`checks.py`),
indicators and rules as YAML with SQL formulas (`specs/`), pack functions where SQL is
awkward or a run shares work (`wages.py`, `training.py`), the method notes that follow the options (`notes.py`) and demo data.
"""

from pathlib import Path

from mieruka.core.registry import Pack
from mieruka.core.schema import Labels
from mieruka.packs.human_capital.checks import CHECKS
from mieruka.packs.human_capital.cli import human_capital
from mieruka.packs.human_capital.datasets import DATASETS
from mieruka.packs.human_capital.engagement import FUNCTIONS as ENGAGEMENT_FUNCTIONS
from mieruka.packs.human_capital.kpis import FUNCTIONS as KPI_FUNCTIONS
from mieruka.packs.human_capital.ltv import FUNCTIONS as LTV_FUNCTIONS
from mieruka.packs.human_capital.pages import PAGES
from mieruka.packs.human_capital.training import FUNCTIONS as TRAINING_FUNCTIONS
from mieruka.packs.human_capital.wages import FUNCTIONS as WAGE_FUNCTIONS

SPECS = Path(__file__).parent / "specs"


def _demo(project: object, size: str) -> None:
    from mieruka.packs.human_capital.demo import write_and_load

    write_and_load(project, size)


pack = Pack(
    name="human_capital",
    label=Labels(ja="人的資本", en="Human capital"),
    datasets=DATASETS,
    spec_files=tuple(sorted(SPECS.glob("*.yaml"))),
    functions={
        **WAGE_FUNCTIONS,
        **KPI_FUNCTIONS,
        **ENGAGEMENT_FUNCTIONS,
        **LTV_FUNCTIONS,
        **TRAINING_FUNCTIONS,
    },
    checks=CHECKS,
    demo=_demo,
    cli=human_capital,
    pages=PAGES,
)
