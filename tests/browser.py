"""Open a page of the built site the way a reader would, and record what went wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlparse


@dataclass
class PageVisit:
    page: object
    console_errors: list[str] = field(default_factory=list)
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

    page.route("**/*", route)
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: visit.failed_requests.append(r.url))
    page.on("response", lambda r: visit.failed_requests.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="load")
    if java_script and wait_for_charts:
        # Every Altair output div must end up holding the chart vega-embed drew.
        page.wait_for_function(
            """() => [...document.querySelectorAll('div[id^="altair-viz-"]')]
                     .every(d => d.querySelector('svg.marks, canvas.marks') || d.querySelector('.error'))""",
            timeout=15_000,
        )
    return visit


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
