"""Format the code cells a reader sees in the chapters (notebooks/*.md) with ruff.

Visible cells are the code cells without a remove-input, remove-cell, hide-input or
hide-cell tag. Each is piped through `ruff format` with the project's settings
(pyproject.toml: line-length is the width of the book's code column), and the cell's text
is replaced in place, so the rest of the MyST file is untouched. Then `ruff check` runs on
each visible cell for what the formatter cannot fix (a long string or comment).

    python scripts/format_notebooks.py            # format, then lint
    python scripts/format_notebooks.py --check    # exit 1 if a cell would change or a line is too long
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]
HIDDEN = {"remove-input", "remove-cell", "hide-input", "hide-cell"}
# Each cell is checked alone: names from earlier cells are not undefined, imports made for
# later cells are not unused, and a chapter's imports sit in its first cell (E402).
LINT = ["--select", "E,W", "--ignore", "E402"]


def visible_cells(path: Path) -> list[str]:
    nb = jupytext.read(path)
    return [c.source for c in nb.cells
            if c.cell_type == "code" and not HIDDEN & set(c.metadata.get("tags", []))
            and not c.source.lstrip().startswith(("%", "!"))]


def ruff(*args: str, stdin: str, name: str) -> subprocess.CompletedProcess:
    # The environment's own ruff (the book's .venv pins it), else one on PATH (pre-commit's).
    beside = Path(sys.executable).with_name("ruff")
    exe = str(beside) if beside.is_file() else shutil.which("ruff")
    if exe is None:
        sys.exit("ruff is not installed: pip install ruff (or run through pre-commit)")
    return subprocess.run([exe, *args, "--stdin-filename", name, "-"], input=stdin,
                          capture_output=True, text=True, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail on a difference")
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.paths or sorted((ROOT / "notebooks").glob("*.md"))
    problems = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        name = f"{path.stem}_cell.py"
        for source in visible_cells(path):
            done = ruff("format", stdin=source + "\n", name=name)
            if done.returncode:
                print(f"{path}: ruff format failed on a cell:\n{done.stderr}", file=sys.stderr)
                problems += 1
                continue
            formatted = done.stdout.rstrip("\n")
            if formatted != source:
                if args.check:
                    print(f"{path}: a cell is not formatted, starting {source.splitlines()[0]!r}")
                    problems += 1
                else:
                    text = text.replace(source, formatted, 1)
                    source = formatted
            lint = ruff("check", "--output-format", "concise", *LINT, stdin=source + "\n", name=name)
            if lint.returncode:
                print(f"{path}:", lint.stdout.strip())
                problems += 1
        if not args.check:
            path.write_text(text, encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
