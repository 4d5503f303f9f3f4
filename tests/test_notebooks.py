"""Chapters are MyST Markdown notebooks (readable diffs, no outputs in git), each offered
on its page as a real .ipynb download."""

from __future__ import annotations

import re

import jupytext
import nbformat
import pytest
import yaml

from conftest import ROOT, SITE

TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
CHAPTERS = [c["file"] for part in TOC["parts"] for c in part["chapters"] if c["file"].startswith("notebooks/")]


def test_no_ipynb_is_committed_beside_the_sources():
    assert list((ROOT / "notebooks").glob("*.ipynb")) == []


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_is_a_myst_notebook(chapter):
    text = (ROOT / f"{chapter}.md").read_text()
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["jupytext"]["text_representation"]["format_name"] == "myst"
    assert meta["kernelspec"]["name"] == "python3"
    nb = jupytext.read(ROOT / f"{chapter}.md")
    assert sum(c.cell_type == "code" for c in nb.cells) >= 3
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


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
