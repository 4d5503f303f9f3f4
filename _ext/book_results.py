"""Sphinx glue for the book: offline chart libraries, results.json, notebook downloads.

Registered in ``_config.yml`` (``sphinx.config.extensions``). What it does:

* before execution, tells notebook kernels where to write results and that they run in
  the book build (environment variables inherited by the kernels);
* adds the vendored vega bundle only to pages that hold an Altair chart;
* makes each notebook depend on the data tables it reads and on claimcheck, so a
  changed CSV re-runs exactly the notebooks that read it, and a changed formula all;
* offers every notebook chapter as a real ``.ipynb`` download;
* after the build, merges each page's results into ``_build/html/results.json``;
* provides the ``{results-table}`` directive listing every published number;
* provides two roles for prose pages: ``{datum}`figure_id``` writes a sourced figure of
  ``data/`` (value and range, formatted as the chapters format it), and ``{typed}`…```
  marks a number typed on purpose (a definition such as "1 EFLOP/s is 10¹⁸ FLOP/s"), which
  the test for typed numbers lets through.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from claimcheck.charts import BOOK_BUILD_ENV
from claimcheck.results import RESULTS_ENV, merge

logger = logging.getLogger(__name__)
VEGA_BUNDLE = "vendor/vega-bundle.js"
RESULTS_FILE = "results.json"


def _results_dir(app: Sphinx) -> Path:
    return Path(app.outdir).parent / "results"


def set_kernel_environment(app: Sphinx, config) -> None:
    os.environ[RESULTS_ENV] = str(_results_dir(app))
    os.environ[BOOK_BUILD_ENV] = "1"


def _data_index(data: Path) -> dict[str, Path]:
    """Every data id and table name in ``data/``, mapped to the CSV that holds it."""
    index: dict[str, Path] = {}
    for table in sorted(data.glob("*.csv")):
        index[table.stem] = index[table.name] = table
        with table.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            column = header.index("id") if "id" in header else None
            if column is not None:
                for row in reader:
                    if len(row) > column:
                        index[row[column]] = table
    return index


def _package_digest() -> tuple[list[Path], str]:
    """The claimcheck sources a notebook runs, and one hash of them all."""
    files = sorted(Path(__file__).parent.glob("*.py"))
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:16]
    return files, digest


def data_names(text: str, index: dict[str, Path]) -> set[str]:
    """The data ids and table names a notebook's source names: any string literal in ``index``."""
    return {name for name in re.findall(r"[\"']([A-Za-z0-9_.-]+)[\"']", text) if name in index}


def published_ids(text: str) -> list[str]:
    """The result ids a notebook's source publishes (``results.publish("id", ...)``), in order."""
    return list(dict.fromkeys(re.findall(r"results\.publish\(\s*[\"']([A-Za-z0-9_]+)[\"']", text)))


def track_data(app: Sphinx, docname: str, source: list[str]) -> None:
    """Make a notebook depend on the data tables it reads and on claimcheck itself
    (MyST-NB's cache notices only changes to the notebook's own code).

    Any string literal in the notebook that names a data id or table counts as a read.
    Sphinx re-reads the page when one of those CSVs or a claimcheck module changes
    (``note_dependency``), and a hidden last cell carrying their content hashes changes
    the notebook's code, so the execution cache misses and the notebook runs again.
    Notebooks that read other tables stay cached.
    """
    text = source[0]
    if "kernelspec:" not in text.split("\n---", 1)[0]:
        return
    index = _data_index(Path(app.srcdir) / "data")
    tables = sorted({index[name] for name in data_names(text, index)})
    package_files, package_digest = _package_digest()
    lines = [f"# claimcheck sha256:{package_digest}"]
    for path in package_files:
        app.env.note_dependency(str(path))
    for table in tables:
        app.env.note_dependency(str(table))
        lines.append(f"# {table.name} sha256:{hashlib.sha256(table.read_bytes()).hexdigest()[:16]}")
    source[0] = text.rstrip("\n") + (
        "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n\n"
        "# The code and data this chapter runs on; a change to one re-runs the chapter.\n"
        + "\n".join(lines) + "\n```\n")


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


