"""The code passes the linter and the chapters' visible cells are formatted (issue 13).

ruff's settings live in pyproject.toml; pre-commit runs the same checks before a commit,
and this test runs them for anyone who did not install the hook."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

RUFF = Path(sys.executable).with_name("ruff")


def test_ruff_finds_nothing_in_the_python_code():
    run = subprocess.run([str(RUFF), "check", "--output-format", "concise", "."], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_ruff_reports_a_lint_error(tmp_path):
    # The check above can fail: the same command on a file with an unused import does.
    (tmp_path / "bad.py").write_text("import os\n", encoding="utf-8")
    run = subprocess.run([str(RUFF), "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"),
                          str(tmp_path / "bad.py")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "F401" in run.stdout


def test_the_chapters_visible_code_is_formatted():
    run = subprocess.run([sys.executable, "scripts/format_notebooks.py", "--check"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
