"""``claimcheck`` is pure calculation: the package students receive in their kit imports no
Sphinx, docutils or MyST-NB (issue 13, item 5). The book's Sphinx code lives in ``_ext/``."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

from conftest import ROOT

PACKAGE = ROOT / "claimcheck"
BUILD_TOOLS = ("sphinx", "docutils", "myst_nb", "myst_parser")
# Imports inside a function, run only when a chapter calls it in the book's kernel, never
# on import. Each is (file, imported module): why it is there.
CALLED_IN_THE_BOOK = {
    ("charts.py", "myst_nb"): "glue_figure: a chapter glues its chart for {glue:figure}",
    ("results.py", "myst_nb"): "Publisher glues each result for {glue:text}; plain Python skips it",
}


def _is_build_tool(module: str) -> bool:
    return module.split(".")[0] in BUILD_TOOLS


def test_importing_every_module_loads_no_build_tool():
    modules = sorted(f"claimcheck.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    assert len(modules) > 5, f"found only {modules} in {PACKAGE}"
    code = ("import importlib, json, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    # A fresh interpreter, so nothing another test imported counts.
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    loaded = [m for m in json.loads(run.stdout.splitlines()[-1]) if _is_build_tool(m)]
    assert not loaded, f"importing claimcheck loads build tools: {loaded[:10]}"


def _imports(tree: ast.AST):
    """(line, module, at module level) for every absolute import in a module's code."""
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name, id(node) in top) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module, id(node) in top


def test_no_module_imports_a_build_tool():
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        for line, module, top in _imports(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if _is_build_tool(module) and (top or (path.name, module) not in CALLED_IN_THE_BOOK):
                found.append(f"{path.name}:{line} imports {module}")
    assert not found, "\n".join(found)
