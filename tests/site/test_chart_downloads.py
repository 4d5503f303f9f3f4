"""Every chart can be taken away, offline: SVG and PNG from vega-embed's menu, and a CSV of the
numbers it draws (as Our World in Data offers for every chart)."""

from __future__ import annotations

import re

import pytest
from browser import open_page
from conftest import SITE, built_pages

pytestmark = pytest.mark.browser
CHART_PAGES = [p for p in built_pages() if 'id="altair-viz-' in (SITE / p).read_text(encoding="utf-8")]


def test_there_are_chart_pages():
    assert len(CHART_PAGES) >= 8


@pytest.mark.parametrize("path", CHART_PAGES)
def test_each_chart_offers_svg_png_and_csv_only(browser, site_url, path):
    visit = open_page(browser, f"{site_url}/{path}")
    page = visit.page
    try:
        menus = page.evaluate("""() => [...document.querySelectorAll('div[id^="altair-viz-"]')].map(d =>
            [...d.querySelectorAll('.vega-actions a')].map(a => a.textContent.trim()))""")
        assert menus and all(m == ["Save as SVG", "Save as PNG"] for m in menus), menus
        csv_links = page.evaluate("""() => [...document.querySelectorAll('details.chart-data a[download$=".csv"]')]
                                       .map(a => a.getAttribute('href').slice(0, 30))""")
        assert len(csv_links) >= len(menus) and all(h.startswith("data:text/csv") for h in csv_links)
        # Save the first chart as SVG: vega-embed draws it in the page, nothing is fetched.
        page.locator('div[id^="altair-viz-"] details summary').first.click()
        with page.expect_download() as info:
            page.locator('div[id^="altair-viz-"] .vega-actions a', has_text="Save as SVG").first.click()
        svg = open(info.value.path(), encoding="utf-8").read()
        assert svg.lstrip().startswith("<svg") and re.search(r"<path|<rect|<text", svg)
        assert visit.offsite_requests == [] and visit.console_errors == []
    finally:
        page.context.close()
