"""Every page of the built site, in Debian's chromium: loads clean, stays on 127.0.0.1, draws its charts,
and each chart draws what it means to: no Vega warnings, no blank layers, the same marks as its static SVG."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from browser import chart_count, chart_layers, mark_counts, open_page, undrawn_layers, visible_errors
from conftest import built_pages

pytestmark = pytest.mark.browser
PAGES = built_pages()


@dataclass
class Report:
    visit: object
    charts: tuple[int, int]
    errors: list[str]
    text: str
    layers: list[dict]


_REPORTS: dict[str, Report] = {}


def report(browser, site_url, path) -> Report:
    """Open ``path`` once and keep what the tests below look at (each test reads one part)."""
    if path not in _REPORTS:
        visit = open_page(browser, f"{site_url}/{path}")
        try:
            _REPORTS[path] = Report(visit, chart_count(visit.page), visible_errors(visit.page),
                                    visit.page.inner_text("body"), chart_layers(visit.page))
        finally:
            visit.page.context.close()
    return _REPORTS[path]


def test_site_has_pages():
    assert "index.html" in PAGES and len(PAGES) >= 3, "the site was not built (run `make test`)"


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_and_draws(browser, site_url, path):
    r = report(browser, site_url, path)
    visit = r.visit
    assert visit.offsite_requests == [], f"{path} reached off the local server"
    assert visit.page_errors == [], f"{path} threw: {visit.page_errors}"
    assert visit.console_errors == [], f"{path} logged console errors: {visit.console_errors}"
    assert visit.failed_requests == [], f"{path} had failed requests: {visit.failed_requests}"
    total, drawn = r.charts
    assert drawn == total, f"{path}: {total - drawn} of {total} charts did not draw"
    assert r.errors == []
    # A chart that failed to serialise shows up as its Python repr instead of a chart.
    for repr_ in ("alt.Chart(...)", "alt.LayerChart(...)", "alt.VConcatChart(...)", "alt.HConcatChart(...)",
                  "alt.FacetChart(...)", "alt.RepeatChart(...)"):
        assert repr_ not in r.text, f"{path} shows {repr_} where a chart should be"


@pytest.mark.parametrize("path", PAGES)
def test_page_logs_no_warnings(browser, site_url, path):
    """Vega warns, and draws on regardless, when a chart cannot be drawn as specified
    (a log scale from zero, a sort it drops): the chart on screen is then not the one in the code."""
    warnings = report(browser, site_url, path).visit.console_warnings
    assert warnings == [], f"{path} logged console warnings: {warnings}"


@pytest.mark.parametrize("path", PAGES)
def test_every_chart_layer_draws_something(browser, site_url, path):
    """Axes and labels with no bars pass a check that the <svg> exists; this one measures the marks."""
    problems = []
    for chart in report(browser, site_url, path).layers:
        for side in ("live", "static"):
            if chart[side] is not None:
                problems += [f"{chart['title']!r} ({side}): {p}" for p in undrawn_layers(chart[side])]
    assert problems == [], f"{path} has chart layers a reader cannot see: {problems}"


@pytest.mark.parametrize("path", PAGES)
def test_live_charts_match_their_static_fallback(browser, site_url, path):
    """The SVG for readers without JavaScript is drawn at build time by vl-convert; at its
    defaults the live chart must draw the same marks, layer by layer."""
    for chart in report(browser, site_url, path).layers:
        assert chart["static"] is not None, f"{path}: chart {chart['title']!r} has no static fallback"
        assert mark_counts(chart["live"]) == mark_counts(chart["static"]), (
            f"{path}: chart {chart['title']!r} draws different marks live and in its static SVG")
