"""Open a page of the built site the way a reader would, and record what went wrong."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlparse


@dataclass
class PageVisit:
    page: object
    console_errors: list[str] = field(default_factory=list)
    # Vega and Vega-Lite log with console.warn ("WARN Log scale domain includes zero"): a chart
    # that warns has drawn, but perhaps not what its code asked for.
    console_warnings: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    offsite_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)


def open_page(browser, url: str, *, java_script: bool = True, wait_for_charts: bool = True) -> PageVisit:
    """Load ``url`` in a fresh context; abort and record any request that leaves 127.0.0.1."""
    context = browser.new_context(java_script_enabled=java_script)
    page = context.new_page()
    visit = PageVisit(page)

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            visit.offsite_requests.append(r.request.url)
            r.abort()

    def console(m):
        if m.type == "error":
            visit.console_errors.append(m.text)
        elif m.type == "warning":
            visit.console_warnings.append(m.text)

    page.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda e: visit.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: visit.failed_requests.append(r.url))
    page.on("response", lambda r: visit.failed_requests.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="load")
    if java_script and wait_for_charts:
        draw_charts(page)
    return visit


_DRAWN = "d => !!(d.querySelector('svg.marks, canvas.marks') || d.querySelector('.error'))"


def draw_charts(page, timeout: int = 15_000) -> None:
    """Bring every chart to life the way a reader does, and wait until each has drawn.

    Charts paint first as their build-time SVG; Vega loads when the reader first moves the
    pointer, scrolls or presses a key, and each chart then draws as it nears the viewport
    (assets/chart-loader.js). So: move the pointer, then scroll to each chart in turn and wait
    for vega-embed to draw it (or show its error box).
    """
    page.mouse.move(2, 2)
    page.mouse.move(4, 4)
    for chart in page.locator('div[id^="altair-viz-"]').all():
        chart.scroll_into_view_if_needed()
        chart.evaluate(f"(d, t) => new Promise((ok, fail) => {{ const drawn = {_DRAWN}; const t0 = Date.now();"
                       " (function poll() { if (drawn(d)) ok(); else if (Date.now() - t0 > t) fail(new Error("
                       "'chart ' + d.id + ' did not draw')); else setTimeout(poll, 50); })(); })", timeout)
    page.wait_for_function(f"() => [...document.querySelectorAll('div[id^=\"altair-viz-\"]')].every({_DRAWN})",
                           timeout=timeout)


def chart_count(page) -> tuple[int, int]:
    """(Altair outputs on the page, of which drawn)."""
    return page.evaluate(
        """() => { const divs = [...document.querySelectorAll('div[id^="altair-viz-"]')];
                   return [divs.length, divs.filter(d => d.querySelector('svg.marks, canvas.marks')).length]; }"""
    )


def visible_errors(page) -> list[str]:
    """Error boxes a reader would see: Altair's loader errors and notebook tracebacks."""
    return page.evaluate(
        """() => [...document.querySelectorAll('div[id^="altair-viz-"] .error, .cell_output .output.error, .output.traceback')]
                 .filter(e => e.offsetParent !== null).map(e => e.innerText.slice(0, 200))"""
    )


# Vega's SVG renderer puts each mark layer in <g class="mark-<type> role-mark <name>">, one child
# element (path, line, text) per item; axes, legends and titles use other roles. The browser
# measures each item with getBBox, so a bar whose path is "h93.6v0" (height 0) or holds NaN
# counts as not drawn. The static fallback is parsed from its <noscript> (inert text while
# scripts run) and measured off-screen the same way, so both sides are counted by one rule.
_LAYERS_JS = """() => {
  const FILLED = new Set(['rect', 'area', 'symbol', 'arc', 'image', 'shape', 'text']);
  const drawn = (type, el) => {
    const b = el.getBBox();
    if (!Number.isFinite(b.width) || !Number.isFinite(b.height)) return false;
    // A filled mark needs both sides; a rule or line needs a length in one direction.
    return FILLED.has(type) ? b.width > 0 && b.height > 0 : b.width > 0 || b.height > 0;
  };
  const layers = svg => [...svg.querySelectorAll('g.role-mark')].map(g => {
    const classes = [...g.classList];
    const type = classes.find(c => c.startsWith('mark-')).slice(5);
    const name = classes.find(c => c !== 'role-mark' && !c.startsWith('mark-')) || type;
    const items = [...g.children];
    return {name, type, items: items.length, blank: items.filter(i => !drawn(type, i)).length};
  });
  const staticLayers = div => {
    const ns = [...div.parentElement.querySelectorAll('noscript')].find(n => n.textContent.includes('chart-static'));
    const m = ns && ns.textContent.match(/src="data:image\\/svg\\+xml;base64,([^"]+)"/);
    if (!m) return null;
    const text = new TextDecoder().decode(Uint8Array.from(atob(m[1]), c => c.charCodeAt(0)));
    const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    const holder = document.createElement('div');
    holder.style.cssText = 'position:absolute; left:-20000px; top:0';
    holder.appendChild(document.importNode(svg, true));
    document.body.appendChild(holder);
    try { return layers(holder.firstElementChild); } finally { holder.remove(); }
  };
  return [...document.querySelectorAll('div[id^="altair-viz-"]')].map(div => {
    const svg = div.querySelector('svg.marks');
    return {id: div.id, title: (div.querySelector('.role-title-text') || {}).textContent || div.id,
            live: svg ? layers(svg) : null, static: staticLayers(div)};
  });
}"""


def chart_layers(page) -> list[dict]:
    """Every Altair chart on the page as ``{id, title, live, static}``.

    ``live`` (the chart vega-embed drew) and ``static`` (its build-time SVG fallback, or None
    if it has none) are lists of mark layers: ``{name, type, items, blank}``, ``blank`` being
    the items drawn with no extent.
    """
    return page.evaluate(_LAYERS_JS)


# Marks where each item is a shape the reader must see: one invisible bar is a missing bar.
# Rules and lines may be zero-length one by one (a range whose low equals its high).
ITEMWISE = {"rect", "area", "symbol", "arc"}


def undrawn_layers(layers: list[dict]) -> list[str]:
    """The layers that draw nothing a reader can see, described for an assertion message."""
    problems = []
    for layer in layers:
        what = f"{layer['type']} layer {layer['name']!r}"
        if layer["items"] == 0:
            problems.append(f"{what} has no items")
        elif layer["blank"] == layer["items"]:
            problems.append(f"{what}: none of its {layer['items']} items has any extent")
        elif layer["blank"] and layer["type"] in ITEMWISE:
            problems.append(f"{what}: {layer['blank']} of its {layer['items']} items have no extent")
    return problems


def mark_counts(layers: list[dict]) -> dict[str, int]:
    """Items per named layer; a layer split into series (one line per colour) is summed."""
    counts: Counter[str] = Counter()
    for layer in layers:
        counts[f"{layer['type']} {layer['name']}"] += layer["items"]
    return dict(counts)