def _load_script(name: str):
    """A module of the book's ``scripts/`` folder (not part of the claimcheck package)."""
    import importlib.util
    import sys

    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[1] / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def plain_book(app: Sphinx):
    """What a plain notebook needs from the build (glued values, terms, labels, figure
    numbers, titles, citations, claims), gathered once from the environment."""
    cached = getattr(app, "_plain_book", None)
    if cached is not None:
        return cached
    from claimcheck import sources
    from claimcheck.register import figure_text
    from claimcheck.sphinx_claims import get_claims

    plain = _load_script("plain_notebook")
    env = app.env
    std = env.get_domain("std")
    terms = {name.lower(): (doc, anchor) for (kind, name), (doc, anchor) in std.objects.items() if kind == "term"}
    labels = {name: (doc, anchor, str(std.labels.get(name, ("", "", ""))[2]))
              for name, (doc, anchor) in std.anonlabels.items()}
    formats = app.config.numfig_format
    numbers = {}
    for name, (doc, anchor, _) in labels.items():
        for kind, ids in env.toc_fignumbers.get(doc, {}).items():
            if anchor in ids:
                numbers[name] = str(formats.get(kind, kind.title() + " %s")) % ".".join(map(str, ids[anchor]))
    glue = {}
    for doc in env.found_docs:
        executed = Path(app.outdir).parent / "jupyter_execute" / f"{doc}.glue.json"
        if executed.is_file():
            glue[doc] = plain.read_glue(executed)[0]
    citations = {key: sources.source_name(key, Path(app.srcdir) / "data") for key in
                 sorted(sources.bibliography_keys(Path(app.srcdir) / "data"))}
    claims = {cid: claim.quote for cid, claim in (get_claims(env) or {}).items()}
    app._plain_book = plain.Book(
        glue=glue, terms=terms, labels=labels, numbers=numbers, citations=citations, claims=claims,
        titles={doc: title.astext() for doc, title in env.titles.items()}, datum=figure_text)
    return app._plain_book


def _site_link(base: str):
    def link(page: str, anchor: str) -> str:
        return f"{base}{page}.html" + (f"#{anchor}" if anchor else "")
    return link


