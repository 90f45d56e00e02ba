"""Every command and option is documented: docs/cli.md is generated from the commands."""

from __future__ import annotations

from pathlib import Path

from mieruka.cli.docs import render

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def test_cli_reference_is_current():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/cli.md is out of date: run `python -m mieruka.cli.docs > docs/cli.md`"
    )


def test_readme_shows_every_core_command():
    readme = (DOC.parents[1] / "README.md").read_text(encoding="utf-8")
    for command in (
        "init",
        "load",
        "datasets",
        "indicators",
        "run",
        "show",
        "evidence",
        "verify",
        "diff",
        "export",
        "report",
        "runs",
    ):
        assert f"mieruka {command}" in readme or f"mieruka -C demo-workspace {command}" in readme, (
            command
        )
