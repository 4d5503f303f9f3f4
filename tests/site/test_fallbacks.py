"""Charts without JavaScript (a static SVG drawn at build time) and chapters on paper."""

from __future__ import annotations

import pytest
from browser import open_page
from conftest import built_pages

pytestmark = pytest.mark.browser
CHAPTERS = [p for p in built_pages() if p.startswith("notebooks/")]


@pytest.mark.parametrize("path", CHAPTERS)
def test_charts_show_as_svg_with_javascript_off(browser, site_url, path):
    visit = open_page(browser, f"{site_url}/{path}", java_script=False)
    page = visit.page
    try:
        charts = page.locator('div[id^="altair-viz-"]').count()
        assert charts >= 1
        images = page.locator("img.chart-static")
        assert images.count() == charts, f"{path}: {charts} charts but {images.count()} static fallbacks"
        for i in range(images.count()):
            img = images.nth(i)
            assert img.is_visible()
            assert img.evaluate("i => i.complete && i.naturalWidth > 0"), f"{path}: fallback {i} did not load"
            assert (img.get_attribute("alt") or "").strip(), f"{path}: fallback {i} has no alt text"
        assert visit.offsite_requests == []
    finally:
        page.context.close()


@pytest.mark.parametrize("path", CHAPTERS[:3])
def test_print_shows_the_chapter_and_charts_without_navigation_or_controls(browser, site_url, path):
    visit = open_page(browser, f"{site_url}/{path}")
    page = visit.page
    try:
        page.emulate_media(media="print")
        assert page.locator("article").first.is_visible()
        assert page.locator('div[id^="altair-viz-"] svg.marks').first.is_visible()
        for hidden in (".bd-sidebar-primary", ".bd-header", ".vega-bindings"):
            loc = page.locator(hidden)
            assert all(not loc.nth(i).is_visible() for i in range(loc.count())), f"{hidden} prints"
    finally:
        page.context.close()
