"""Every page of the built site, in Debian's chromium: loads clean, stays on 127.0.0.1, draws its charts."""

from __future__ import annotations

import pytest

from browser import chart_count, open_page, visible_errors
from conftest import built_pages

pytestmark = pytest.mark.browser
PAGES = built_pages()


def test_site_has_pages():
    assert "index.html" in PAGES and len(PAGES) >= 3, "the site was not built (run `make test`)"


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_and_draws(browser, site_url, path):
    visit = open_page(browser, f"{site_url}/{path}")
    try:
        assert visit.offsite_requests == [], f"{path} reached off the local server"
        assert visit.page_errors == [], f"{path} threw: {visit.page_errors}"
        assert visit.console_errors == [], f"{path} logged console errors: {visit.console_errors}"
        assert visit.failed_requests == [], f"{path} had failed requests: {visit.failed_requests}"
        total, drawn = chart_count(visit.page)
        assert drawn == total, f"{path}: {total - drawn} of {total} charts did not draw"
        assert visible_errors(visit.page) == []
        # A chart that failed to serialise shows up as its Python repr instead of a chart.
        text = visit.page.inner_text("body")
        for repr_ in ("alt.Chart(...)", "alt.LayerChart(...)", "alt.VConcatChart(...)", "alt.HConcatChart(...)",
                      "alt.FacetChart(...)", "alt.RepeatChart(...)"):
            assert repr_ not in text, f"{path} shows {repr_} where a chart should be"
    finally:
        visit.page.context.close()
