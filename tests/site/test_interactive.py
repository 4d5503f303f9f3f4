"""Interactive charts work with no kernel: at their defaults they show the number Python
computed, and every control (drop-down or slider) changes what they show.

Charts are found, not listed: ``claimcheck.charts.interactive`` stamps each one with the id
of the result it shows (Vega-Lite ``usermeta``), and its number is the text layer named
``headline``.
"""

from __future__ import annotations

import json

import pytest
from browser import open_page
from conftest import SITE, built_pages

pytestmark = pytest.mark.browser
CHAPTERS = [p for p in built_pages() if p.startswith("notebooks/")]
RESULTS = {r["id"]: r for r in json.loads((SITE / "results.json").read_text())["results"]} \
    if (SITE / "results.json").exists() else {}

FIND_CHARTS = """() => [...document.querySelectorAll('div[id^="altair-viz-"]')].map(div => {
    const script = div.nextElementSibling ? div.nextElementSibling.textContent : '';
    const m = script.match(/"usermeta":\\s*\\{"claimcheck_result":\\s*"([a-z0-9_]+)"\\}/);
    return m ? {id: div.id, result: m[1]} : null; }).filter(Boolean)"""


def headline(page, chart_id: str) -> str:
    return page.locator(f"#{chart_id} g.headline_marks text").first.text_content()


def expected_text(result_id: str) -> str:
    """The central value as the prose glued it (results.json keeps that text)."""
    return RESULTS[result_id]["central_text"]


@pytest.mark.parametrize("path", CHAPTERS)
def test_chapter_has_an_interactive_chart(browser, site_url, path):
    visit = open_page(browser, f"{site_url}/{path}")
    try:
        charts = visit.page.evaluate(FIND_CHARTS)
        assert charts, f"{path} has no interactive chart (see claimcheck.charts.interactive)"
    finally:
        visit.page.context.close()


@pytest.mark.parametrize("path", CHAPTERS)
def test_defaults_match_python_and_every_control_changes_the_chart(browser, site_url, path):
    visit = open_page(browser, f"{site_url}/{path}")
    page = visit.page
    try:
        for chart in page.evaluate(FIND_CHARTS):
            assert chart["result"] in RESULTS, f"{path}: chart shows unknown result {chart['result']}"
            assert headline(page, chart["id"]) == expected_text(chart["result"]), \
                f"{path}: chart for {chart['result']} disagrees with Python at its defaults"
            controls = page.locator(f"#{chart['id']} .vega-bindings input, #{chart['id']} .vega-bindings select")
            assert controls.count() >= 1, f"{path}: chart for {chart['result']} has no control"
            for i in range(controls.count()):
                control = controls.nth(i)
                assert control.evaluate("e => !!e.closest('label')"), f"{path}: control {i} has no label"
                before = headline(page, chart["id"])
                if control.evaluate("e => e.tagName") == "SELECT":
                    options = control.evaluate("e => [...e.options].map(o => o.value)")
                    current = control.input_value()
                    control.select_option(next(o for o in options if o != current))
                else:  # a slider, moved with the keyboard as a keyboard user would
                    control.focus()
                    for _ in range(3):
                        page.keyboard.press("ArrowLeft" if control.input_value() == control.get_attribute("max") else "ArrowRight")
                page.wait_for_timeout(100)
                assert headline(page, chart["id"]) != before, \
                    f"{path}: moving control {i} did not change the chart for {chart['result']}"
        assert visit.page_errors == [] and visit.console_errors == []
    finally:
        page.context.close()
