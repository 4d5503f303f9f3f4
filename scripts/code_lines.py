"""Count each chapter's code lines: hidden on the page (remove-input, remove-cell,
hide-input, hide-cell) and visible. Non-blank lines of code cells; prints a table.

    python scripts/code_lines.py [notebooks]
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext

HIDDEN = {"remove-input", "remove-cell", "hide-input", "hide-cell"}


def code_lines(path: Path) -> tuple[int, int]:
    """(hidden, visible) non-blank code lines of one MyST notebook."""
    hidden = visible = 0
    for cell in jupytext.read(path).cells:
        if cell.cell_type != "code":
            continue
        n = sum(1 for line in cell.source.splitlines() if line.strip())
        if HIDDEN & set(cell.metadata.get("tags", [])):
            hidden += n
        else:
            visible += n
    return hidden, visible


def main(folder: str = "notebooks") -> None:
    total = [0, 0]
    for path in sorted(Path(folder).glob("*.md")):
        hidden, visible = code_lines(path)
        total[0] += hidden
        total[1] += visible
        print(f"{path.stem:28s} hidden {hidden:5d}  visible {visible:5d}")
    print(f"{'total':28s} hidden {total[0]:5d}  visible {total[1]:5d}")


if __name__ == "__main__":
    main(*sys.argv[1:])
