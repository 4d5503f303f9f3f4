"""Build a scratch copy of the book and report the problems of one page.

For authors working on one chapter while others work on theirs: the copy lives outside
the repository (default ``/tmp/preview-<name>``), keeps its own execution cache between
runs, leaves out pages that do not exist yet, and prints only the warnings and errors that
name the page. Exit status 1 if there are any.

    .venv/bin/python scripts/preview.py notebooks/colossus.md
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def existing_toc(toc: dict, root: Path) -> dict:
    for part in toc.get("parts", []):
        part["chapters"] = [c for c in part["chapters"] if any(root.glob(c["file"] + ".*"))]
    toc["parts"] = [p for p in toc.get("parts", []) if p["chapters"]]
    return toc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="path of the page, e.g. notebooks/colossus.md")
    parser.add_argument("--out", help="scratch folder (default /tmp/preview-<name>)")
    args = parser.parse_args()
    page = Path(args.page)
    out = Path(args.out or f"/tmp/preview-{page.stem}")
    out.mkdir(parents=True, exist_ok=True)
    for item in ROOT.iterdir():
        if item.name in {".venv", "_build", ".git", "build"}:
            continue
        target = out / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True)
        else:
            shutil.copy2(item, target)
    # Authors may keep new BibTeX entries in book/_<topic>.bib until they are merged.
    extra = "".join(p.read_text() for p in sorted((ROOT / "book").glob("_*.bib")))
    (out / "book" / "references.bib").write_text((ROOT / "book" / "references.bib").read_text() + "\n" + extra)
    # One author's failing notebook must not stop the others' pages from building:
    # here a failing cell is reported as a warning naming its page instead.
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["raise_on_error"] = False
    (out / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    toc = existing_toc(yaml.safe_load((ROOT / "_toc.yml").read_text()), ROOT)
    (out / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    # The teacher's guide offers the student zip, which `make student` writes before a build.
    subprocess.run([sys.executable, str(out / "scripts" / "make_student.py")], capture_output=True)
    jb = Path(sys.executable).with_name("jupyter-book")
    run = subprocess.run([str(jb), "build", str(out), "--builder", "html", "-n", "--keep-going"],
                         capture_output=True, text=True)
    log = run.stdout + run.stderr
    (out / "build.log").write_text(log)
    # Match the page's path inside the copy, not the copy's folder name (which may hold the stem too).
    needle = f"{out}/{page.with_suffix('')}"
    mine = [line for line in log.splitlines()
            if needle in line and ("WARNING" in line or "ERROR" in line or "Error" in line)]
    if run.returncode != 0 and "build succeeded" not in log:
        print(log[-3000:])
        print(f"the build crashed (full log: {out / 'build.log'})")
        return 1
    print("\n".join(mine) or f"no warnings for {page} (full log: {out / 'build.log'})")
    print(f"page: {out / '_build' / 'html' / page.with_suffix('.html')}")
    return 1 if mine else 0


if __name__ == "__main__":
    sys.exit(main())
