"""A changed data table re-runs exactly the notebooks that read it (MyST-NB's own cache
only notices changed code), and the page shows the new number."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import JUPYTER_BOOK, MYST_HEADER, ROOT

pytestmark = pytest.mark.build
JB = JUPYTER_BOOK
# A second chapter that reads only money.csv, so it must stay cached when accelerators.csv changes.
MONEY_NOTEBOOK = MYST_HEADER + """# Money only

```{code-cell} ipython3
from claimcheck import sources
print(sources.value("h100_unit_price"))
```
"""


def build(book: Path) -> str:
    run = subprocess.run([str(JB), "build", str(book), "--builder", "html", "-n", "--keep-going"],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run.stdout + run.stderr


def executed(log: str) -> set[str]:
    """Docnames whose notebook really ran in this build (not taken from the cache)."""
    return set(re.findall(r"(notebooks/[a-z0-9-]+)\.md: Executing notebook", log))


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    book = tmp_path_factory.mktemp("cache") / "book"
    book.mkdir()
    for name in ("_config.yml", "assets", "book", "claimcheck", "data"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, book / name)
    # The book's own extensions, which _config.yml loads from _ext/ (a link, so they find scripts/).
    (book / "_ext").symlink_to(ROOT / "_ext", target_is_directory=True)
    (book / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "exapod-arithmetic.md", book / "notebooks")
    (book / "notebooks" / "money-only.md").write_text(MONEY_NOTEBOOK)
    (book / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nchapters:\n"
                                   "  - file: book/claims\n  - file: notebooks/exapod-arithmetic\n"
                                   "  - file: notebooks/money-only\n")
    return book


def test_changed_table_reruns_only_its_readers(book):
    first = build(book)
    assert executed(first) == {"notebooks/exapod-arithmetic", "notebooks/money-only"}
    assert executed(build(book)) == set(), "an unchanged book re-ran notebooks"

    page = book / "_build" / "html" / "notebooks" / "exapod-arithmetic.html"
    assert "1.09 EFLOP/s" in page.read_text()
    table = book / "data" / "accelerators.csv"
    text = table.read_text()
    row = re.search(r"^d1_peak_bf16,.*$", text, flags=re.M).group(0)
    table.write_text(text.replace(row, row.replace(",dense,peak,362,", ",dense,peak,400,")))

    third = build(book)
    assert executed(third) == {"notebooks/exapod-arithmetic"}
    html = page.read_text()
    assert "1.20 EFLOP/s" in html and "1.09 EFLOP/s" not in html  # 3,000 x 400 TFLOP/s
