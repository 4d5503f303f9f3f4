"""The packed site: one zip that holds the whole site and reads offline from disk."""

from __future__ import annotations

import re
import sys
import zipfile

import pytest
from conftest import ROOT, SITE

sys.path.insert(0, str(ROOT / "scripts"))
import pack_site  # noqa: E402


@pytest.fixture(scope="module")
def packed(tmp_path_factory):
    if not (SITE / "index.html").exists():
        pytest.fail("the site is not built: run `make test`")
    return pack_site.pack(SITE, tmp_path_factory.mktemp("zip") / "site.zip")


def test_zip_holds_every_file_of_the_site(packed):
    names = set(zipfile.ZipFile(packed).namelist())
    site_files = {f"exaflops-externalities/{p.relative_to(SITE).as_posix()}" for p in SITE.rglob("*")
                  if p.is_file() and p.name != ".buildinfo"}
    assert names == site_files
    assert "exaflops-externalities/results.json" in names


def test_zip_is_reproducible(packed, tmp_path):
    again = pack_site.pack(SITE, tmp_path / "again.zip")
    assert again.read_bytes() == packed.read_bytes()


def test_pages_link_relatively_so_they_work_from_disk(packed):
    """An absolute link ("/_static/...") would break when index.html is opened from a folder."""
    with zipfile.ZipFile(packed) as zf:
        for name in zf.namelist():
            if name.endswith(".html"):
                html = zf.read(name).decode("utf-8")
                bad = re.findall(r'(?:src|href)="(/[^/][^"]*)"', html)
                assert bad == [], f"{name} has root-absolute links: {bad[:3]}"
