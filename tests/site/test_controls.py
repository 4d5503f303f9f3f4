"""Every control a reader can see draws something. The theme's icons are drawn by the book's
small replacement for Font Awesome (assets/scripts/fontawesome.js); an icon it misses leaves
its button blank, as the table-of-contents button on phones once was."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from browser import open_page
from conftest import SITE, built_pages

pytestmark = pytest.mark.browser
PAGES = built_pages()
# index.html only redirects (meta refresh) to the first chapter, which is tested itself.
REDIRECTS = [p for p in PAGES if 'http-equiv="Refresh"' in (SITE / p).read_text(encoding="utf-8")[:500]]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

# Visible buttons and links that show no text and no drawn image or icon.
BLANK_CONTROLS = """() => {
  const drawn = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const visible = el => drawn(el) && el.checkVisibility({opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true});
  return [...document.querySelectorAll('button, a[href], [role="button"]')]
    .filter(visible)
    // Off-screen entries under content-visibility: auto are not laid out, so innerText is
    // empty; their text is still what a screen reader reads, so use the text content.
    .filter(el => !(el.checkVisibility({contentVisibilityAuto: true}) ? el.innerText : el.textContent).trim()
                  && ![...el.querySelectorAll('svg, img, canvas, video')].some(visible))
    .map(el => el.outerHTML.replace(/\\s+/g, ' ').slice(0, 160));
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("path", [p for p in PAGES if p not in REDIRECTS])
def test_every_visible_control_shows_text_or_an_icon(browser, site_url, path, viewport):
    visit = open_page(browser, f"{site_url}/{path}")
    try:
        visit.page.set_viewport_size(VIEWPORTS[viewport])
        blank = visit.page.evaluate(BLANK_CONTROLS)
        assert not blank, f"{path} at {viewport} size: controls that draw nothing:\n" + "\n".join(blank)
    finally:
        visit.page.context.close()


class _IconElements(HTMLParser):
    """Every (tag, class) in a page whose class names a Font Awesome icon."""

    def __init__(self):
        super().__init__()
        self.found: set[tuple[str, str]] = set()

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if any(c.startswith("fa-") or c in ("fas", "far", "fab") for c in classes):
            self.found.add((tag, " ".join(classes)))


def icon_elements() -> set[tuple[str, str]]:
    parser = _IconElements()
    for path in PAGES:
        parser.feed((SITE / path).read_text(encoding="utf-8"))
    return parser.found


def test_the_icon_script_draws_every_icon_the_pages_use(browser):
    """Put each icon element the built pages contain on a blank page, run the icon script the
    site serves, and check each became an SVG that draws a shape."""
    used = sorted(icon_elements())
    assert used, "the built pages name no Font Awesome icon: is the site built?"
    page = browser.new_page()
    try:
        page.set_content("".join(f'<{tag} class="{cls}" data-probe="{i}"></{tag}>' for i, (tag, cls) in enumerate(used)))
        page.add_script_tag(content=(SITE / "_static" / "scripts" / "fontawesome.js").read_text())
        drawn = page.evaluate(
            """() => [...document.querySelectorAll('[data-probe]')]
                     .filter(el => el.tagName === 'svg' && (el.querySelector('path')?.getAttribute('d') || '').length > 10)
                     .map(el => Number(el.dataset.probe))""")
    finally:
        page.close()
    missing = [f"<{tag} class=\"{cls}\">" for i, (tag, cls) in enumerate(used) if i not in drawn]
    assert not missing, "icons on the built pages the icon script leaves blank (fix scripts/vendor_assets.py):\n" + \
        "\n".join(missing)
