"""The site stays light: the theme's 1.5 MB icon script is replaced by the icons the book
uses, and heavy libraries load only on pages that need them."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, SITE, built_pages

ICON_SCRIPT = (ROOT / "assets" / "scripts" / "fontawesome.js").read_text()
SHIPPED = set(re.search(r"var ICONS = (\{.*?\});", ICON_SCRIPT, flags=re.S).group(1).split('"')[1::2]) - {""}


@pytest.fixture(scope="module")
def pages():
    if not (SITE / "index.html").exists():
        pytest.fail("the site is not built: run `make test`")
    return {p: (SITE / p).read_text(encoding="utf-8") for p in built_pages()}


def test_the_built_site_serves_the_small_icon_script():
    served = (SITE / "_static" / "scripts" / "fontawesome.js").read_text()
    assert served == ICON_SCRIPT
    assert len(served.encode()) < 20_000


def test_the_icon_font_is_the_subset_the_themes_draw_from_css():
    served = (SITE / "_static" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2").read_bytes()
    assert served == (ROOT / "assets" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2").read_bytes()
    assert len(served) < 10_000  # the full font is 152 KiB


def test_mathjax_loads_only_on_pages_with_maths(pages):
    for path, html in pages.items():
        assert ("tex-chtml.js" in html) == ('class="math' in html), path


def test_every_icon_a_page_uses_is_shipped(pages):
    used = set()
    for html in pages.values():
        used |= set(re.findall(r'class="[^"]*\bfa-(?:solid|regular|brands)?\s*fa-([a-z0-9-]+)', html))
        used |= set(re.findall(r'class="[^"]*\bfas fa-([a-z0-9-]+)', html))
    theme_js = (SITE / "_static" / "scripts" / "pydata-sphinx-theme.js").read_text()
    used |= set(re.findall(r'fa-solid fa-([a-z0-9-]+)', theme_js))
    used -= {"lg", "fw", "sm", "xs", "2x"}  # size modifiers, not icons
    assert used <= SHIPPED, f"icons used but not shipped (add them in scripts/vendor_assets.py): {used - SHIPPED}"


def test_chart_libraries_load_only_where_there_are_charts(pages):
    for path, html in pages.items():
        has_chart = 'id="altair-viz-' in html
        assert ("vendor/vega-bundle.js" in html) == has_chart, path
