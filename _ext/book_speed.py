"""Pages that paint fast on a phone (issue 14, "Fast on a phone").

Loaded as a local extension (``_config.yml``: ``sphinx.local_extensions``). On each page, after
the other extensions have added their assets (``html-page-context`` at priority 900), it:

* makes every script in ``<head>`` deferred, so none blocks the first paint. The small
  ``documentation_options.js`` is written into the page instead, because the page's inline
  scripts (``DOCUMENTATION_OPTIONS.pagename = ...``) use it at once;
* paints each Altair chart first as the SVG the build drew for readers without JavaScript
  (a line of inline script copies it out of the chart's ``<noscript>`` into the chart's box),
  and turns the chart's own script inert: ``_static/chart-loader.js`` fetches Vega and runs it
  when the reader first scrolls or touches the page and the chart nears the viewport;
* replaces MathJax with ``_static/math-loader.js``, which loads it the same way (first scroll or
  touch, a formula within a screen); ``scripts/make_pdf.py`` waits for it before printing;
* keeps sphinx-design's stylesheet and script, and sphinx-exercise's stylesheet, for the pages
  that use them;
* gives the generated pages (index of terms, search) a meta description, and drops the
  deprecated ``role="doc-biblioentry"`` from bibliography entries (Lighthouse SEO and
  accessibility both fail on them otherwise).

The search index and search scripts load only on the search page, deferred there, and the
theme's stylesheets skip an ``@import`` hop and the script preloads (``_templates/``).
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from sphinx.application import Sphinx

try:  # Sphinx 7.x
    from sphinx.builders.html._assets import _JavaScript
except ImportError:  # pragma: no cover - older Sphinx
    from sphinx.builders.html import JavaScript as _JavaScript

from book_assets import VEGA_BUNDLE  # noqa: E402  (the bundle book_assets adds, which this defers)

CHART_LOADER = "chart-loader.js"
CHART_ACTIONS = "chart-actions.js"
MATH_LOADER = "math-loader.js"
INERT_CHART = "application/x-claimcheck-chart"
# Altair's HTML output: the chart's box, then the script that calls vega-embed.
CHART = re.compile(r'<div id="(altair-viz-[0-9a-f]+)"></div>(\s*)<script type="text/javascript">')
# Paints the chart's build-time SVG in its box before any script file loads: the <noscript>
# beside the box holds it as text while scripts run. vega-embed empties the box when it draws.
STATIC_FIRST = ('<script>(function(d){var n=d.parentElement.querySelector("noscript");'
                'if(n&&n.textContent.indexOf("chart-static")>=0)d.insertAdjacentHTML("afterbegin",'
                'n.textContent.replace(\'class="chart-static"\',\'class="chart-placeholder"\'))})'
                '(document.currentScript.parentElement)</script>')
# Assets a page needs only when its body uses them: (file name, marker in the body).
PAGE_ONLY = {"sphinx-design.min.css": 'class="sd-', "design-tabs.js": 'class="sd-tab',
             "exercise.css": 'class="exercise', }


# Pages Sphinx writes without a source page, so without the description sphinx_meta writes.
GENERATED = {"genindex": "The index of terms used in {title}.",
             "search": "Search the pages of {title}."}


def _name(asset) -> str:
    return os.fspath(getattr(asset, "filename", asset) or "")


def _documentation_options(app: Sphinx, context: dict) -> str:
    """The text of ``documentation_options.js`` as Sphinx renders it for this build."""
    cached = getattr(app, "_book_speed_docopts", None)
    if cached is None:
        templates = [Path(d) / "static" / f"documentation_options.{ext}"
                     for d in app.builder.theme.get_theme_dirs() for ext in ("js.jinja", "js_t")]
        template = next((t for t in templates if t.is_file()), None)
        if template is None:
            raise FileNotFoundError(f"no documentation_options template in the theme ({templates}): cannot inline it")
        cached = app.builder.templates.render_string(template.read_text(encoding="utf-8"), context)
        app._book_speed_docopts = cached
    return cached


def rewrite_charts(body: str) -> str:
    """Each chart: its static SVG painted at once, its vega-embed script inert until loaded."""
    return CHART.sub(lambda m: f'<div id="{m.group(1)}">{STATIC_FIRST}</div>{m.group(2)}'
                               f'<script type="{INERT_CHART}">', body)


def speed_up_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body", "")
    # sphinxcontrib-bibtex marks each bibliography entry role="doc-biblioentry", deprecated in
    # ARIA 1.3 and so a Lighthouse accessibility failure; the entries are plain paragraphs.
    if 'role="doc-biblioentry"' in body:
        context["body"] = body = body.replace(' role="doc-biblioentry"', "")
    if pagename in GENERATED and 'name="description"' not in context.get("metatags", ""):
        what = GENERATED[pagename].format(title=app.config.html_title or app.config.project)
        context["metatags"] = context.get("metatags", "") + f'<meta name="description" content="{html.escape(what)}" />\n'
    has_charts = CHART.search(body) is not None
    if has_charts:
        context["body"] = body = rewrite_charts(body)

    scripts = []
    for js in context.get("script_files", []):
        name = _name(js)
        attributes = dict(getattr(js, "attributes", {}))
        if name.endswith(VEGA_BUNDLE):
            continue  # chart-loader.js fetches it when a chart is about to draw
        if "mathjax" in name.lower() and name.endswith(".js"):
            # math-loader.js fetches it once the reader scrolls or touches and a formula is near.
            mathjax = context["pathto"](name, 1)
            js = _JavaScript(f"_static/{MATH_LOADER}", priority=js.priority, defer="defer", **{"data-mathjax": mathjax})
        elif name.endswith("documentation_options.js"):
            js = _JavaScript("", priority=js.priority, body=_documentation_options(app, context))
        elif any(name.endswith(asset) for asset, marker in PAGE_ONLY.items() if marker not in body):
            continue
        elif name and not attributes.get("async") and not attributes.get("type") == "module":
            attributes["defer"] = "defer"
            js = _JavaScript(name, priority=js.priority, **attributes)
        scripts.append(js)
    if has_charts:
        bundle = context["pathto"](f"_static/{VEGA_BUNDLE}", 1)
        scripts.append(_JavaScript(f"_static/{CHART_LOADER}", priority=200, defer="defer", **{"data-bundle": bundle}))
        if not any(_name(js).endswith(CHART_ACTIONS) for js in scripts):
            scripts.append(_JavaScript(f"_static/{CHART_ACTIONS}", priority=201, defer="defer"))
    context["script_files"] = sorted(scripts, key=lambda js: getattr(js, "priority", 500))

    context["css_files"] = [css for css in context.get("css_files", [])
                            if not any(_name(css).endswith(asset) for asset, marker in PAGE_ONLY.items()
                                       if marker not in body)]


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", speed_up_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
