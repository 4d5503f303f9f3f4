"""Sphinx extension: what the chapters' kernels need, and when a chapter runs again.

* Before execution, tells the kernels where to write results and that they run in the book
  build (environment variables the kernels inherit).
* Makes each chapter depend on the data tables it reads and on the ``claimcheck`` modules it
  imports (directly, or through other ``claimcheck`` modules), so a changed CSV or formula
  re-runs exactly the chapters that use it. The book's own Sphinx code (``_ext/``) is not
  part of any chapter's key: editing a verdict box's markup re-runs nothing.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import importlib.util
import os
import re
from pathlib import Path

from sphinx.application import Sphinx

from claimcheck.charts import BOOK_BUILD_ENV
from claimcheck.results import RESULTS_ENV

PACKAGE = "claimcheck"

# An import of the package in a chapter's code: `from claimcheck.units import Q_`,
# `from claimcheck import charts, (sources)`, `import claimcheck.money as m`, `import claimcheck`.
_FROM_IMPORT = re.compile(r"^[ \t]*from[ \t]+claimcheck(?:\.(?P<module>\w+))?[ \t]+import[ \t]+"
                          r"(?P<names>\([^)]*\)|[^\n#]*)", re.M)
_PLAIN_IMPORT = re.compile(r"^[ \t]*import[ \t]+(?P<names>[^\n#]*)", re.M)


def results_dir(app: Sphinx) -> Path:
    """Where the kernels write each page's results during the build."""
    return Path(app.outdir).parent / "results"


def set_kernel_environment(app: Sphinx, config) -> None:
    os.environ[RESULTS_ENV] = str(results_dir(app))
    os.environ[BOOK_BUILD_ENV] = "1"


def data_index(data: Path) -> dict[str, Path]:
    """Every data id and table name in ``data/``, mapped to the CSV that holds it."""
    index: dict[str, Path] = {}
    for table in sorted(data.glob("*.csv")):
        index[table.stem] = index[table.name] = table
        with table.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            column = header.index("id") if "id" in header else None
            if column is not None:
                for row in reader:
                    if len(row) > column:
                        index[row[column]] = table
    return index


def data_names(text: str, index: dict[str, Path]) -> set[str]:
    """The data ids and table names a notebook's source names: any string literal in ``index``."""
    return {name for name in re.findall(r"[\"']([A-Za-z0-9_.-]+)[\"']", text) if name in index}


def published_ids(text: str) -> list[str]:
    """The result ids a notebook's source publishes (``results.publish("id", ...)``), in order."""
    return list(dict.fromkeys(re.findall(r"results\.publish\(\s*[\"']([A-Za-z0-9_]+)[\"']", text)))


def package_dir() -> Path:
    """The folder of the ``claimcheck`` package the kernels import (found without importing it)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {PACKAGE} package is not installed (run `make .venv/.installed`)")
    return Path(next(iter(spec.submodule_search_locations)))


def _import_names(names: str) -> list[str]:
    """``a, b as c, (d)`` -> ``["a", "b", "d"]``."""
    return [part.split()[0] for part in names.strip("()").replace("\n", " ").split(",") if part.strip()]


def chapter_imports(text: str, package: Path) -> set[str]:
    """The ``claimcheck`` modules a chapter's source imports by name (``"__init__"`` for the
    package itself). Chapter code may hold IPython magics, so it is read with patterns, not ast."""
    modules: set[str] = set()
    for match in _FROM_IMPORT.finditer(text):
        modules.add("__init__")
        if match["module"]:
            modules.add(match["module"])
        else:  # from claimcheck import charts, sources: the names that are modules
            modules |= {name for name in _import_names(match["names"]) if (package / f"{name}.py").is_file()}
    for match in _PLAIN_IMPORT.finditer(text):
        for name in _import_names(match["names"]):
            if name == PACKAGE or name.startswith(PACKAGE + "."):
                modules.add("__init__")
                if "." in name:
                    modules.add(name.split(".")[1])
    return {m for m in modules if (package / f"{m}.py").is_file()}


def module_imports(path: Path) -> set[str]:
    """The ``claimcheck`` modules one ``claimcheck`` module imports (at any depth in its code)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 or node.module == PACKAGE:  # from . import x / from claimcheck import x
                if node.module and node.level == 1:
                    found.add(node.module.split(".")[0])
                else:
                    found |= {alias.name for alias in node.names}
            elif node.module and node.module.startswith(PACKAGE + "."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith(PACKAGE + ".")}
    return {m for m in found if (path.parent / f"{m}.py").is_file()}


def imported_modules(text: str, package: Path) -> list[Path]:
    """The ``claimcheck`` source files a chapter runs: what it imports, and what those import."""
    todo = chapter_imports(text, package)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo |= module_imports(package / f"{name}.py") - seen
    return sorted(package / f"{name}.py" for name in seen)


def _digest(files: list[Path]) -> str:
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:16]


def execution_key(text: str, data: Path, package: Path) -> tuple[list[Path], list[str]]:
    """The files a chapter's results depend on beyond its own source (the ``claimcheck``
    modules it imports, the data tables it names), and the comment lines of their hashes."""
    modules = imported_modules(text, package)
    index = data_index(data)
    tables = sorted({index[name] for name in data_names(text, index)})
    lines = [f"# claimcheck sha256:{_digest(modules)}"]
    lines += [f"# {table.name} sha256:{_digest([table])}" for table in tables]
    return modules + tables, lines


def track_data(app: Sphinx, docname: str, source: list[str]) -> None:
    """Make a notebook depend on the data tables it reads and the ``claimcheck`` code it runs
    (MyST-NB's cache notices only changes to the notebook's own code).

    Any string literal in the notebook that names a data id or table counts as a read.
    Sphinx re-reads the page when one of those files changes (``note_dependency``), and a
    hidden last cell carrying their content hashes changes the notebook's code, so the
    execution cache misses and the notebook runs again. Other notebooks stay cached.
    """
    text = source[0]
    if "kernelspec:" not in text.split("\n---", 1)[0]:
        return
    files, lines = execution_key(text, Path(app.srcdir) / "data", package_dir())
    for path in files:
        app.env.note_dependency(str(path))
    source[0] = text.rstrip("\n") + (
        "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n\n"
        "# The code and data this chapter runs on; a change to one re-runs the chapter.\n"
        + "\n".join(lines) + "\n```\n")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", set_kernel_environment)
    app.connect("source-read", track_data)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
