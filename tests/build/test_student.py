"""The classroom kit (``make student``): notebooks without solutions that run from the unzipped zip.

The kit is built into a temporary folder with the same code the HTML build runs, from what
the last build recorded (``_build/plain/book.json``: glued values, terms, labels), for the
chapters that exist, then unzipped outside the repository and two notebooks are executed
there with a clean environment.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, SITE

_spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts" / "make_student.py")
make_student = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_student)

# Chapters in _toc.yml that exist, plus this kit's own chapter if it is not listed yet.
CHAPTERS = make_student.toc_chapters()
if (ROOT / "notebooks" / "measure-your-machine.md").is_file() and "measure-your-machine" not in CHAPTERS:
    CHAPTERS.append("measure-your-machine")
EXECUTED = [c for c in ("exapod-arithmetic", "measure-your-machine") if c in CHAPTERS]
TOP = make_student.TOP
# Everything in the environment that could point a kernel back at the repository.
REPO_ENV = ("PYTHONPATH", "CLAIMCHECK_DATA", "CLAIMCHECK_RESULTS_DIR", "CLAIMCHECK_BOOK_BUILD")

EXERCISE_LABEL = re.compile(r"\{exercise(?:-start)?\}[^\n]*\n(?:[ \t]*:[\w-]+:[^\n]*\n)*?[ \t]*:label:[ \t]*(\S+)")


@pytest.fixture(scope="module")
def kit_build(tmp_path_factory) -> Path:
    """The kit (``student/``) and the teacher's folder (``teacher/``), built for the existing chapters."""
    base = tmp_path_factory.mktemp("kit-build")
    make_student.build(base / "student", CHAPTERS, teacher=base / "teacher")
    return base


@pytest.fixture(scope="module")
def kit(kit_build, tmp_path_factory) -> Path:
    """The zip, copied to a folder of its own."""
    built = kit_build / "student" / make_student.ZIP_NAME
    copy = tmp_path_factory.mktemp("kit-zip") / built.name
    shutil.copy2(built, copy)
    return copy


