"""Compare two builds of the site as a reader sees them: the text of every HTML page and
``results.json``. For a refactor that must not change the site.

    python scripts/diff_sites.py OLD_HTML NEW_HTML     (e.g. /tmp/base _build/html)

Prints the pages only one build has, each page whose text differs (with the first lines
that differ) and every result that differs; exits 1 if anything differs, 0 if not.
``results.json``'s ``commit`` (the commit each build was made from) is reported, not
counted: two builds of different commits always differ there.
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

from bs4 import BeautifulSoup

SHOWN_LINES = 12


def page_text(path: Path) -> list[str]:
    """The page's text (scripts' text included: the JSON-LD records are content), one
    non-blank line per text line, spaces collapsed."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    lines = (" ".join(line.split()) for line in soup.get_text("\n").splitlines())
    return [line for line in lines if line]


def compare_pages(old: Path, new: Path) -> list[str]:
    report = []
    old_pages = {p.relative_to(old) for p in old.rglob("*.html")}
    new_pages = {p.relative_to(new) for p in new.rglob("*.html")}
    for page in sorted(old_pages - new_pages):
        report.append(f"only in {old}: {page}")
    for page in sorted(new_pages - old_pages):
        report.append(f"only in {new}: {page}")
    for page in sorted(old_pages & new_pages):
        before, after = page_text(old / page), page_text(new / page)
        if before != after:
            diff = list(difflib.unified_diff(before, after, "old", "new", lineterm="", n=0))
            report.append(f"text differs: {page}\n  " + "\n  ".join(diff[2:2 + SHOWN_LINES]))
    return report


def compare_results(old: Path, new: Path) -> tuple[list[str], str]:
    before = json.loads((old / "results.json").read_text(encoding="utf-8"))
    after = json.loads((new / "results.json").read_text(encoding="utf-8"))
    note = f"results.json commit: {before.pop('commit', None)} -> {after.pop('commit', None)}"
    report = []
    old_results = {r["id"]: r for r in before.pop("results", [])}
    new_results = {r["id"]: r for r in after.pop("results", [])}
    for rid in sorted(old_results.keys() | new_results.keys()):
        if old_results.get(rid) != new_results.get(rid):
            report.append(f"result {rid}: {old_results.get(rid)} -> {new_results.get(rid)}")
    if before != after:
        report.append(f"results.json header: {before} -> {after}")
    return report, note


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    old, new = map(Path, argv)
    for folder in (old, new):
        if not (folder / "results.json").is_file():
            print(f"{folder} is not a built site (no results.json)")
            return 2
    pages = compare_pages(old, new)
    results, note = compare_results(old, new)
    count = len(list(old.rglob("*.html")))
    for line in pages + results:
        print(line)
    print(note)
    print(f"{count} pages compared: {len(pages)} differ; "
          f"results.json: {len(results)} differences")
    return 1 if pages or results else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
