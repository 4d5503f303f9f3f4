"""Make the classroom kit: every chapter as a Jupyter notebook without its solutions.

Usage: ``make student`` (or ``.venv/bin/python scripts/make_student.py [--out DIR]``).
Writes, under ``_build/student/``:

* ``notebooks/<stem>.ipynb`` for every chapter under ``notebooks/`` listed in ``_toc.yml``,
  converted from MyST Markdown with jupytext, then to plain Markdown by
  ``scripts/plain_notebook.py`` (glued numbers written in, terms and cross-references as
  links, exercises and verdicts as block quotes), with every ``{solution}`` removed (and
  anything between ``{solution-start}`` and ``{solution-end}``), and no outputs;
* ``notebooks/claimcheck/``: the book's package, so ``import claimcheck`` works with no
  installation when the notebook's folder is the working directory (Jupyter's default),
  with the chart library (``vega-bundle.js`` and its licences) that its charts draw with;
* ``notebooks/tests/<stem>/`` and ``notebooks/classroom/``: each chapter's self-checks (Otter
  tests, from ``classroom/checks.yml`` through ``scripts/classroom.py``) and the code that
  compares answers; each notebook has an answer cell and a ``grader.check`` cell after
  every checked exercise;
* ``data/``: the data tables, ``datapackage.json``, the article and ``references.bib``
  (``claimcheck.sources`` looks for ``data/references.bib`` first);
* ``README.txt`` and ``requirements.txt`` for students;
* ``exaflops-externalities-student.zip``: all of the above in one folder,
  ``exaflops-externalities-student/``. The same sources give the same zip, byte for byte.

and, for teachers only, under ``_build/teacher/``: ``answer-key/<stem>.ipynb`` (every answer
filled in) and ``autograder/<stem>.zip`` (what ``make grade`` runs).

The glued numbers exist only after the chapters have run, so the HTML build makes the kit
when it finishes (``_ext/book_notebooks.py``, ``write_student_kit``) and puts the zip in
the site at ``SITE_PATH``, where the teacher's guide links to it. Run on its own, this
script uses what the last build left in ``_build/plain/book.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import sys
import zipfile
from pathlib import Path

import jupytext
import nbformat
import yaml

_spec = importlib.util.spec_from_file_location("plain_notebook", Path(__file__).with_name("plain_notebook.py"))
plain = sys.modules.get("plain_notebook") or importlib.util.module_from_spec(_spec)
if "plain_notebook" not in sys.modules:
    sys.modules["plain_notebook"] = plain
    _spec.loader.exec_module(plain)
_spec = importlib.util.spec_from_file_location("classroom_kit", Path(__file__).with_name("classroom.py"))
classroom = sys.modules.get("classroom_kit") or importlib.util.module_from_spec(_spec)
if "classroom_kit" not in sys.modules:
    sys.modules["classroom_kit"] = classroom
    _spec.loader.exec_module(classroom)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "student"
ZIP_NAME = "exaflops-externalities-student.zip"
TOP = "exaflops-externalities-student"
SITE_PATH = f"_downloads/student/{ZIP_NAME}"  # where the site offers it (under _build/html)
BOOK_JSON = ROOT / "_build" / "plain" / "book.json"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)  # same bytes in, same zip out
# What students need to run the notebooks (pinned as in the book's own environment).
# pybtex: claimcheck.sources names a source from references.bib (the book gets it with jupyter-book).
# frictionless: claimcheck checks the data tables against datapackage.json when they load.
# otter-grader: the self-check cells.
STUDENT_PACKAGES = ["jupyterlab", "altair", "pandas", "numpy", "pint", "pybtex", "myst-nb", "frictionless",
                    "otter-grader"]

# The opening line of a fenced directive: ```{solution} ex-1, ::::{solution-start} ex-2, ...
_FENCE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,}|:{3,})\{(?P<name>[A-Za-z0-9_:-]+)\}")
_MYST_TARGET = re.compile(r"^\([A-Za-z0-9_.:-]+\)=\s*$")

NOTE = ("*Student edition.* The exercises are here; their solutions are not. Run the cells "
        "from the top (Run ▸ Run All Cells): the code cells compute every number the text quotes, "
        "and draw the charts.")


# --------------------------------------------------------------------------- chapters


def _toc_files(node) -> list[str]:
    files = []
    if isinstance(node, dict):
        if "file" in node:
            files.append(str(node["file"]))
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []) or []:
                files.extend(_toc_files(child))
    return files


def toc_chapters(root: Path = ROOT) -> list[str]:
    """Stems of the chapters under ``notebooks/`` listed in ``_toc.yml`` that exist, in order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    stems = []
    for file in _toc_files(toc):
        path = Path(file)
        if path.parts[:1] == ("notebooks",) and (root / path.with_suffix(".md")).is_file():
            if path.stem not in stems:
                stems.append(path.stem)
    return stems


# --------------------------------------------------------------------------- solutions


def _closes(line: str, fence: str) -> bool:
    """True if ``line`` closes a fence opened with ``fence`` (same character, at least as long)."""
    text = line.strip()
    return bool(text) and set(text) == {fence[0]} and len(text) >= len(fence)


