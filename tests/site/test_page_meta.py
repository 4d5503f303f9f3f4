"""Every page of the built site can be shared and dated: a description written from the page,
Open Graph tags, a licence line, and a "last updated" date equal to git's for its source."""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SITE


def toc_docs() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    docs = [toc["root"]]
    for part in toc.get("parts", []):
        docs += [c["file"] for c in part.get("chapters", [])]
    return docs


DOCS = toc_docs()


def html(doc: str) -> str:
    path = SITE / f"{doc}.html"
    if not path.exists():
        pytest.fail(f"{path} is not built: build the book first")
    return path.read_text()


def meta(page: str, attr: str, name: str) -> list[str]:
    return [unescape(m) for m in re.findall(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', page)]


def source(doc: str) -> Path:
    return next(p for p in (ROOT / f"{doc}.md", ROOT / f"{doc}.ipynb") if p.exists())


@pytest.mark.parametrize("doc", DOCS)
def test_page_has_description_and_open_graph_tags(doc):
    page = html(doc)
    [description] = meta(page, "name", "description")
    assert 50 <= len(description) <= 160, description
    assert meta(page, "property", "og:description") == [description]
    [title] = meta(page, "property", "og:title")
    assert title and title in unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))
    assert meta(page, "property", "og:type") in (["website"], ["article"])
    # The test build has no html_baseurl, so there is no address to give.
    assert meta(page, "property", "og:url") == []


def test_descriptions_are_unique():
    seen: dict[str, str] = {}
    for doc in DOCS:
        [description] = meta(html(doc), "name", "description")
        assert description not in seen, f"{doc} and {seen.get(description)} share a description"
        seen[description] = doc


def test_chapter_description_comes_from_its_overview():
    page = html("notebooks/carbon")
    section = page.split('id="overview"', 1)[1]
    first_paragraph = re.search(r"<p>(.*?)</p>", section, re.S).group(1)
    words = " ".join(unescape(re.sub(r"<[^>]+>", "", first_paragraph)).split()[:8])
    [description] = meta(page, "name", "description")
    assert description.startswith(words), (description, words)


@pytest.mark.parametrize("doc", DOCS)
def test_last_updated_is_the_git_date_of_the_source(doc):
    src = source(doc)
    expected = subprocess.run(["git", "log", "-1", "--format=%cs", "--", str(src.relative_to(ROOT))],
                              cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert expected, f"{src} has no commit"
    page = html(doc)
    assert f"Last updated on {expected}." in " ".join(page.split())
    assert meta(page, "name", "docbuild:last-update") == [expected]


def test_footer_carries_the_licence():
    page = html("notebooks/carbon")
    assert re.search(r'<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>', page)


def test_how_to_cite_is_on_the_intro_page():
    page = html("book/intro")
    section = page.split('<section id="how-to-cite">', 1)[1]
    text = unescape(re.sub(r"<[^>]+>", "", section))
    assert "@book{exaflops-externalities," in text


def _book_meta():
    """The book's page-metadata extension, from _ext/ (where _config.yml loads it from)."""
    import importlib
    import sys

    if str(ROOT / "_ext") not in sys.path:
        sys.path.insert(0, str(ROOT / "_ext"))
    return importlib.import_module("book_meta")


def _context_for(base_url: str) -> dict:
    # The extension's hook with a stand-in app: the full build has no base URL to test with.
    from types import SimpleNamespace

    from docutils.utils import new_document

    book_meta = _book_meta()
    app = SimpleNamespace(
        env=SimpleNamespace(all_docs={"notebooks/carbon": 0}, doc2path=lambda d: ROOT / f"{d}.md",
                            metadata={"notebooks/carbon": {"description": "How much CO2 Colossus causes."}}),
        config=SimpleNamespace(html_baseurl=base_url, root_doc="book/intro", html_title="Book", project="p"),
        builder=SimpleNamespace(out_suffix=".html"),
    )
    context = {"title": "10. Carbon", "metatags": ""}
    book_meta._page_context(app, "notebooks/carbon", "page.html", context, new_document("carbon.md"))
    return context


def test_og_url_follows_the_configured_base_url():
    tags = _context_for("https://example.org/book/")["metatags"]
    assert '<meta property="og:url" content="https://example.org/book/notebooks/carbon.html" />' in tags
    assert "og:url" not in _context_for("")["metatags"]


def test_base_url_from_the_environment(monkeypatch):
    from types import SimpleNamespace

    config = SimpleNamespace(html_baseurl="")
    monkeypatch.setenv("CLAIMCHECK_BASE_URL", "https://example.org/")
    _book_meta()._config_inited(None, config)
    assert config.html_baseurl == "https://example.org/"
