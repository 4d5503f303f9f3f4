"""Pack the built site into one zip that can be hosted anywhere or read offline from disk.

Usage: ``make zip`` after ``make book``; writes ``_build/exaflops-externalities-site.zip``.
Every link in the site is relative, so unzipping it and opening ``index.html`` works.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
OUT = ROOT / "_build" / "exaflops-externalities-site.zip"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)  # same bytes in, same zip out


def pack(site: Path = SITE, out: Path = OUT) -> Path:
    if not (site / "index.html").exists():
        sys.exit(f"no built site at {site}: run `make book` first")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in site.rglob("*") if p.is_file() and p.name != ".buildinfo"):
            info = zipfile.ZipInfo(f"exaflops-externalities/{path.relative_to(site).as_posix()}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    return out


if __name__ == "__main__":
    print(pack())
