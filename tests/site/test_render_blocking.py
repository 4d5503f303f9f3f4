"""Nothing stands between a reader and the first paint (issue 14, "Fast on a phone").

Checked on the built pages, without timing anything (benchmarks/lighthouse.py measures):
no script file in <head> blocks rendering, Vega is not fetched or run while the page first
paints (charts show their build-time SVG until the reader scrolls or touches the page), and
the search index loads only on the search page.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from conftest import SITE, built_pages


class _Scripts(HTMLParser):
    """Every <script> of a page: its attributes, its text, and whether it is in <head>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_head = False
        self.scripts: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "script":
            self._current = {"attrs": dict(attrs), "text": "", "head": self.in_head}

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        elif tag == "script" and self._current is not None:
            self.scripts.append(self._current)
            self._current = None

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"] += data


def scripts_of(path: str) -> list[dict]:
    parser = _Scripts()
    parser.feed((SITE / path).read_text(encoding="utf-8"))
    return parser.scripts


@pytest.fixture(scope="module")
def pages() -> dict[str, list[dict]]:
    if not (SITE / "index.html").exists():
        pytest.fail("the site is not built: run `make test`")
    return {p: scripts_of(p) for p in built_pages()}


def _runs(script: dict) -> bool:
    """A script the browser runs (not data, not a template the page runs later)."""
    kind = script["attrs"].get("type", "text/javascript").lower()
    return kind in ("", "text/javascript", "application/javascript", "module")


def test_no_script_file_in_head_blocks_rendering(pages):
    blocking = {}
    for path, scripts in pages.items():
        found = [s["attrs"]["src"] for s in scripts
                 if s["head"] and s["attrs"].get("src") and _runs(s)
                 and "defer" not in s["attrs"] and "async" not in s["attrs"]
                 and s["attrs"].get("type") != "module"]
        if found:
            blocking[path] = found
    assert not blocking, f"render-blocking scripts in <head> (give them defer): {blocking}"


def test_vega_is_not_loaded_before_first_paint(pages):
    early = {}
    for path, scripts in pages.items():
        found = [s["attrs"]["src"] for s in scripts if "vega" in s["attrs"].get("src", "")]
        # A chart's vega-embed call that runs as the page is parsed fetches and runs Vega then.
        found += [f"inline chart script ({s['attrs'].get('type', 'no type')})" for s in scripts
                  if "vegaEmbed(" in s["text"] and _runs(s)]
        if found:
            early[path] = found
    assert not early, f"Vega loads before first paint: {early}"


def test_every_chart_page_can_still_draw_its_charts(pages):
    """The lazy path is wired: the loader is there and names a bundle that exists."""
    chart_pages = [p for p in pages if 'id="altair-viz-' in (SITE / p).read_text(encoding="utf-8")]
    assert chart_pages, "no page has a chart"
    for path in chart_pages:
        loaders = [s for s in pages[path] if s["attrs"].get("src", "").split("?")[0].endswith("chart-loader.js")]
        assert len(loaders) == 1, f"{path}: {len(loaders)} chart loaders"
        bundle = loaders[0]["attrs"].get("data-bundle", "")
        assert bundle and (SITE / path).parent.joinpath(bundle).resolve().is_file(), f"{path}: bundle {bundle!r} missing"
        inert = [s for s in pages[path] if "vegaEmbed(" in s["text"]]
        charts = (SITE / path).read_text(encoding="utf-8").count('<div id="altair-viz-')
        assert len(inert) == charts, f"{path}: {charts} charts but {len(inert)} chart scripts"


def test_the_search_index_loads_only_on_the_search_page(pages):
    loading = [p for p, scripts in pages.items()
               if any(s["attrs"].get("src", "").split("?")[0].endswith("searchindex.js") for s in scripts)]
    assert loading == ["search.html"]
