"""Visible code and output fit the page's column at a 1280x900 desktop viewport: a reader
should not scroll sideways to read a line (issue 13, item 4). The ruff line length in
pyproject.toml is the column's width in characters, so formatted code keeps fitting."""

from __future__ import annotations

import tomllib

import pytest
from browser import open_page
from conftest import ROOT, SITE, built_pages

# index.html is only a meta-refresh to the first chapter.
PAGES = [p for p in built_pages() if 'http-equiv="Refresh"' not in (SITE / p).read_text(encoding="utf-8")[:500]]
VIEWPORT = {"width": 1280, "height": 900}

# Code (notebook inputs and literal blocks) and notebook outputs, text or HTML, that a reader
# sees, and every chart (its export menu must not push it past the column): cells collapsed by
# hide-input/hide-output sit in a closed <details> and have no box.
# A wide data table (a sourced-figures table with seven columns) may scroll inside its
# output box, which has its own scroll bar; text and code may not.
OVERFLOWING = """() => [...document.querySelectorAll(
      'div.highlight pre, div.cell_output pre, div.cell_output .output.text_html, div[id^="altair-viz-"]')]
    .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
    .filter(e => !(e.matches('.text_html') && e.querySelector('table')
                   && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)))
    .map(e => `${e.scrollWidth - e.clientWidth} px too wide: ${e.innerText.split('\\n')
      .reduce((a, b) => b.length > a.length ? b : a, '').trim().slice(0, 90)}`)"""

# How many characters of the code font fit across a notebook code cell's text area.
COLUMN_CHARS = """() => {
  const pre = document.querySelector('div.cell_input div.highlight pre');
  const probe = document.createElement('span');
  probe.textContent = 'x'.repeat(100);
  pre.appendChild(probe);
  const style = getComputedStyle(pre);
  const inner = pre.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const chars = inner / (probe.getBoundingClientRect().width / 100);
  probe.remove();
  return chars;
}"""


def _open(browser, url):
    visit = open_page(browser, url)
    visit.page.set_viewport_size(VIEWPORT)
    visit.page.evaluate("() => document.fonts.ready.then(() => true)")
    return visit


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_visible_code_and_output_do_not_scroll_sideways(browser, site_url, path):
    visit = _open(browser, f"{site_url}/{path}")
    try:
        wide = visit.page.evaluate(OVERFLOWING)
    finally:
        visit.page.context.close()
    assert not wide, f"{path} at 1280x900: {len(wide)} code/output blocks scroll sideways:\n" + "\n".join(wide)


@pytest.mark.browser
def test_ruff_line_length_fits_the_code_column(browser, site_url):
    chapter = next(p for p in PAGES if p.startswith("notebooks/"))
    visit = _open(browser, f"{site_url}/{chapter}")
    try:
        chars = visit.page.evaluate(COLUMN_CHARS)
    finally:
        visit.page.context.close()
    ruff = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]
    assert ruff["line-length"] <= chars, (
        f"ruff's line-length {ruff['line-length']} is wider than the {chars:.1f} characters "
        "that fit in a code cell at 1280 px")
