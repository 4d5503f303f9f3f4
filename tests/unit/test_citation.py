"""Licences and citation: CITATION.cff is valid, and it, the BibTeX on the intro page and
the edition in _config.yml name the same version and date."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT

CFFCONVERT = Path(sys.executable).with_name("cffconvert")


def edition() -> dict:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return config["sphinx"]["config"]["claimcheck_edition"]


def intro_bibtex() -> str:
    text = (ROOT / "book" / "intro.md").read_text()
    blocks = re.findall(r"```bibtex\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 1, "book/intro.md should carry exactly one BibTeX block under 'How to cite'"
    return blocks[0]


def bib_field(bib: str, name: str) -> str:
    # A value may run over several lines (wrapped to fit the page): join them with a space.
    match = re.search(rf"^\s*{name}\s*=\s*\{{(.*?)\}},?\s*$", bib, flags=re.M | re.S)
    assert match, f"the BibTeX has no {name} field"
    return " ".join(match.group(1).split())


def test_citation_cff_is_valid():
    result = subprocess.run([str(CFFCONVERT), "--validate"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_cffconvert_rejects_a_broken_file(tmp_path):
    # The check above can fail: a CITATION.cff without its required title is refused.
    broken = "\n".join(line for line in (ROOT / "CITATION.cff").read_text().splitlines()
                       if not line.startswith("title:"))
    (tmp_path / "CITATION.cff").write_text(broken)
    result = subprocess.run([str(CFFCONVERT), "--validate"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode != 0 and "'title' is a required property" in result.stderr


def test_citation_version_and_date_match_the_edition():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    ed = edition()
    assert str(cff["version"]) == str(ed["version"])
    assert str(cff["date-released"]) == str(ed["date"])
    assert sorted(cff["license"]) == ["CC-BY-4.0", "MIT"]


def test_bibtex_on_the_intro_page_matches_the_edition():
    bib, ed = intro_bibtex(), edition()
    assert bib_field(bib, "version") == str(ed["version"])
    assert bib_field(bib, "edition") == str(ed["version"])
    assert bib_field(bib, "date") == str(ed["date"])
    assert bib_field(bib, "year") == str(ed["date"])[:4]
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert bib_field(bib, "title").replace("\\&", "&") == cff["title"]


def test_licence_files_name_their_licences():
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    content = (ROOT / "LICENSE-content").read_text()
    assert "Attribution 4.0 International Public License" in content
    assert "Creative Commons may be contacted at creativecommons.org." in content
