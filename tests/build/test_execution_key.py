"""A chapter runs again exactly when code or data it uses changes (issue 13, item 5).

The key that makes MyST-NB's cache miss is the hidden last cell that ``_ext/book_execution.py``
appends to each chapter: hashes of the ``claimcheck`` modules the chapter imports (directly or
through other ``claimcheck`` modules) and of the data tables it names. Editing the book's
Sphinx code (``_ext/``), or a ``claimcheck`` module no chapter uses, must re-run nothing.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "_ext"))
import book_execution  # noqa: E402  (the book's extension, from _ext/)

CHAPTERS = sorted((ROOT / "notebooks").glob("*.md"))
DATA = ROOT / "data"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Copies of claimcheck and of the book's Sphinx code, to edit."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "claimcheck", tmp_path / "claimcheck", ignore=ignore)
    shutil.copytree(ROOT / "_ext", tmp_path / "_ext", ignore=ignore)
    return tmp_path


def keys(tree: Path) -> dict[str, list[str]]:
    return {ch.stem: book_execution.execution_key(ch.read_text(encoding="utf-8"), DATA, tree / "claimcheck")[1]
            for ch in CHAPTERS}


def edit(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")


def imports_of(chapter: str) -> str:
    """Every line of a chapter that imports from claimcheck, as one string."""
    text = (ROOT / "notebooks" / f"{chapter}.md").read_text(encoding="utf-8")
    return "\n".join(re.findall(r"^.*import.*claimcheck.*$|^from claimcheck.*$", text, re.M))


def test_editing_the_books_sphinx_code_reruns_no_chapter(tree):
    sphinx_code = [p for p in (tree / "_ext").glob("*.py")]
    assert len(sphinx_code) >= 5
    before = keys(tree)
    for path in sphinx_code:
        edit(path)
    assert keys(tree) == before


def test_editing_a_module_no_chapter_imports_reruns_no_chapter(tree):
    # The claims register and the edition comparison are the book's, not a chapter's.
    for module in ("register", "changes"):
        assert not any(module in imports_of(ch.stem) for ch in CHAPTERS), f"a chapter imports {module}"
    before = keys(tree)
    edit(tree / "claimcheck" / "register.py")
    edit(tree / "claimcheck" / "changes.py")
    assert keys(tree) == before


def test_editing_an_imported_module_reruns_the_chapters_that_import_it(tree):
    before = keys(tree)
    edit(tree / "claimcheck" / "money.py")
    after = keys(tree)
    assert "money" in imports_of("money") and after["money"] != before["money"]
    # Water imports neither money nor anything that does.
    assert "money" not in imports_of("water") and after["water"] == before["water"]


def test_editing_a_module_imported_through_another_reruns_the_chapter(tree):
    # Every chapter imports claimcheck.results, which imports units, which imports validate.
    before = keys(tree)
    edit(tree / "claimcheck" / "validate.py")
    after = keys(tree)
    assert "validate" not in imports_of("carbon")
    assert after["carbon"] != before["carbon"]
    assert all(after[ch] != before[ch] for ch in before), "a chapter kept its key when validate.py changed"


def test_the_hidden_cell_carries_the_key(tmp_path):
    chapter = CHAPTERS[0].read_text(encoding="utf-8")
    noted = []
    app = SimpleNamespace(srcdir=str(ROOT), env=SimpleNamespace(note_dependency=noted.append))
    source = [chapter]
    book_execution.track_data(app, CHAPTERS[0].stem, source)
    files, lines = book_execution.execution_key(chapter, DATA, book_execution.package_dir())
    cell = source[0][len(chapter.rstrip("\n")):]
    assert cell.startswith("\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n")
    assert all(line in cell for line in lines)
    assert noted == [str(f) for f in files]
    assert not any("_ext" in f for f in noted)
