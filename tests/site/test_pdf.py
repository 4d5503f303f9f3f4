"""The whole-book PDF (`make pdf`): every page in the order of _toc.yml, a bookmark per page,
book-wide page numbers, each chapter's headline results in its own pages, offered on the site."""

from __future__ import annotations

import json
import re
import unicodedata
from html.parser import HTMLParser

import pytest
import yaml
from conftest import ROOT, SITE

PDF = SITE / "exaflops-externalities.pdf"


def _squash(text: str) -> str:
    """Text to compare: ligatures and thin spaces undone, all whitespace dropped (PDF lines break anywhere)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


class _ArticleHeading(HTMLParser):
    """The text of the page's own heading: the first <h1> inside <article>, without its '#' link."""

    def __init__(self):
        super().__init__()
        self.in_article = self.in_h1 = self.in_link = False
        self.done = False
        self.text = ""

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "article":
            self.in_article = True
        elif tag == "h1" and self.in_article and not self.done:
            self.in_h1 = True
        elif tag == "a" and self.in_h1 and "headerlink" in classes:
            self.in_link = True

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_link = False
        elif tag == "h1" and self.in_h1:
            self.in_h1, self.done = False, True

    def handle_data(self, data):
        if self.in_h1 and not self.in_link:
            self.text += data


def _heading(file: str) -> str:
    parser = _ArticleHeading()
    parser.feed((SITE / f"{file}.html").read_text(encoding="utf-8"))
    return parser.text.strip()


@pytest.fixture(scope="module")
def reader():
    pypdf = pytest.importorskip("pypdf", reason="pypdf is pinned in requirements.txt: run `make .venv/.installed`")
    if not PDF.exists():
        pytest.fail(f"no {PDF.name} in the built site: run `make pdf` (after `make book`)")
    return pypdf.PdfReader(PDF)


@pytest.fixture(scope="module")
def page_texts(reader):
    return [_squash(page.extract_text()) for page in reader.pages]


@pytest.fixture(scope="module")
def starts(reader):
    """First PDF page of each bookmark, by title, in bookmark order."""
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


def test_the_intro_page_offers_the_pdf():
    intro = (SITE / "book" / "intro.html").read_text(encoding="utf-8")
    assert re.search(r'<a [^>]*href="\.\./exaflops-externalities\.pdf"', intro), "the intro page has no link to the PDF"
    assert PDF.exists(), "the intro page links to a PDF the site does not have: run `make pdf`"


def test_one_bookmark_per_toc_page_in_order(reader, starts):
    files = _toc_files()
    assert [title for title, _ in starts] == [_heading(f) for f in files]
    pages = [page for _, page in starts]
    assert pages[0] == 0 and pages == sorted(set(pages)), f"bookmarks out of order or sharing a page: {pages}"
    assert len(reader.pages) >= len(files)


def test_each_bookmark_opens_on_its_page(starts, page_texts):
    for title, page in starts:
        # The section number ("4. ") is the sidebar's; the printed page heads with the title.
        bare = re.sub(r"^[\d.]+\s+", "", title)
        assert _squash(bare) in page_texts[page][:400], f"bookmark {title!r} points to page {page + 1}, which is not its start"


def test_every_page_is_numbered_through_the_book(reader, page_texts):
    total = len(reader.pages)
    unnumbered = [i for i, text in enumerate(page_texts, 1) if f"{i}/{total}" not in text]
    assert unnumbered == [], f"pages without 'n / {total}': {unnumbered[:10]}"


def test_each_chapter_shows_its_headline_results(starts, page_texts):
    results = json.loads((SITE / "results.json").read_text(encoding="utf-8"))["results"]
    files = _toc_files()
    ranges = {f: (start, (starts + [(None, len(page_texts))])[i + 1][1]) for i, (f, (_, start)) in
              enumerate(zip(files, starts, strict=True))}
    missing, checked = [], 0
    for result in results:
        if result["page"] not in ranges:
            continue
        first, end = ranges[result["page"]]
        chapter = "".join(page_texts[first:end])
        checked += 1
        if _squash(result["central_text"]) not in chapter:
            missing.append(f"{result['page']}: {result['id']} = {result['central_text']}")
    assert checked >= len({r["page"] for r in results}), "results.json has no results for the book's pages"
    assert missing == [], "\n".join(missing)
