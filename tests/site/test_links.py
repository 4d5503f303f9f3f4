"""Crawl the built site: every internal link and anchor resolves."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest
from conftest import SITE, built_pages


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("preconnect", "dns-prefetch")):
                self.links.append(attrs[key])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def pages():
    if not (SITE / "index.html").exists():
        pytest.fail("the site is not built: run `make test`")
    return {p: _parse(SITE / p) for p in built_pages()}


def test_every_internal_link_and_anchor_resolves(pages):
    broken = []
    for page, parsed in pages.items():
        for link in parsed.links:
            url = urlparse(link)
            if url.scheme or link.startswith(("//", "mailto:", "javascript:", "data:")):
                continue
            target, fragment = urldefrag(link)
            target = urlparse(target).path  # drop ?v=... cache busters
            path = (SITE / page).parent / unquote(target) if target else SITE / page
            path = path.resolve()
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page}: {link} (no file)")
                continue
            if fragment and path.suffix == ".html":
                rel = path.relative_to(SITE.resolve()).as_posix()
                ids = pages[rel].ids if rel in pages else _parse(path).ids
                if unquote(fragment) not in ids:
                    broken.append(f"{page}: {link} (no anchor)")
    assert broken == [], "\n".join(broken[:30])


def test_the_crawl_sees_the_whole_book(pages):
    assert any(p.startswith("notebooks/") for p in pages) and "book/claims.html" in pages
