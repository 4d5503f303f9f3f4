"""The book's own configuration fails the build on a failing cell and on any Sphinx warning.

Each test builds a two-page fixture book that uses the project's real ``_config.yml``
(copied), so a change that loosens the configuration makes these tests fail.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import JUPYTER_BOOK, MYST_HEADER, ROOT

pytestmark = pytest.mark.build
JB = JUPYTER_BOOK


def make_book(tmp_path: Path, chapter: str) -> Path:
    book = tmp_path / "book"
    (book / "book").mkdir(parents=True)
    (book / "notebooks").mkdir()
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    # The book's own extensions, which _config.yml loads from _ext/ (a link, so they find scripts/).
    (book / "_ext").symlink_to(ROOT / "_ext", target_is_directory=True)
    shutil.copytree(ROOT / "assets", book / "assets")
    (book / "book" / "references.bib").write_text("@misc{fixture, title={Fixture}, author={A. Author}, year={2024}}\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nchapters:\n  - file: notebooks/chapter\n")
    (book / "book" / "intro.md").write_text("# Fixture book\n\nA book with one chapter.\n")
    (book / "notebooks" / "chapter.md").write_text(MYST_HEADER + chapter)
    return book


def build(book: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(JB), "build", str(book), "--builder", "html", "-W", "-n", "--keep-going"],
                          capture_output=True, text=True, timeout=600)


def test_fixture_book_builds_when_all_is_well(tmp_path):
    book = make_book(tmp_path, "# Chapter\n\n```{code-cell} ipython3\nprint(6 * 7)\n```\n")
    result = build(book)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "42" in (book / "_build" / "html" / "notebooks" / "chapter.html").read_text()


def test_failing_cell_fails_the_build(tmp_path):
    book = make_book(tmp_path, "# Chapter\n\n```{code-cell} ipython3\nraise RuntimeError('deliberate failure 7f3a')\n```\n")
    result = build(book)
    assert result.returncode != 0
    assert "deliberate failure 7f3a" in result.stdout + result.stderr


def test_sphinx_warning_fails_the_build(tmp_path):
    book = make_book(tmp_path, "# Chapter\n\nSee {ref}`a-label-that-does-not-exist`.\n")
    result = build(book)
    assert result.returncode != 0
    assert "a-label-that-does-not-exist" in result.stdout + result.stderr
