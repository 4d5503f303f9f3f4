"""The chapters' data tables and the data appendix, as built.

Chapter tables name each source as a reader would and link it to its entry on the
references page; the data appendix gives every table's rows by grade and lists the
secondary and assumption rows behind each chapter's published results.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from html.parser import HTMLParser

import pandas as pd
import pytest
from conftest import ROOT, SITE

from claimcheck import sources
from claimcheck.sources import DataError

CHAPTERS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.md")
                  if "sources.linked(" in p.read_text(encoding="utf-8"))
needs_site = pytest.mark.skipif(not (SITE / "book" / "references.html").exists(),
                                reason=f"the book is not built at {SITE} (run the build first)")


class _Page(HTMLParser):
    """Element ids, and each table cell's link: its href and its text."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []
        self._cells = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        self._cells += tag == "td"
        if tag == "a" and self._cells:
            self._href, self._text = attrs.get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        self._cells -= tag == "td"
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def parse(path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def data_grades() -> dict[str, str]:
    """id -> grade, read straight from the CSVs."""
    grades = {}
    for path in (ROOT / "data").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row.get("id") and row.get("grade"):
                    grades[row["id"]] = row["grade"]
    return grades


def test_the_chapters_build_their_tables_with_sources_table():
    assert len(CHAPTERS) >= 11, CHAPTERS


@needs_site
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_table_sources_link_to_an_entry_on_the_references_page(chapter):
    anchors = parse(SITE / "book" / "references.html").ids
    links = [(href, text) for href, text in parse(SITE / "notebooks" / f"{chapter}.html").links
             if href.startswith("../book/references.html#") and text]
    table_links = links
    assert table_links, f"{chapter}: no data-table source links to the references page"
    for href, text in table_links:
        anchor = href.split("#", 1)[1]
        assert anchor in anchors, f"{chapter}: {href} ({text}) has no target on the references page"
        # The link text is the citation a reader would write, never the bibliography key.
        assert re.search(r", (\d{4}|n\.d\.)$", text), f"{chapter}: link text {text!r} is not a citation"


def test_linked_escapes_cells_and_links_each_source():
    frame = sources.table(["h100_bf16_dense", "tva_co2_rate_2023"])
    frame["where"] = ["<b>bold</b>", "a & b"]
    html = sources.linked(frame).to_html()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "a &amp; b" in html
    assert '<a href="../book/references.html#cite-lockwood2024h100">Lockwood, 2024</a>' in html
    with pytest.raises(DataError, match="made by sources.table"):
        sources.linked(pd.DataFrame({"source": ["x"]}))


def _appendix_text() -> str:
    html = (SITE / "book" / "data-sources.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@needs_site
def test_data_appendix_gives_each_table_its_rows_by_grade():
    html = (SITE / "book" / "data-sources.html").read_text(encoding="utf-8")
    shown = re.findall(r'<section class="dataset" id="dataset-([a-z0-9-]+)">.*?Rows by grade: ([^.<]*)\.',
                       html, re.S)
    assert shown, "no 'Rows by grade' line on the data appendix"
    for name, text in shown:
        path = ROOT / "data" / f"{name.replace('-', '_')}.csv"
        if not path.exists():
            path = ROOT / "data" / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as f:
            expected = Counter(row["grade"] for row in csv.DictReader(f))
        got = {g: int(n) for n, g in (part.split(" ") for part in text.split(", "))}
        assert got == dict(expected), name


@needs_site
def test_data_appendix_lists_the_weaker_rows_behind_results():
    html = (SITE / "book" / "data-sources.html").read_text(encoding="utf-8")
    section = html.split('id="weaker-rows-behind-results"', 1)
    assert len(section) == 2, "the appendix has no section on the rows behind the results"
    listed = re.findall(r'<span class="pre">([a-z][a-z0-9_]*)</span></code> \((assumption|secondary|primary)',
                        section[1])
    grades = data_grades()
    assert listed
    for rid, grade in listed:
        assert grades[rid] == grade != "primary", rid
    ids = {rid for rid, _ in listed}
    # training-time publishes a result from the published MFU range, an assumption row.
    assert "mfu_published_range" in ids
    # carbon reads TVA's own published rate, a primary row: it is never listed.
    assert grades["tva_co2_rate_2023"] == "primary" and "tva_co2_rate_2023" not in ids