def offer_notebook_download(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Offer the executed notebook as a plain Jupyter notebook (no MyST left: JupyterLab,
    VS Code and Colab render none of it), next to the page sources, with its solutions."""
    if context.get("ipynb_source") or not context.get("sourcename", "").endswith((".md", ".md.txt")):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():
        return
    import nbformat

    plain = _load_script("plain_notebook")
    book = plain_book(app)
    # The download sits at _sources/<page>.ipynb: links climb back to the site's root.
    base = app.config.html_baseurl.rstrip("/") + "/" if app.config.html_baseurl else \
        "../" * (pagename.count("/") + 1)
    book.link = _site_link(base)
    nb = nbformat.read(executed, as_version=4)
    figures = plain.read_glue(executed.with_suffix(".glue.json"))[1]
    try:
        plain.plain_notebook(nb, book, pagename, teacher=True, figures=figures)
    except plain.PlainError as err:
        logger.warning("plain notebook: %s", err, location=pagename, type="claimcheck", subtype="notebook")
        return
    nbformat.validate(nb)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def write_student_kit(app: Sphinx, exception) -> None:
    """Make the classroom kit from this build (its notebooks need the glued values) and put
    the zip in the site, where the teacher's guide links to it."""
    if exception is not None or app.builder.format != "html":
        return
    if not (Path(app.srcdir) / "claimcheck").is_dir():
        return  # a book without the package (a test fixture) has no kit to ship
    make_student = _load_script("make_student")
    book = plain_book(app)
    root = Path(app.srcdir)
    (Path(app.outdir).parent / "plain").mkdir(exist_ok=True)
    (Path(app.outdir).parent / "plain" / "book.json").write_text(book.to_json(), encoding="utf-8")
    try:
        zipped = make_student.build(Path(app.outdir).parent / "student", root=root, book=book)
    except (make_student.plain.PlainError, SystemExit) as err:
        logger.warning("student kit: %s", err, type="claimcheck", subtype="student")
        return
    site_zip = Path(app.outdir) / make_student.SITE_PATH
    site_zip.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(zipped, site_zip)


def write_results(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    folder = _results_dir(app)
    records = merge(folder) if folder.exists() else []
    known = app.env.found_docs
    for record in records:
        if record["page"] not in known:
            logger.warning(f"result {record['id']!r} names page {record['page']!r}, which is not in the book "
                           f"(stale file in {folder}? delete it)", type="claimcheck", subtype="results")
    out = Path(app.outdir) / RESULTS_FILE
    edition = app.config.claimcheck_edition
    document = {"version": edition["version"], "date": edition["date"], "commit": source_commit(app.srcdir),
                "results": records}
    out.write_text(json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def source_commit(srcdir) -> str:
    """The git commit the book was built from, with "+changes" when the tree differs; or "unknown"."""
    def git(*args):
        return subprocess.run(["git", "-C", str(srcdir), *args], capture_output=True, text=True, timeout=30)

    try:
        head = git("rev-parse", "HEAD")
        if head.returncode != 0:
            return "unknown"
        dirty = git("status", "--porcelain", "--untracked-files=no").stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head.stdout.strip() + ("+changes" if dirty else "")


class results_placeholder(nodes.General, nodes.Element):
    """Replaced by the results table once every notebook has run (doctree-resolved)."""


class ResultsTable(SphinxDirective):
    """``{results-table}``: every number the book publishes, with a link to results.json."""

    def run(self):
        self.env.claimcheck_results_docs = getattr(self.env, "claimcheck_results_docs", set())
        self.env.claimcheck_results_docs.add(self.env.docname)
        return [results_placeholder()]


def _always_outdated(app, env, added, changed, removed):
    # Results change whenever a notebook runs, so the page listing them is always rebuilt.
    return sorted(getattr(env, "claimcheck_results_docs", set()) & env.found_docs)


def _purge(app, env, docname):
    getattr(env, "claimcheck_results_docs", set()).discard(docname)


def _merge_info(app, env, docnames, other):
    env.claimcheck_results_docs = getattr(env, "claimcheck_results_docs", set()) | getattr(
        other, "claimcheck_results_docs", set())


def table_node(headers: list[str], widths: list[int], rows: list[list[nodes.Node]],
               classes: list[str]) -> nodes.table:
    """A docutils table: a header row, then one row per list of cell contents."""
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    row = nodes.row()
    for header in headers:
        row += nodes.entry("", nodes.paragraph(text=header))
    head += row
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            row += nodes.entry("", cell if isinstance(cell, nodes.paragraph) else nodes.paragraph("", "", cell))
        body += row
    return table


def fill_results_table(app: Sphinx, doctree, docname: str) -> None:
    placeholders = list(doctree.findall(results_placeholder))
    if not placeholders:
        return
    folder = _results_dir(app)
    records = merge(folder) if folder.exists() else []
    rel = app.builder.get_target_uri(docname)
    prefix = "../" * rel.count("/")
    rows = []
    for record in records:
        link = nodes.reference("", app.env.titles[record["page"]].astext() if record["page"] in app.env.titles
                               else record["page"], internal=True,
                               refuri=prefix + app.builder.get_target_uri(record["page"]))
        rows.append([nodes.literal(text=record["id"]), nodes.Text(record["label"]), nodes.Text(record["text"]),
                     link])
    table = table_node(["id", "what", "value", "page"], [3, 4, 3, 3], rows, ["results-table"])
    download = nodes.paragraph()
    download += nodes.raw("", f'<a class="reference download" href="{prefix}{RESULTS_FILE}" download>'
                              f'Download every result as JSON ({RESULTS_FILE})</a>', format="html")
    for placeholder in placeholders:
        placeholder.replace_self([download, table] if records else
                                 [nodes.paragraph(text="No results have been published yet.")])


def typed_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{typed}`…```: the text as it is; the mark tells the typed-number test it is deliberate."""
    return [nodes.inline(rawtext, text, classes=["typed"])], []


def data_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{datum}`figure_id```: a figure of data/ as prose; an unknown id is an error."""
    from claimcheck.register import figure_text
    from claimcheck.sources import UnknownFigure

    figure_id = text.strip()
    try:
        prose = figure_text(figure_id)
    except UnknownFigure:
        prose = None
    if prose is not None:
        env = inliner.document.settings.env
        table = _data_index(Path(env.srcdir) / "data").get(figure_id)
        if table is not None:
            env.note_dependency(str(table))  # the page changes when its figure does
        return [nodes.inline(rawtext, prose, classes=["data-figure"])], []
    try:
        raise UnknownFigure(figure_id)
    except UnknownFigure:
        msg = inliner.reporter.error(f"unknown data figure {figure_id!r}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]


def setup(app: Sphinx) -> dict:
    # The edition this build publishes; results.json carries it.
    app.add_config_value("claimcheck_edition", {"version": "0.0", "date": "1970-01-01"}, "env")
    app.connect("config-inited", set_kernel_environment)
    app.connect("source-read", track_data)
    app.connect("html-page-context", add_page_assets)
    app.connect("html-page-context", drop_unused_mathjax, priority=900)
    app.connect("html-page-context", offer_notebook_download, priority=400)
    app.connect("build-finished", write_results)
    app.connect("build-finished", write_student_kit)
    app.connect("env-get-outdated", _always_outdated)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge_info)
    app.connect("doctree-resolved", fill_results_table)
    app.add_node(results_placeholder)
    app.add_directive("results-table", ResultsTable)
    app.add_role("typed", typed_role)
    # Not "data": Sphinx looks roles up in the default (Python) domain first, where py:data wins.
    app.add_role("datum", data_role)
    app.add_css_file("book.css")
    # Jupyter Book always passes sphinx_comments' setting; we drop that extension (it loads
    # scripts from the network), so declare the value to keep the strict build quiet.
    app.add_config_value("comments_config", {}, "html")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
