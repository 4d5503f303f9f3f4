"""Sphinx extension: the published results.

* After the build, merges each page's results into ``_build/html/results.json``, stamped
  with this edition (``claimcheck_edition``) and the commit the book was built from.
* Provides the ``{results-table}`` directive listing every published number; the pages that
  hold one are kept in the ``results`` domain and rebuilt on every build.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from book_execution import results_dir
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from claimcheck.results import merge

logger = logging.getLogger(__name__)
RESULTS_FILE = "results.json"


class ResultsDomain(Domain):
    """The pages that show the results table (docname -> True)."""

    name = "results"
    label = "Published results"
    initial_data = {"table_docs": {}}

    @property
    def table_docs(self) -> dict[str, bool]:
        return self.data.setdefault("table_docs", {})

    def note_table(self, docname: str) -> None:
        self.table_docs[docname] = True

    def clear_doc(self, docname: str) -> None:
        self.table_docs.pop(docname, None)

    def merge_domaindata(self, docnames: list[str], otherdata: dict) -> None:
        for docname in docnames:
            if docname in otherdata["table_docs"]:
                self.table_docs[docname] = True


def write_results(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    folder = results_dir(app)
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
        self.env.get_domain("results").note_table(self.env.docname)
        return [results_placeholder()]


def _always_outdated(app, env, added, changed, removed):
    # Results change whenever a notebook runs, so the page listing them is always rebuilt.
    return sorted(env.get_domain("results").table_docs.keys() & env.found_docs)


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
    folder = results_dir(app)
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


def setup(app: Sphinx) -> dict:
    app.setup_extension("book_execution")
    # The edition this build publishes; results.json carries it.
    app.add_config_value("claimcheck_edition", {"version": "0.0", "date": "1970-01-01"}, "env")
    app.add_domain(ResultsDomain)
    app.connect("build-finished", write_results)
    app.connect("env-get-outdated", _always_outdated)
    app.connect("doctree-resolved", fill_results_table)
    app.add_node(results_placeholder)
    app.add_directive("results-table", ResultsTable)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
