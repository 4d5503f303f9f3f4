"""Sphinx extension: the ``{what-changed}`` page, the current numbers, verdicts and claim summaries
against the last released edition (see ``claimcheck.changes``).

The page is filled in once every notebook has run (doctree-resolved), from the build's
results, ``data/claims.csv`` and the newest folder in ``claims_releases``. A result that moved
without a reason in ``releases/reasons.csv``, or a verdict that changed without a
``correction``, logs a warning, which the strict build turns into a failure. The pages that
hold the list are kept in the ``changes`` domain and rebuilt on every build.
"""

from __future__ import annotations

from pathlib import Path

from book_claims import (
    badge,
    get_claims,
    human_date,
    releases_path,
    resolved_rows,
)
from book_execution import results_dir
from book_results import table_node
from docutils import nodes
from sphinx.domains import Domain
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from claimcheck import changes
from claimcheck.register import claim_anchor
from claimcheck.results import merge

logger = logging.getLogger(__name__)


class what_changed(nodes.General, nodes.Element):
    """Replaced by the lists of changes once every notebook has run."""


class ChangesDomain(Domain):
    """The pages that show what changed (docname -> True)."""

    name = "changes"
    label = "What changed"
    initial_data = {"docs": {}}

    @property
    def docs(self) -> dict[str, bool]:
        return self.data["docs"]

    def clear_doc(self, docname: str) -> None:
        self.docs.pop(docname, None)

    def merge_domaindata(self, docnames: list[str], otherdata: dict) -> None:
        for docname in docnames:
            if docname in otherdata["docs"]:
                self.docs[docname] = True


class WhatChangedDirective(SphinxDirective):
    def run(self):
        self.env.get_domain("changes").docs[self.env.docname] = True
        return [what_changed()]


def _warn(msg: str, location: str) -> None:
    logger.warning(msg, type="claimcheck", subtype="changes", location=location)


def fill_what_changed(app, doctree, docname: str) -> None:
    placeholders = list(doctree.findall(what_changed))
    if not placeholders:
        return
    env, config = app.env, app.config
    version, date = config.claimcheck_edition["version"], config.claimcheck_edition["date"]
    releases = releases_path(env)
    previous = changes.latest_edition(releases, before=version) if releases else None
    if previous is None:
        for p in placeholders:
            p.replace_self(nodes.paragraph(text="This is the first edition: nothing to compare yet."))
        return
    folder = results_dir(app)
    current = {r["id"]: r for r in merge(folder)} if folder.exists() else {}
    reasons_file = Path(releases) / "reasons.csv"
    found = changes.result_changes(previous.results, current,
                                   changes.load_reasons(reasons_file, version))
    claims = list((get_claims(env) or {}).values())
    verdicts = changes.verdict_changes(previous.verdicts, claims)
    resolved = {r["claim_id"]: r["summary"] for r in resolved_rows(app, claims)}
    rewritten = changes.summary_changes(previous.summaries, claims, resolved)

    prefix = "../" * app.builder.get_target_uri(docname).count("/")
    out: list[nodes.Node] = [nodes.paragraph(text=(
        f"Edition {version} ({human_date(date)}) compared with edition {previous.version} "
        f"({human_date(previous.date)}): {sum(v.before is not None for v in verdicts)} verdicts changed, "
        f"{sum(v.before is None for v in verdicts)} claims added, {len(rewritten)} summaries rewritten, "
        f"and {len(found)} published results moved, were added or were withdrawn."))]

    out.append(nodes.rubric(text="Verdicts"))
    register = env.get_domain("claims").register_docs()

    def claim_link(claim_id: str) -> nodes.Node:
        return nodes.reference("", claim_id, internal=True,
                               refuri=f"{prefix}{app.builder.get_target_uri(register[0])}#{claim_anchor(claim_id)}") \
            if register else nodes.Text(claim_id)

    rows = []
    for v in verdicts:
        if v.before is not None and not v.reason:
            _warn(f"{v.claim_id}: verdict changed without a correction in claims.csv", str(reasons_file))
        link = claim_link(v.claim_id)
        was = badge(v.before) if v.before else nodes.emphasis(text="new claim")
        rows.append([link, nodes.Text(f"“{v.quote}”"), was, badge(v.after),
                     nodes.Text(human_date(v.reviewed)), nodes.Text(v.reason or "Added in this edition.")])
    out.append(table_node(["Claim", "Quote", "Was", "Now", "Reviewed", "Why"], [6, 26, 10, 10, 12, 36], rows,
                      ["changes-table", "verdict-changes"]) if rows
               else nodes.paragraph(text="No verdict changed."))

    # What a source is said to support lives in the summaries, so a rewritten one is listed too.
    out.append(nodes.rubric(text="Summaries rewritten"))
    rows = [[claim_link(c.claim_id), nodes.Text(c.before), nodes.Text(c.after), nodes.Text(human_date(c.reviewed))]
            for c in rewritten]
    out.append(table_node(["Claim", "Was", "Now", "Reviewed"], [6, 40, 40, 12], rows,
                      ["changes-table", "summary-changes"]) if rows
               else nodes.paragraph(text="No summary was rewritten."))

    out.append(nodes.rubric(text="Published results"))
    rows = []
    for c in found:
        if not c.reason:
            _warn(f"result {c.id!r} {c.kind} since edition {previous.version} ({c.before} -> {c.after}); "
                  f"give the reason in {reasons_file.name} (edition {version})", str(reasons_file))
        page = nodes.reference("", env.titles[c.page].astext() if c.page in env.titles else c.page,
                               internal=True, refuri=prefix + app.builder.get_target_uri(c.page)) \
            if c.page in env.found_docs else nodes.Text(c.page)
        rows.append([nodes.literal(text=c.id), nodes.Text(c.label), nodes.Text(c.before or "–"),
                     nodes.Text(c.after or "withdrawn"), page, nodes.Text(c.reason)])
    out.append(table_node(["Result", "What", "Was", "Now", "Page", "Why"], [14, 22, 14, 14, 12, 24], rows,
                      ["changes-table", "result-changes"]) if rows
               else nodes.paragraph(text="No published result moved."))
    for p in placeholders:
        p.replace_self(out)


def _always_outdated(app, env, added, changed, removed):
    # The list compares this build's results, which change whenever a notebook runs.
    return sorted(env.get_domain("changes").docs.keys() & env.found_docs)


def setup(app):
    app.setup_extension("book_claims")
    app.setup_extension("book_results")
    app.add_domain(ChangesDomain)
    app.add_node(what_changed)
    app.add_directive("what-changed", WhatChangedDirective)
    app.connect("doctree-resolved", fill_what_changed)
    app.connect("env-get-outdated", _always_outdated)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