@pytest.fixture(scope="module")
def unzipped(kit, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("classroom")
    with zipfile.ZipFile(kit) as zf:
        zf.extractall(folder)
    return folder / TOP


def read_notebook(kit: Path, stem: str) -> nbformat.NotebookNode:
    with zipfile.ZipFile(kit) as zf:
        return nbformat.reads(zf.read(f"{TOP}/notebooks/{stem}.ipynb").decode("utf-8"), as_version=4)


def test_zip_has_the_layout_the_readme_describes(kit):
    with zipfile.ZipFile(kit) as zf:
        names = set(zf.namelist())
    for name in ["README.txt", "requirements.txt", "data/datapackage.json", "data/references.bib",
                 "data/article.txt", "data/claims.csv", "notebooks/claimcheck/__init__.py",
                 "notebooks/claimcheck/sources.py"]:
        assert f"{TOP}/{name}" in names, f"the student zip has no {name}"
    for stem in CHAPTERS:
        assert f"{TOP}/notebooks/{stem}.ipynb" in names
    csvs = {p.name for p in (ROOT / "data").glob("*.csv")}
    assert {f"{TOP}/data/{c}" for c in csvs} <= names, "every data table goes in the zip"


def test_the_same_sources_make_the_same_zip(kit, tmp_path):
    again = make_student.build(tmp_path / "again", CHAPTERS)
    assert again.read_bytes() == kit.read_bytes()


@pytest.mark.parametrize("stem", CHAPTERS)
def test_no_solutions_exercises_kept_no_outputs(kit, stem):
    nb = read_notebook(kit, stem)
    text = json.dumps(nb)  # every cell, every field
    assert "{solution" not in text and "Solution to" not in text, f"{stem}: a solution is left in the student notebook"
    labels = EXERCISE_LABEL.findall((ROOT / "notebooks" / f"{stem}.md").read_text(encoding="utf-8"))
    sources = "\n".join(cell.source for cell in nb.cells)
    for label in labels:
        # Each exercise keeps its anchor and its numbered title.
        assert re.search(rf'<a id="{re.escape(label)}"></a>\s*> \*\*Exercise \d+\.\d+', sources), \
            f"{stem}: exercise {label} is missing"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{stem}: a cell has outputs"


def test_links_between_chapters_stay_in_the_kit(kit):
    """A cross-reference to another chapter opens that chapter's notebook in the kit."""
    nb = read_notebook(kit, "carbon")
    text = "\n".join(cell.source for cell in nb.cells)
    assert re.search(r"\]\(power-and-energy\.ipynb(#[\w-]+)?\)", text), "no link to a sibling notebook"
    assert "../../" not in text and ".html" not in text, "a kit notebook links into a site it does not have"


def test_the_teachers_guide_links_to_the_kit_in_the_site():
    html = (SITE / "book" / "teachers-guide.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]*exaflops-externalities-student\.zip)"', html)
    assert links, "the teacher's guide offers no student zip"
    for link in links:
        target = (SITE / "book" / link).resolve()
        assert target.is_file(), f"the teacher's guide links to {link}, which the site does not have"
        with zipfile.ZipFile(target) as zf:
            assert f"{TOP}/README.txt" in zf.namelist()


def test_strip_solutions_handles_every_form():
    md = nbformat.v4.new_markdown_cell
    code = nbformat.v4.new_code_cell
    cells = [
        md("Intro\n\n```{exercise}\n:label: ex-a\n\nDo it.\n```\n\n````{solution} ex-a\n:class: dropdown\n\n"
           "```python\nprint(1)\n```\nSecret A.\n````\n\nAfter."),
        md(":::{exercise}\n:label: ex-b\nDo B.\n:::\n\n:::{solution} ex-b\nSecret B.\n:::"),
        md("```{solution-start} ex-c\n:class: dropdown\n```\nSecret C, part 1."),
        code("print('secret C, part 2')"),
        md("Secret C, part 3.\n```{solution-end}\n```\nKept text."),
        code("print('kept')"),
    ]
    out = make_student.strip_solutions(cells)
    text = "\n".join(c.source for c in out)
    assert "Secret" not in text and "secret" not in text and "{solution" not in text
    for kept in [":label: ex-a", ":label: ex-b", "Intro", "After.", "Kept text.", "print('kept')"]:
        assert kept in text


@pytest.fixture(scope="module")
def run_in_kit(unzipped):
    """Runs a kit notebook once, top to bottom in its own folder, with nothing in the
    environment pointing back at the repository; returns the run notebook. A last cell
    says where ``claimcheck``, the data and the bibliography came from."""
    from nbclient import NotebookClient

    runs = {}

    def run(stem: str):
        if stem not in runs:
            saved = {name: os.environ.pop(name) for name in REPO_ENV if name in os.environ}
            try:
                folder = unzipped / "notebooks"
                nb = nbformat.read(folder / f"{stem}.ipynb", as_version=4)
                nb.cells.append(nbformat.v4.new_code_cell(
                    "import json, claimcheck\nfrom claimcheck import sources\n"
                    "print(json.dumps({'package': claimcheck.__file__, 'data': str(sources.data_dir()),"
                    " 'bib': str(sources.bibliography_path())}))"))
                NotebookClient(nb, timeout=180, kernel_name="python3",
                               resources={"metadata": {"path": str(folder)}}).execute()
            finally:
                os.environ.update(saved)
            runs[stem] = nb
        return runs[stem]

    return run


@pytest.mark.parametrize("stem", EXECUTED)
def test_student_notebook_runs_from_the_unzipped_kit(unzipped, run_in_kit, stem):
    """Top to bottom, in the notebook's folder, with claimcheck and data from the zip."""
    nb = run_in_kit(stem)
    where = json.loads(nb.cells[-1].outputs[0]["text"])
    root = unzipped.resolve()
    assert Path(where["package"]).resolve().is_relative_to(root / "notebooks" / "claimcheck"), where
    assert Path(where["data"]).resolve() == root / "data", where
    assert Path(where["bib"]).resolve() == root / "data" / "references.bib", where
    assert not Path(where["package"]).resolve().is_relative_to(ROOT), "claimcheck came from the repository"


# A student hands in the notebook they ran: every chart drawn, saved with its outputs.
HAND_IN_LIMIT = 500_000  # bytes (issue 15 item 5)


@pytest.mark.parametrize("stem", CHAPTERS)
def test_a_run_notebook_is_small_enough_to_hand_in(run_in_kit, stem, tmp_path):
    """Run from the unzipped kit and saved, with its charts, the notebook stays under 0.5 MB:
    the chart library travels once per notebook, not once per chart."""
    nb = run_in_kit(stem)
    nb = nbformat.from_dict({**nb, "cells": nb.cells[:-1]})  # without the test's own last cell
    saved = tmp_path / f"{stem}.ipynb"
    nbformat.write(nb, saved)
    charts = sum("claimcheckVega.then" in out.get("data", {}).get("text/html", "")
                 for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs)
    size = saved.stat().st_size
    print(f"{stem}: {size} bytes, {charts} chart outputs")
    assert charts >= 1, f"{stem}: no chart drew, so the size says nothing"
    assert size < HAND_IN_LIMIT, f"{stem}: the run notebook is {size:,} bytes with {charts} charts"


# --------------------------------------------------------------------------- a fresh install


@pytest.fixture(scope="module")
def kit_venv(unzipped, tmp_path_factory) -> Path:
    """A new virtual environment with only the kit's requirements, installed with the one
    command the README gives (``pip install -r requirements.txt``, from the kit's folder):
    pip's cache and PyPI, nothing from the repository."""
    venv = tmp_path_factory.mktemp("kit-venv") / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in REPO_ENV and k != "VIRTUAL_ENV"}
    done = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "-r", "requirements.txt"],
                          cwd=unzipped, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"the kit's requirements do not install:\n{done.stderr[-3000:]}"
    return venv


def test_the_unzipped_kit_installs_and_runs_every_chapter_and_check(unzipped, kit_build, kit_venv, tmp_path):
    """Every chapter, with its answers from the teacher's key, runs top to bottom in the fresh
    environment from the kit's own folder, and every self-check says it passed."""
    notebooks = unzipped / "notebooks"
    key = kit_build / "teacher" / "answer-key"
    env = {k: v for k, v in os.environ.items() if k not in REPO_ENV and k != "VIRTUAL_ENV"}
    env["PATH"] = f"{kit_venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    failures = []
    for stem in CHAPTERS:
        shutil.copy2(key / f"{stem}.ipynb", notebooks / f"key-{stem}.ipynb")
        done = subprocess.run(
            [str(kit_venv / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
             "--ExecutePreprocessor.timeout=300", f"key-{stem}.ipynb", "--output", str(tmp_path / f"{stem}.ipynb")],
            cwd=notebooks, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            failures.append(f"{stem} did not run:\n{done.stderr[-2000:]}")
            continue
        nb = nbformat.read(tmp_path / f"{stem}.ipynb", as_version=4)
        checks = [c for c in nb.cells if c.metadata.get("classroom") == "check"]
        assert len(checks) >= 2, f"{stem} has fewer than two self-checks"
        for cell in checks:
            text = "".join(out.get("data", {}).get("text/plain", "") for out in cell.outputs)
            if "All test cases passed" not in text:
                failures.append(f"{stem}: {cell.source} says {text[:300]!r}")
    assert not failures, "\n".join(failures)