def _skip_block(lines: list[str], start: int, fence: str) -> int:
    """Index just after the closing fence of the block opened at ``lines[start]``."""
    for i in range(start + 1, len(lines)):
        if _closes(lines[i], fence):
            return i + 1
    return len(lines)  # unclosed: MyST runs it to the end of the cell


def strip_solutions(cells: list) -> list:
    """The cells without solutions: ``{solution}`` blocks in Markdown cells, and everything
    (Markdown and code cells) from a ``{solution-start}`` to its ``{solution-end}``."""
    out, gated = [], False
    for cell in cells:
        if cell.cell_type != "markdown":
            if not gated:
                out.append(cell)
            continue
        lines = cell.source.split("\n")
        kept, i = [], 0
        while i < len(lines):
            m = _FENCE_OPEN.match(lines[i])
            name = m.group("name") if m else None
            if gated:
                if name == "solution-end":
                    gated = False
                    i = _skip_block(lines, i, m.group("fence"))
                else:
                    i += 1
                continue
            if name == "solution":
                i = _skip_block(lines, i, m.group("fence"))
            elif name == "solution-start":
                gated = True
                i = _skip_block(lines, i, m.group("fence"))
            else:
                if not _MYST_TARGET.match(lines[i]):
                    kept.append(lines[i])
                i += 1
        source = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
        if source:
            cell.source = source
            out.append(cell)
    return out


def kit_link(root: Path, chapters: list[str]):
    """Links from a kit notebook: another chapter is a notebook beside it; other pages of
    the book are on its website when ``_config.yml`` gives its address, else plain text."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    base = str((config.get("html") or {}).get("baseurl") or "").rstrip("/")

    def link(page: str, anchor: str) -> str | None:
        hash_ = f"#{anchor}" if anchor else ""
        if page.startswith("notebooks/") and page.split("/", 1)[1] in chapters:
            return f"{page.split('/', 1)[1]}.ipynb{hash_}"
        return f"{base}/{page}.html{hash_}" if base else None
    return link


def load_book(path: Path = BOOK_JSON):
    """The build's record of glued values, terms and labels (written by the HTML build)."""
    if not path.is_file():
        raise SystemExit(f"{path} is missing: build the book first (make book); the kit's "
                         "notebooks need the numbers the chapters compute")
    from claimcheck.register import datum_text

    return plain.Book.from_json(path.read_text(encoding="utf-8"), datum=datum_text)


def student_notebook(md: Path, book=None, chapters: list[str] | None = None,
                     root: Path = ROOT, checks: list[dict] | None = None,
                     key: bool = False) -> nbformat.NotebookNode:
    """One chapter as a student notebook: plain Markdown, no solutions, no outputs (the
    charts show when the cells run), stable cell ids; with its self-checks (``checks``,
    from ``scripts/classroom.py``), their answers filled in if ``key``."""
    book = load_book() if book is None else book
    book.link = kit_link(root, chapters if chapters is not None else [md.stem])
    nb = jupytext.read(md)
    nb.metadata.pop("jupytext", None)
    nb.cells = strip_solutions(nb.cells)
    plain.plain_notebook(nb, book, f"notebooks/{md.stem}", teacher=False)
    if checks:
        classroom.add_checks(nb, md.stem, checks, book, key=key)
    nb.cells = [nbformat.v4.new_markdown_cell(NOTE)] + nb.cells
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:03d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.validate(nb)
    return nb


# --------------------------------------------------------------------------- the kit


def _pins(root: Path) -> list[str]:
    pins = {}
    for name in ("constraints.txt", "requirements.txt"):
        path = root / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                m = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line.strip())
                if m:
                    pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return [f"{p}=={pins[p]}" if p in pins else p for p in STUDENT_PACKAGES]


README = """\
Exaflops & Externalities: student notebooks
===========================================

The chapters of the book "Exaflops & Externalities" as Jupyter notebooks, with the
exercises and without their solutions. Everything runs offline once Python and the
packages below are installed.

What is in this folder
----------------------
  notebooks/             one notebook (.ipynb) per chapter
  notebooks/claimcheck/  the book's small Python package (units, sources, calculations, charts)
                         and the chart library it loads once per notebook, offline
  data/                  the sourced data tables (CSV), datapackage.json, the article,
                         and references.bib (the sources the tables cite)
  requirements.txt       the Python packages the notebooks need

How to run the notebooks
------------------------
1. Install Python 3.11 or newer, then, in this folder:
       python -m venv .venv
       .venv/bin/pip install -r requirements.txt      (Windows: .venv\\Scripts\\pip ...)
   On a school JupyterHub that already has these packages, skip this step.
2. Start JupyterLab from this folder:
       .venv/bin/jupyter lab
3. Open a notebook in notebooks/ and run all cells from the top.
   The first code cell loads the chart library (from notebooks/claimcheck/, no network);
   the charts below it draw from that. To see the charts in a notebook someone else ran
   and saved, trust it first: Trust Notebook in JupyterLab's command palette.

Checking your answers
---------------------
Most exercises are followed by an answer cell (answer_... = ...) and a check cell
(grader.check("...")). Write your answer in place of the ..., as a number or as text with
its unit ("2 MW" and "2000 kW" are the same answer), run the cell, then run the check: it
says whether the answer is right or which section to reread. It needs no network.
(notebooks/tests/ holds the checks; notebooks/classroom/ the code that compares answers.)

Why there is nothing to install for claimcheck
----------------------------------------------
Jupyter starts each notebook in the notebook's own folder, and Python imports a package
from the current folder before any installed copy. The package is in notebooks/claimcheck/,
so `import claimcheck` finds it there. The package then finds the data by walking up from
the current folder to the first data/ that holds datapackage.json: this folder's data/.
Keep the folders as they are: notebooks/ and data/ side by side.

If you run a notebook from somewhere else (for example a script in another folder), set
the environment variable CLAIMCHECK_DATA to the full path of data/ and put notebooks/ on
PYTHONPATH.

Chapters
--------
{chapters}

Licence: code MIT; text and data CC BY 4.0. The book's website shows every chapter, with
its solutions, and lists the sources of every figure.
"""


