"""Sphinx extension: what each page loads.

* the book's stylesheet on every page;
* the vendored vega bundle (offline chart libraries) only on pages that hold an Altair chart;
* MathJax only on pages that have maths;
* a plain container for the bibliography instead of docutils' invalid list role.
"""

from __future__ import annotations

from sphinx.application import Sphinx

VEGA_BUNDLE = "vendor/vega-bundle.js"


def add_page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body", "")
    # Docutils marks the bibliography role="list" but its entries are not list items,
    # which screen readers (and axe-core) reject; a plain container is what it is.
    context["body"] = body = body.replace('<div role="list" class="citation-list">', '<div class="citation-list">')
    if "vega-embed" in body or "altair-viz" in body:
        # Loaded synchronously in <head>, so the globals exist before the chart's inline script runs.
        app.add_js_file(VEGA_BUNDLE, priority=200)
        app.add_js_file("chart-actions.js", priority=201)


def drop_unused_mathjax(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Sphinx loads MathJax on a page whose toctree *children* have maths (the home page
    includes every chapter), a megabyte for nothing; keep it where the page has maths."""
    if 'class="math' in context.get("body", ""):
        return

    def is_mathjax(js) -> bool:
        name = str(getattr(js, "filename", js) or "")
        body = str(getattr(js, "attributes", {}).get("body", ""))
        return "mathjax" in name.lower() or "MathJax" in body

    context["script_files"] = [js for js in context.get("script_files", []) if not is_mathjax(js)]


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", add_page_assets)
    app.connect("html-page-context", drop_unused_mathjax, priority=900)
    app.add_css_file("book.css")
    # Jupyter Book always passes sphinx_comments' setting; we drop that extension (it loads
    # scripts from the network), so declare the value to keep the strict build quiet.
    app.add_config_value("comments_config", {}, "html")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
