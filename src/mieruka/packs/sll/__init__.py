"""Sustainability-linked loans (サステナビリティ・リンク・ローン): KPIs and SPT paths,
achievement, the margin ratchet, the interest schedule, the borrower's annual report,
verification sign-offs, the SLLP assessment sheet and the bank's portfolio view.

Registered through the `mieruka.packs` entry point exactly as a third-party pack would be.
"""

from pathlib import Path

from mieruka.core.registry import Pack
from mieruka.core.schema import Labels
from mieruka.packs.sll import cli_documents  # noqa: F401  (registers the document commands)
from mieruka.packs.sll.checks import CHECKS
from mieruka.packs.sll.cli import sll
from mieruka.packs.sll.demo import demo
from mieruka.packs.sll.pages import PAGES
from mieruka.packs.sll.schemas import DATASETS

pack = Pack(
    name="sll",
    label=Labels(ja="サステナビリティ・リンク・ローン", en="Sustainability-linked loans"),
    datasets=DATASETS,
    spec_files=(Path(__file__).with_name("rules.yaml"),),
    checks=CHECKS,
    cli=sll,
    demo=demo,
    pages=PAGES,
)
