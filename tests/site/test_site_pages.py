"""Every page of the built site, in Debian's chromium: loads clean, stays on 127.0.0.1, draws its charts,
and each chart draws what it means to: no Vega warnings, no blank layers, the same marks as its static SVG."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from browser import (
    chart_count,
    chart_layers,
    mark_counts,
    open_page,
    undrawn_layers,
    visible_errors,
)
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
        live, static = mark_counts(chart["live"]), mark_counts(chart["static"])
        assert live == static, (f"{path}: chart {chart['title']!r} draws different marks live {live} "
                                f"and in its static SVG {static}")


# The checks above, run on small pages of known faults, so that each is seen to fail.

def _chart_page(tmp_path, charts_html: list[str]):
    """A page holding these chart outputs as the book lays them out, served with the site's Vega bundle."""
    import functools
    import http.server
    import shutil
    import threading

    from conftest import ROOT, _QuietHandler

    shutil.copy(ROOT / "assets" / "vendor" / "vega-bundle.js", tmp_path / "vega-bundle.js")
    body = "".join(f'<div class="output text_html">{h}</div>' for h in charts_html)
    (tmp_path / "page.html").write_text('<!doctype html><html><head><meta charset="utf-8">'
                                        f'<script src="vega-bundle.js"></script></head><body>{body}</body></html>',
                                        encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_QuietHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/page.html"


def _book_html(chart, monkeypatch) -> str:
    from claimcheck import charts

    monkeypatch.setenv(charts.BOOK_BUILD_ENV, "1")
    charts.setup()
    return charts.describe(chart, "A test chart")._repr_mimebundle_()["text/html"]


def _bars(values: list[float]):
    import altair as alt
    import pandas as pd

    return alt.Chart(pd.DataFrame({"k": [f"k{i}" for i in range(len(values))], "v": values})).mark_bar().encode(
        x="k:N", y="v:Q")


def _visit_fixture(browser, tmp_path, charts_html):
    server, url = _chart_page(tmp_path, charts_html)
    try:
        visit = open_page(browser, url)
        try:
            return visit.console_warnings, chart_layers(visit.page)
        finally:
            visit.page.context.close()
    finally:
        server.shutdown()


def test_checks_pass_a_sound_chart(browser, tmp_path, monkeypatch):
    warnings, layers = _visit_fixture(browser, tmp_path, [_book_html(_bars([1, 25, 3000]), monkeypatch)])
    assert warnings == []
    [chart] = layers
    assert undrawn_layers(chart["live"]) == [] and undrawn_layers(chart["static"]) == []
    assert mark_counts(chart["live"]) == mark_counts(chart["static"]) == {"rect marks": 3}


def test_checks_catch_log_scale_bars_from_zero(browser, tmp_path, monkeypatch):
    import altair as alt

    chart = _bars([1, 25, 3000]).encode(y=alt.Y("v:Q", scale=alt.Scale(type="log")))
    warnings, [layers] = _visit_fixture(browser, tmp_path, [_book_html(chart, monkeypatch)])
    assert any("Log scale domain includes zero" in w for w in warnings), warnings
    assert undrawn_layers(layers["live"]) == ["rect layer 'marks': none of its 3 items has any extent"]


def test_checks_catch_one_bar_without_extent(browser, tmp_path, monkeypatch):
    import altair as alt

    # Bars from 1 on a log scale: the bar for 1 has zero height though the others draw.
    chart = _bars([1, 25, 3000]).encode(y=alt.Y("v:Q", scale=alt.Scale(type="log", domain=[1, 10_000])),
                                        y2=alt.datum(1))
    _, [layers] = _visit_fixture(browser, tmp_path, [_book_html(chart, monkeypatch)])
    assert undrawn_layers(layers["live"]) == ["rect layer 'marks': 1 of its 3 items have no extent"]


def test_checks_catch_a_dropped_sort(browser, tmp_path, monkeypatch):
    import altair as alt

    y = alt.Y("k:N", sort=alt.SortField("v"))
    base = _bars([3, 1, 2])
    chart = base.encode(x="v:Q", y=y) + base.mark_text(dx=8).encode(x="v:Q", y=y, text="v:Q")
    warnings, _ = _visit_fixture(browser, tmp_path, [_book_html(chart, monkeypatch)])
    assert any("sort properties" in w for w in warnings), warnings


def test_checks_catch_a_static_fallback_that_draws_other_marks(browser, tmp_path, monkeypatch):
    live = _book_html(_bars([1, 2, 3]), monkeypatch)
    stale = _book_html(_bars([1, 2]), monkeypatch)
    cut = "</noscript>"
    swapped = stale[:stale.index(cut)] + live[live.index(cut):]
    _, [layers] = _visit_fixture(browser, tmp_path, [swapped])
    assert mark_counts(layers["live"]) == {"rect marks": 3} and mark_counts(layers["static"]) == {"rect marks": 2}
