"""axe-core (vendored in tests/vendor, injected by Playwright) finds no critical or serious
accessibility violation on any page, and every chart carries a text description."""

from __future__ import annotations

import pytest

from browser import open_page
from conftest import ROOT, built_pages

pytestmark = pytest.mark.browser
AXE = (ROOT / "tests" / "vendor" / "axe.min.js").read_text()
PAGES = [p for p in built_pages() if p not in ("genindex.html",)]

RUN_AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => ['critical', 'serious'].includes(v.impact))
    .map(v => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
}"""


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(browser, site_url, path):
    visit = open_page(browser, f"{site_url}/{path}")
    try:
        visit.page.add_script_tag(content=AXE)
        assert visit.page.evaluate(RUN_AXE) == []
        # Vega turns the chart's description into the chart container's aria-label.
        unlabelled = visit.page.evaluate(
            """() => [...document.querySelectorAll('div[id^="altair-viz-"]')]
                     .filter(d => d.getAttribute('role') !== 'graphics-document'
                                  || !(d.getAttribute('aria-label') || '').trim()).length""")
        assert unlabelled == 0, f"{path}: {unlabelled} charts have no text description"
        charts, tables = visit.page.evaluate(
            """() => [document.querySelectorAll('div[id^="altair-viz-"]').length,
                      document.querySelectorAll('details.chart-data table').length]""")
        assert tables >= charts, f"{path}: {charts} charts but only {tables} tables of their numbers"
    finally:
        visit.page.context.close()
