"""axe-core (vendored in tests/vendor, injected by Playwright) finds no critical or serious
WCAG 2.2 A/AA or best-practice violation on any page, in light and in dark mode, and every
chart carries a text description."""

from __future__ import annotations

import json
import re

import pytest
from browser import draw_charts, open_page
from conftest import ROOT, SITE, built_pages

AXE = (ROOT / "tests" / "vendor" / "axe.min.js").read_text()
# index.html is only a meta-refresh to the first chapter: axe would race the redirect.
PAGES = [p for p in built_pages() if p != "genindex.html"
         and 'http-equiv="Refresh"' not in (SITE / p).read_text(encoding="utf-8")[:500]]
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (2.2 added only AA rules to axe), and Deque's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# Each finding, and whether every element it names lies where a known finding is accepted.
RUN_AXE = """async ([tags, known]) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  const inside = (n, where) => n.target.length === 1 && document.querySelector(n.target[0])?.closest(where);
  return r.violations.map(v => ({id: v.id, impact: v.impact,
    known: v.id in known && v.nodes.every(n => inside(n, known[v.id])),
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}));
}"""
# Moderate and minor findings left as they are, where they may occur, and why; any other fails.
KNOWN = {
    # The book title in the sidebar sits outside a landmark (the theme's navbar-logo template).
    "region": ".bd-sidebar-primary",
    # pandas leaves the index column's header cell empty in DataFrame tables (notebook outputs).
    "empty-table-header": "table.dataframe",
    # sphinxcontrib-bibtex gives bibliography entries role="doc-biblioentry", deprecated in ARIA 1.3.
    "aria-allowed-role": '[role="doc-biblioentry"]',
    "aria-deprecated-role": '[role="doc-biblioentry"]',
}


def test_vendored_axe_is_the_pinned_release():
    pinned = re.search(r'"axe-core": "axe-core@([0-9.]+)"', (ROOT / "scripts" / "vendor_assets.py").read_text())
    manifest = json.loads((ROOT / "assets" / "vendor" / "versions.json").read_text())
    header = re.match(r"/\*! axe v([0-9.]+)", AXE)
    assert pinned and header, "scripts/vendor_assets.py must pin axe-core, and axe.min.js must name its version"
    assert header.group(1) == manifest["npm"]["axe-core"] == pinned.group(1), "run `make vendor`"


def open_in_mode(browser, url: str, mode: str):
    """Open ``url`` as a reader who chose ``mode`` with the theme's switch: the theme keeps
    the choice in localStorage and applies it before the page draws."""
    visit = open_page(browser, url)
    if mode == "dark":
        visit.page.evaluate("() => { localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark'); }")
        visit.page.reload(wait_until="load")
        draw_charts(visit.page)
    assert visit.page.evaluate("() => document.documentElement.dataset.theme") == mode
    return visit


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(browser, site_url, path, mode):
    visit = open_in_mode(browser, f"{site_url}/{path}", mode)
    try:
        visit.page.add_script_tag(content=AXE)
        violations = visit.page.evaluate(RUN_AXE, [TAGS, KNOWN])
        serious = [f"{v['impact']} {v['id']}: {v['nodes']}" for v in violations
                   if v["impact"] in ("critical", "serious")]
        assert not serious, f"{path} ({mode} mode):\n" + "\n".join(serious)
        others = [f"{v['impact']} {v['id']}: {v['nodes']}" for v in violations
                  if v["impact"] in ("moderate", "minor") and not v["known"]]
        assert not others, f"{path} ({mode} mode), new findings (fix them, or add them to KNOWN with a reason):\n" + \
            "\n".join(others)
        # Vega turns the chart's description into the aria-label of the chart's graphics
        # document (the container, or its chart wrapper when the action menu is on).
        unlabelled = visit.page.evaluate(
            """() => [...document.querySelectorAll('div[id^="altair-viz-"]')]
                     .filter(d => { const g = d.matches('[role="graphics-document"]') ? d
                                      : d.querySelector('[role="graphics-document"]');
                                    return !g || !(g.getAttribute('aria-label') || '').trim(); }).length""")
        assert unlabelled == 0, f"{path}: {unlabelled} charts have no text description"
        charts, tables = visit.page.evaluate(
            """() => [document.querySelectorAll('div[id^="altair-viz-"]').length,
                      document.querySelectorAll('details.chart-data table').length]""")
        assert tables >= charts, f"{path}: {charts} charts but only {tables} tables of their numbers"
    finally:
        visit.page.context.close()