def build(out: Path = OUT, chapters: list[str] | None = None, root: Path = ROOT, book=None,
          teacher: Path | None = None) -> Path:
    """Write the kit into ``out`` (emptied first) and return the path of the zip.
    ``book`` (a ``plain_notebook.Book``) defaults to the last build's ``_build/plain/book.json``.
    The teacher's answer key and autograders go to ``teacher`` (emptied first; default
    ``teacher/`` beside ``out``, so ``_build/teacher/``), which the site never links."""
    chapters = toc_chapters(root) if chapters is None else list(chapters)
    book = load_book(root / "_build" / "plain" / "book.json") if book is None else book
    if not chapters:
        raise SystemExit("no chapters found under notebooks/ in _toc.yml")
    out = out.resolve()
    if out in (root.resolve(), *root.resolve().parents) or out == Path.home():
        raise SystemExit(f"refusing to empty {out}: choose a folder of its own")
    teacher = (out.parent / "teacher" if teacher is None else teacher).resolve()
    for folder in (out, teacher):
        if folder.exists():
            shutil.rmtree(folder)
    (out / "notebooks").mkdir(parents=True)
    (teacher / "answer-key").mkdir(parents=True)
    all_checks = classroom.load_checks(root / "classroom" / "checks.yml")
    for stem in chapters:
        md = root / "notebooks" / f"{stem}.md"
        if not md.is_file():
            raise SystemExit(f"chapter not found: {md}")
        checks = classroom.chapter_checks(stem, book, root, all_checks)
        nbformat.write(student_notebook(md, book, chapters, root, checks), out / "notebooks" / f"{stem}.ipynb")
        nbformat.write(student_notebook(md, book, chapters, root, checks, key=True),
                       teacher / "answer-key" / f"{stem}.ipynb")
        if checks:
            classroom.write_tests(out / "notebooks" / "tests" / stem, checks)
            classroom.autograder_zip(teacher / "autograder" / f"{stem}.zip", stem, checks, root)
    classroom.copy_selfcheck(out / "notebooks" / "classroom", root)
    shutil.copytree(root / "claimcheck", out / "notebooks" / "claimcheck",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    # The chart library, which claimcheck.charts.setup() loads once per notebook, and its licences.
    vendor = root / "assets" / "vendor"
    shutil.copy2(vendor / "vega-bundle.js", out / "notebooks" / "claimcheck" / "vega-bundle.js")
    from claimcheck import charts

    (out / "notebooks" / "claimcheck" / charts.PACKED_BUNDLE).write_text(
        charts.pack(charts.vega_bundle(), best=True), encoding="ascii")
    for licence in sorted((vendor / "licenses").glob("vega*-LICENSE.txt")):
        shutil.copy2(licence, out / "notebooks" / "claimcheck" / licence.name)
    (out / "data").mkdir()
    for path in sorted((root / "data").iterdir()):
        if path.is_file() and not path.name.startswith("."):
            shutil.copy2(path, out / "data" / path.name)
    shutil.copy2(root / "book" / "references.bib", out / "data" / "references.bib")
    listing = "\n".join(f"  notebooks/{stem}.ipynb" for stem in chapters)
    (out / "README.txt").write_text(README.format(chapters=listing), encoding="utf-8")
    (out / "requirements.txt").write_text(
        "# The packages the student notebooks need (the book's pinned versions).\n"
        + "\n".join(_pins(root)) + "\n", encoding="utf-8")
    return pack(out)


def pack(folder: Path) -> Path:
    """Zip ``folder`` (without the zip itself) under the top folder ``TOP``; reproducible."""
    target = folder / ZIP_NAME
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p != target)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            info = zipfile.ZipInfo(f"{TOP}/{path.relative_to(folder).as_posix()}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"output folder (default {OUT})")
    parser.add_argument("--chapters", nargs="*", help="chapter stems (default: from _toc.yml)")
    args = parser.parse_args(argv)
    print(build(args.out, args.chapters))
    return 0


if __name__ == "__main__":
    sys.exit(main())
