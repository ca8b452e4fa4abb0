"""The README's two commands stay true: CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text)[:2]


def test_first_command_installs_and_starts_the_application() -> None:
    run = _commands()[0]
    assert "pip install" in run and run.endswith("callmaster")


def test_ci_runs_the_readme_test_command() -> None:
    test = _commands()[1]
    assert "pytest" in test
    ci = (ROOT / ".ci" / "run").read_text()
    assert test in ci.splitlines()
