"""The chapters' code: the plumbing stays small and no helper is copied between chapters.

Issue 13: a student opens the notebook and sees every code cell, hidden on the page or not;
the hidden ones are plumbing (formatting, gluing, chart specs), so they must stay few, and a
helper that two chapters need belongs in claimcheck, tested once."""

from __future__ import annotations

import ast
import importlib.util
from collections import defaultdict

import jupytext
import pytest
from conftest import ROOT

CHAPTERS = sorted((ROOT / "notebooks").glob("*.md"))
HIDDEN_BUDGET = 1000      # non-blank hidden code lines across all chapters (issue 13, was 2,308)

_spec = importlib.util.spec_from_file_location("code_lines", ROOT / "scripts" / "code_lines.py")
code_lines = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(code_lines)


def test_counter_counts_hidden_and_visible_cells(tmp_path):
    path = tmp_path / "x.md"
    path.write_text(
        "---\njupytext:\n  text_representation: {extension: .md, format_name: myst}\n"
        "kernelspec: {display_name: Python 3, language: python, name: python3}\n---\n\n"
        "```{code-cell}\n:tags: [remove-input]\na = 1\n\nb = 2\n```\n\n"
        "```{code-cell}\n:tags: [hide-cell]\nc = 3\n```\n\n"
        "```{code-cell}\nprint(a + b + c)\n```\n", encoding="utf-8")
    assert code_lines.code_lines(path) == (3, 1)


def test_hidden_code_is_within_budget():
    counts = {p.stem: code_lines.code_lines(p)[0] for p in CHAPTERS}
    assert len(counts) == 13
    total = sum(counts.values())
    assert total <= HIDDEN_BUDGET, (
        f"{total} hidden code lines across the chapters (budget {HIDDEN_BUDGET}): "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])))


def _defined_functions(path) -> set[str]:
    names = set()
    for cell in jupytext.read(path).cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines()
                           if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(source)
        except SyntaxError as error:
            pytest.fail(f"{path.name}: a code cell does not parse: {error}")
        names |= {node.name for node in ast.walk(tree)
                  if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
    return names


def test_no_helper_is_defined_in_two_chapters():
    where = defaultdict(list)
    for path in CHAPTERS:
        for name in _defined_functions(path):
            where[name].append(path.stem)
    copied = {name: pages for name, pages in where.items() if len(pages) > 1}
    assert not copied, f"helpers defined in more than one chapter (move them to claimcheck): {copied}"
