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
