"""Chapters are MyST Markdown notebooks (readable diffs; a .md cannot hold outputs, so no
.ipynb may be committed), each offered on its page as a real .ipynb download."""

from __future__ import annotations

import re
import subprocess

import jupytext
import nbformat
import pytest
import yaml
from conftest import ROOT, SITE

TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
CHAPTERS = [c["file"] for part in TOC["parts"] for c in part["chapters"] if c["file"].startswith("notebooks/")]


def test_no_ipynb_is_committed():
    """The .md sources are the notebooks; .gitignore hides stray .ipynb files from the working
    tree, so ask git what is committed (or staged), not the folder."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an unpacked copy): nothing is committed to check")
    tracked = subprocess.run(["git", "ls-files", "--cached", "--", "*.ipynb"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    assert tracked == [], f"notebooks committed as .ipynb (keep only the MyST .md): {tracked}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_is_a_myst_notebook(chapter):
    text = (ROOT / f"{chapter}.md").read_text()
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["jupytext"]["text_representation"]["format_name"] == "myst"
    assert meta["kernelspec"]["name"] == "python3"
    nb = jupytext.read(ROOT / f"{chapter}.md")
    assert sum(c.cell_type == "code" for c in nb.cells) >= 3


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_page_offers_the_notebook_as_ipynb(chapter):
    html = (SITE / f"{chapter}.html").read_text()
    stem = chapter.split("/")[-1]
    links = re.findall(r'href="([^"]*_sources/notebooks/' + re.escape(stem) + r'\.ipynb)"', html)
    assert links, f"{chapter}.html has no .ipynb download link"
    nb = nbformat.read(SITE / "_sources" / f"{chapter}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert any(c.cell_type == "code" for c in nb.cells)


# --------------------------------------------------------------------------- plain notebooks
# What a reader downloads must read in any Jupyter: JupyterLab, VS Code and Colab render
# CommonMark, not MyST, so no role or directive may be left in a Markdown cell.
MYST_LEFT = re.compile(r"\{[A-Za-z][\w:+.-]*\}`|^[ \t]*(?:`{3,}|~{3,}|:{3,})\{|^[ \t]*\([\w.:-]+\)=[ \t]*$", re.M)
KIT = "_downloads/student/exaflops-externalities-student.zip"


def shipped_notebooks() -> dict[str, nbformat.NotebookNode]:
    """Every notebook the site ships: each chapter's download and each notebook in the kit."""
    import zipfile

    out = {f"{c}.ipynb": nbformat.read(SITE / "_sources" / f"{c}.ipynb", as_version=4) for c in CHAPTERS}
    kit = SITE / KIT
    assert kit.is_file(), f"the site offers no student kit at {KIT}"
    with zipfile.ZipFile(kit) as zf:
        for name in zf.namelist():
            if name.endswith(".ipynb"):
                out[f"kit:{name}"] = nbformat.reads(zf.read(name).decode("utf-8"), as_version=4)
    return out


def test_no_myst_is_left_in_any_shipped_notebook():
    notebooks = shipped_notebooks()
    assert len(notebooks) >= 2 * len(CHAPTERS)
    left = {name: MYST_LEFT.findall("\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown"))
            for name, nb in notebooks.items()}
    left = {name: found for name, found in left.items() if found}
    total = sum(len(found) for found in left.values())
    assert not left, f"{total} MyST roles or directives in {len(left)} notebooks, e.g. " + \
        "; ".join(f"{name}: {found[:3]}" for name, found in list(left.items())[:3])


def test_the_download_reads_with_the_numbers_and_the_charts():
    """The D1 sentence with its number (as the page prints it) and linked terms; the charts as outputs."""
    html = (SITE / "notebooks" / "exapod-arithmetic.html").read_text()
    page_peak = re.search(r'<span class="(?:pasted-text|data-figure)">([^<]*TFLOP/s)</span>', html).group(1)
    nb = nbformat.read(SITE / "_sources" / "notebooks" / "exapod-arithmetic.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert re.search(r"\[peaks\]\([^)]*glossary\.html#term-peak\) at " + re.escape(page_peak), text), \
        "the D1 peak does not read as on the page"
    assert "**Exercise" in text and "**Solution to Exercise" in text, "the download is the teacher's version"
    charts = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if "vega" in str(o.get("data", {}).get("text/html", ""))]
    figures = len(re.findall(r"\*\*Fig\. \d+\.\d+\.\*\*", text))
    assert figures >= 2 and len(charts) >= figures, f"{figures} figure captions but {len(charts)} charts"
