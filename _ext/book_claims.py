"""Sphinx extension: verdict boxes, the claims register, the annotated article
and the data appendix, all generated from ``data/claims.csv``,
``data/article.txt`` and ``data/datapackage.json``.

Directives (MyST syntax shown)::

    ```{verdict} wrong
    :claim: C08
    Colossus launched with H100 GPUs, not A100s.
    ```

    ```{claims-table}
    ```

    ```{annotated-article}
    ```

    ```{datasets}
    ```

A verdict box that disagrees with claims.csv, names an unknown claim, or sits
on a page other than the claim's ``page`` logs a warning (type ``claims``); the
strict build (``-W``) turns it into a failure. Links to the register rows
(labels ``claim-c08``) and to checking pages are real cross-references, so a
missing row or page fails the strict build too.

Summaries take their numbers from published results (``{result_id}``, see
``claimcheck.register``); they are filled in once every notebook has run, and an unknown
id fails the strict build. The site gets the register as ``claims.csv`` with the numbers
filled in. Every verdict box says when its verdict was reviewed; a verdict that differs
from the last release (``claims_releases``) carries a dated correction note, and one
without a ``correction`` text in claims.csv fails the strict build.

Configuration (all optional; relative paths are relative to the conf dir):
``claims_csv``, ``claims_article``, ``claims_datapackage``,
``claims_require_boxes`` (warn when a claim's page has no verdict box for it),
``claims_releases`` (the folder of released editions, each with its ``claims.csv``) and
``claims_article_published`` (when the article appeared, e.g. ``"2024"``).

Next to each verdict box, every claim it carries gets a schema.org ClaimReview record
(``<script type="application/ld+json">``, built by ``claimcheck.register.claim_review``).

What each page holds (its verdict boxes, the register's rows) is kept in the ``claims``
domain, which Sphinx clears when a page is re-read and merges after a parallel read.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import os
import re
from pathlib import Path
from typing import Any

from book_execution import data_index, data_names, published_ids, results_dir
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.domains import Domain
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from claimcheck import register as reg
from claimcheck import sources
from claimcheck.results import merge as merge_results

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- per-page state


class ClaimsDomain(Domain):
    """Which claims each page's verdict boxes carry, and which page holds the register
    (with the label and title of each of its rows)."""

    name = "claims"
    label = "Claims register"
    # boxes: docname -> claim ids; registers: docname -> {row label: "Claim C07"}
    initial_data: dict[str, dict] = {"boxes": {}, "registers": {}}

    def __init__(self, env) -> None:
        super().__init__(env)
        # The validated register, by the files' paths and times; not pickled with the environment.
        self._loaded: dict[tuple, dict[str, reg.Claim] | None] = {}

    @property
    def boxes(self) -> dict[str, set[str]]:
        return self.data["boxes"]

    @property
    def registers(self) -> dict[str, dict[str, str]]:
        return self.data["registers"]

    def note_boxes(self, docname: str, claim_ids: list[str]) -> None:
        self.boxes.setdefault(docname, set()).update(claim_ids)

    def note_register(self, docname: str, row_titles: dict[str, str]) -> None:
        self.registers.setdefault(docname, {}).update(row_titles)

    def register_docs(self) -> list[str]:
        return sorted(self.registers)

    def row_labels(self) -> dict[str, tuple[str, str, str]]:
        """Each register row's label as the std domain keeps titled labels: (doc, anchor, title)."""
        return {label: (doc, label, title) for doc, rows in self.registers.items() for label, title in rows.items()}

    def clear_doc(self, docname: str) -> None:
        self.boxes.pop(docname, None)
        self.registers.pop(docname, None)

    def merge_domaindata(self, docnames: list[str], otherdata: dict) -> None:
        for key in ("boxes", "registers"):
            for docname in docnames:
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]

    def claims(self, csv_p: Path, art_p: Path) -> dict[str, reg.Claim] | None:
        """Validated claims keyed by id, or None (after a warning) if claims.csv is invalid."""
        key = (str(csv_p), _mtime(csv_p), str(art_p), _mtime(art_p))
        if key not in self._loaded:
            try:
                df = reg.load_claims(csv_p, art_p)
            except (reg.ClaimsError, OSError) as err:
                logger.warning("claims register: %s", err, type="claims", subtype="csv")
                self._loaded[key] = None
            else:
                self._loaded[key] = {c.claim_id: c for c in reg.claims_list(df)}
        return self._loaded[key]


# --------------------------------------------------------------------------- data access


def _config_path(env, name: str, default: Path) -> Path:
    value = getattr(env.config, name, None)
    if not value:
        return Path(default)
    p = Path(value)
    if not p.is_absolute():
        p = Path(env.app.confdir) / p
    return p


def claims_path(env) -> Path:
    return _config_path(env, "claims_csv", reg.default_claims_path())


def article_path(env) -> Path:
    return _config_path(env, "claims_article", reg.default_article_path())


def datapackage_path(env) -> Path:
    return _config_path(env, "claims_datapackage", reg.default_datapackage_path())


def releases_path(env) -> Path | None:
    value = getattr(env.config, "claims_releases", None)
    return _config_path(env, "claims_releases", Path(".")) if value else None


def last_release(env) -> tuple[str, dict[str, str]] | None:
    """(version, claim id -> verdict) of the newest released edition, or None."""
    folder = releases_path(env)
    if folder is None or not folder.is_dir():
        return None
    editions = sorted((p for p in folder.iterdir() if (p / "claims.csv").is_file()),
                      key=lambda p: [int(x) if x.isdigit() else x for x in re.split(r"[.-]", p.name)])
    if not editions:
        return None
    return editions[-1].name, reg.previous_verdicts(editions[-1] / "claims.csv")


def release_date(env, version: str) -> str:
    meta = releases_path(env) / version / "results.json"
    try:
        return json.loads(meta.read_text(encoding="utf-8")).get("date", "")
    except (OSError, ValueError):
        return ""


def human_date(iso: str) -> str:
    """``2026-12-04`` -> ``4 December 2026`` (the house style for dates in prose)."""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _mtime(p: Path) -> int:
    try:
        return p.stat().st_mtime_ns
    except OSError:
        return -1


def get_claims(env) -> dict[str, reg.Claim] | None:
    """Validated claims keyed by id, or None (after a warning) if claims.csv is invalid."""
    return env.get_domain("claims").claims(claims_path(env), article_path(env))


def _abs_download_target(env, file_path: Path) -> str:
    """A download-role target for a file: '/'-prefixed path relative to srcdir."""
    rel = os.path.relpath(os.path.abspath(file_path), os.path.abspath(env.srcdir))
    return "/" + rel.replace(os.sep, "/")


# --------------------------------------------------------------------------- node helpers


def badge(verdict: str) -> nodes.inline:
    return nodes.inline(verdict, verdict, classes=["verdict-badge", f"verdict-badge-{verdict}"])


def ref_to_claim(env, claim_id: str, text: str) -> addnodes.pending_xref:
    """A checked cross-reference to the claim's row in the register."""
    node = addnodes.pending_xref(
        "", refdomain="std", reftype="ref", reftarget=reg.claim_anchor(claim_id),
        refexplicit=True, refwarn=True, refdoc=env.docname,
    )
    node += nodes.inline(text, text)
    return node


def ref_to_doc(env, docname: str, text: str | None = None) -> addnodes.pending_xref:
    """A checked cross-reference to a page; ``text=None`` uses the page title."""
    node = addnodes.pending_xref(
        "", refdomain="std", reftype="doc", reftarget="/" + docname,
        refexplicit=text is not None, refwarn=True, refdoc=env.docname,
    )
    node += nodes.inline(text or docname, text or docname)
    return node


def download_ref(env, file_path: Path, text: str) -> addnodes.download_reference:
    node = addnodes.download_reference(
        "", "", reftarget=_abs_download_target(env, file_path), refdoc=env.docname,
        refdomain="", reftype="download", refexplicit=True, refwarn=False,
    )
    node += nodes.literal(text, text)
    return node


def _quoted(text: str) -> str:
    return f"“{text}”"


# --------------------------------------------------------------------------- {verdict}


class VerdictDirective(SphinxDirective):
    """A verdict box for one or more claims: badge, one sentence why, register link."""

    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = False
    has_content = True
    option_spec = {
        "claim": directives.unchanged_required,
        "class": directives.class_option,
    }

    def _warn(self, msg: str) -> None:
        logger.warning(msg, location=self.get_location(), type="claims", subtype="verdict")

    def run(self) -> list[nodes.Node]:
        env = self.env
        env.note_dependency(str(claims_path(env)))
        verdict = self.arguments[0].strip().lower()
        if verdict not in reg.VERDICTS:
            self._warn(f"verdict box: unknown verdict {verdict!r}; use one of "
                       f"{', '.join(reg.VERDICTS)}")
        ids = reg.parse_claim_ids(self.options.get("claim", ""))
        if not ids:
            self._warn("verdict box needs a :claim: option with one or more claim ids "
                       "(e.g. :claim: C07)")
        claims = get_claims(env) or {}
        known: list[reg.Claim] = []
        for cid in ids:
            claim = claims.get(cid)
            if claim is None:
                if claims:
                    self._warn(f"verdict box: unknown claim id {cid!r} "
                               f"(not in {claims_path(env).name})")
                continue
            known.append(claim)
            if claim.verdict != verdict:
                self._warn(
                    f"verdict box for {cid} says {verdict!r} but "
                    f"{claims_path(env).name} says {claim.verdict!r}"
                )
            if claim.page != env.docname:
                self._warn(
                    f"verdict box for {cid} is on page {env.docname!r} but "
                    f"{claims_path(env).name} says {cid} is checked on {claim.page!r}"
                )
        env.get_domain("claims").note_boxes(env.docname, ids)

        classes = ["verdict", f"verdict-{verdict}"] + self.options.get("class", [])
        box = nodes.admonition(
            "", classes=classes, ids=[f"verdict-{c.lower()}" for c in ids],
        )
        self.set_source_info(box)
        title = nodes.title("", "")
        title += nodes.Text("Verdict: ")
        title += badge(verdict)
        box += title
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, box)
        foot = nodes.paragraph(classes=["verdict-claims"])
        foot["support_smartquotes"] = False
        for i, claim in enumerate(known):
            foot += nodes.Text("; " if i else ("Claims " if len(known) > 1 else "Claim "))
            foot += ref_to_claim(env, claim.claim_id, claim.claim_id)
            foot += nodes.Text(f": {_quoted(claim.quote)}")
        if known:
            foot += nodes.Text(". See the ")
            # The register page itself, at the first claim's row.
            foot += ref_to_claim(env, known[0].claim_id, "claims register")
            foot += nodes.Text(".")
            box += foot
            box += self._review_notes(known)
        # One machine-readable ClaimReview per claim, filled in at write time (see _fill_claim_reviews).
        return [box, *(claim_review_node(claim_id=c.claim_id) for c in known)]

    def _review_notes(self, known: list[reg.Claim]) -> list[nodes.Node]:
        """When each verdict was reviewed, and a dated correction where it changed."""
        out: list[nodes.Node] = []
        dates = sorted({c.reviewed for c in known})
        reviewed = nodes.paragraph(classes=["verdict-reviewed"])
        reviewed += nodes.Text("Reviewed " + " and ".join(human_date(d) for d in dates) + ".")
        out.append(reviewed)
        release = last_release(self.env)
        if release is None:
            return out
        version, before = release
        released = release_date(self.env, version)
        for claim in known:
            was = before.get(claim.claim_id)
            if was is None or was == claim.verdict:
                continue
            if not claim.correction.strip():
                self._warn(f"{claim.claim_id}: the verdict changed from {was!r} (edition {version}) to "
                           f"{claim.verdict!r}; say why in the 'correction' column of claims.csv")
            note = nodes.paragraph(classes=["verdict-correction"])
            note += nodes.strong("", f"Correction, {human_date(claim.reviewed)}: ")
            when = f", {human_date(released)}" if released else ""
            note += nodes.Text(f"edition {version}{when} rated {claim.claim_id} ")
            note += badge(was)
            note += nodes.Text("; it is now ")
            note += badge(claim.verdict)
            note += nodes.Text(f". {claim.correction.strip()}")
            out.append(note)
        return out


class claim_review_node(nodes.General, nodes.Element):
    """Where a claim's schema.org ClaimReview JSON-LD goes; replaced when the page is written."""


def _fill_claim_reviews(app, doctree, docname: str) -> None:
    """Replace each claim_review_node with its ``<script type="application/ld+json">`` record.

    Done at write time so the record has the current html_baseurl (set by the publish workflow).
    """
    found = list(doctree.findall(claim_review_node))
    if not found:
        return
    claims = get_claims(app.env) or {}
    config = app.config
    try:
        headline = reg.article_headline(reg.read_article(article_path(app.env)))
    except (reg.ClaimsError, OSError) as err:
        logger.warning("claim review: %s", err, type="claims", subtype="claimreview")
        headline = ""
    base = (config.html_baseurl or "").rstrip("/")
    page_url = f"{base}/{docname}{app.builder.out_suffix}" if base else ""
    for node in found:
        claim = claims.get(node["claim_id"])
        if claim is None:  # claims.csv went invalid; get_claims has warned
            node.parent.remove(node)
            continue
        try:
            record = reg.claim_review(
                claim, headline=headline, published=str(config.claims_article_published),
                book=config.html_title or config.project, book_url=base + "/" if base else "",
                page_url=f"{page_url}#verdict-{claim.claim_id.lower()}" if base else "")
        except reg.ClaimsError as err:
            logger.warning("claim review: %s", err, type="claims", subtype="claimreview",
                           location=(docname, node.line))
            node.parent.remove(node)
            continue
        node.replace_self(nodes.raw("", reg.json_ld_script(record), format="html"))


# --------------------------------------------------------------------------- {claims-table}


def _filter_controls(claims: list[reg.Claim]) -> str:
    def options(values: list[str], attr: str, all_label: str) -> str:
        out = [f'<option value="">{all_label}</option>']
        for v in values:
            n = sum(1 for c in claims if getattr(c, attr) == v)
            if n:
                out.append(f'<option value="{html.escape(v)}">{html.escape(v)} ({n})</option>')
        return "".join(out)

    return (
        '<form class="claims-filter" hidden aria-controls="claims-register" '
        'onsubmit="return false">\n'
        '<label for="claims-filter-topic">Topic</label>\n'
        '<select id="claims-filter-topic" data-filter="topic">'
        f'{options(list(reg.TOPICS), "topic", "All topics")}</select>\n'
        '<label for="claims-filter-verdict">Verdict</label>\n'
        '<select id="claims-filter-verdict" data-filter="verdict">'
        f'{options(list(reg.VERDICTS), "verdict", "All verdicts")}</select>\n'
        '<button type="button" class="claims-filter-reset">Show all</button>\n'
        '<span class="claims-filter-status" role="status" aria-live="polite"></span>\n'
        "</form>\n"
    )


class ClaimsTableDirective(SphinxDirective):
    """The claims register: one row per claim, each with the anchor ``claim-cNN``."""

    has_content = False
    option_spec: dict = {}

    def run(self) -> list[nodes.Node]:
        env = self.env
        csv_p = claims_path(env)
        env.note_dependency(str(csv_p))
        env.note_dependency(str(article_path(env)))
        claims_by_id = get_claims(env)
        if claims_by_id is None:
            return []
        claims = list(claims_by_id.values())
        out: list[nodes.Node] = []

        env.get_domain("claims").note_register(
            env.docname, {c.anchor: f"Claim {c.claim_id}" for c in claims})
        out.append(claims_download(count=len(claims)))
        out.append(nodes.raw("", _filter_controls(claims), format="html"))

        headers = ["ID", "Claim (quoted)", "Topic", "Verdict", "Why", "Checked in", "Reviewed"]
        widths = [6, 28, 9, 10, 29, 12, 10]
        table = nodes.table(classes=["claims-table"], ids=["claims-register"])
        table["support_smartquotes"] = False
        tgroup = nodes.tgroup(cols=len(headers))
        table += tgroup
        for w in widths:
            tgroup += nodes.colspec(colwidth=w)
        thead = nodes.thead()
        tgroup += thead
        hrow = nodes.row()
        for h in headers:
            hrow += nodes.entry("", nodes.paragraph(h, h))
        thead += hrow
        tbody = nodes.tbody()
        tgroup += tbody
        for c in claims:
            anchor = c.anchor
            row = nodes.row(
                ids=[anchor], names=[anchor],
                classes=["claim-row", f"topic-{c.topic}", f"verdict-{c.verdict}"],
            )
            self.state.document.note_explicit_target(row)
            idp = nodes.paragraph()
            idp += nodes.reference(c.claim_id, c.claim_id, refid=anchor,
                                   classes=["claim-id"])
            row += nodes.entry("", idp)
            row += nodes.entry("", nodes.paragraph("", _quoted(c.quote),
                                                   classes=["claim-quote-text"]))
            row += nodes.entry("", nodes.paragraph(c.topic, c.topic))
            vp = nodes.paragraph()
            vp += badge(c.verdict)
            row += nodes.entry("", vp)
            row += nodes.entry("", nodes.paragraph("", "", claim_summary(claim_id=c.claim_id,
                                                                         summary=c.summary)))
            pp = nodes.paragraph()
            pp += ref_to_doc(env, c.page)
            row += nodes.entry("", pp)
            reviewed = nodes.paragraph()
            reviewed += nodes.raw("", f'<time datetime="{c.reviewed}">{human_date(c.reviewed)}</time>',
                                  format="html")
            row += nodes.entry("", reviewed)
            tbody += row
        out.append(table)
        return out


class claim_summary(nodes.Inline, nodes.TextElement):
    """A claim's summary, filled in with published results once every notebook has run."""


class claims_download(nodes.General, nodes.Element):
    """The link to the register as CSV with its numbers filled in (written at build end)."""


def _load_results(app) -> dict[str, dict]:
    folder = results_dir(app)
    return {r["id"]: r for r in merge_results(folder)} if folder.exists() else {}


def resolved_rows(app, claims: list[reg.Claim]) -> list[dict[str, str]]:
    """The register's rows with each summary's numbers filled in from the results."""
    results = _load_results(app)
    rows = []
    for c in claims:
        row = {col: getattr(c, col) for col in reg.COLUMNS}
        try:
            row["summary"] = reg.resolve_summary(c.summary, results, c.claim_id)
        except reg.ClaimsError as err:
            logger.warning(f"claims register: {err}", type="claims", subtype="summary",
                           location=str(claims_path(app.env)))
        rows.append(row)
    return rows


def _fill_summaries(app, doctree, docname: str) -> None:
    summaries = list(doctree.findall(claim_summary))
    downloads = list(doctree.findall(claims_download))
    if not summaries and not downloads:
        return
    claims = get_claims(app.env) or {}
    texts = {r["claim_id"]: r["summary"] for r in resolved_rows(app, list(claims.values()))}
    for node in summaries:
        text = texts.get(node["claim_id"], node["summary"])
        node.replace_self(nodes.Text(text))
    prefix = "../" * app.builder.get_target_uri(docname).count("/")
    for node in downloads:
        para = nodes.paragraph(classes=["claims-download"])
        para += nodes.Text("Download the register as CSV: ")
        para += nodes.reference("", "claims.csv", refuri=f"{prefix}claims.csv", internal=False)
        para += nodes.Text(f" ({node['count']} claims).")
        node.replace_self(para)


def _write_claims_csv(app, exception) -> None:
    # Only a book with a register page publishes the register (a fixture book has none).
    if exception is not None or app.builder.format != "html" or not app.env.get_domain("claims").registers:
        return
    claims = get_claims(app.env)
    if not claims:
        return
    with (Path(app.outdir) / "claims.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(reg.COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(resolved_rows(app, list(claims.values())))


def _summaries_outdated(app, env, added, changed, removed):
    # Summaries show results, which change whenever a notebook runs.
    return sorted(env.get_domain("claims").registers.keys() & env.found_docs)


def _resolve_claim_ref(app, env, node, contnode):
    """``{ref}`claim-c07``` without a title: a register row has no heading for the std domain
    to take one from, so the link reads "Claim C07" (any other missing reference is left alone)."""
    if node.get("refdomain") != "std" or node.get("reftype") != "ref" or node.get("refexplicit"):
        return None
    label = env.get_domain("claims").row_labels().get(node["reftarget"])
    if label is None:
        return None
    docname, anchor, title = label
    return env.get_domain("std").build_reference_node(node["refdoc"], app.builder, docname, anchor, title, "ref")


# --------------------------------------------------------------------------- {annotated-article}


class AnnotatedArticleDirective(SphinxDirective):
    """The full article, one paragraph per line, each claim's quote highlighted."""

    has_content = False
    option_spec: dict = {}

    def run(self) -> list[nodes.Node]:
        env = self.env
        env.note_dependency(str(claims_path(env)))
        env.note_dependency(str(article_path(env)))
        claims_by_id = get_claims(env)
        if claims_by_id is None:
            return []
        article = reg.read_article(article_path(env))
        paragraphs = reg.split_article(article, list(claims_by_id.values()))
        box = nodes.container(classes=["annotated-article"])
        box["support_smartquotes"] = False
        for i, segs in enumerate(paragraphs):
            line = "".join(t for t, _ in segs)
            cls = ["article-para"]
            if i == 0:
                cls = ["article-title"]
            elif reg.is_heading_line(line):
                cls = ["article-heading"]
            para = nodes.paragraph(classes=cls)
            for text, claim in segs:
                if claim is None:
                    para += nodes.Text(text)
                    continue
                cid = claim.claim_id
                span = nodes.inline(
                    "", "", classes=["claim-quote", f"verdict-{claim.verdict}"],
                    ids=[f"article-{cid.lower()}"],
                )
                span += nodes.Text(text)
                para += span
                notes = nodes.inline("", "", classes=["claim-note"])
                notes += nodes.Text(" ")
                notes += badge(claim.verdict)
                notes += nodes.Text(" ")
                notes += ref_to_claim(env, cid, cid)
                notes += nodes.Text(" · ")
                notes += ref_to_doc(env, claim.page)  # the checking page's title
                para += notes
            box += para
        return [box]


# --------------------------------------------------------------------------- {datasets}


def _load_schema(schema: Any, base: Path) -> dict:
    if isinstance(schema, str):
        try:
            return json.loads((base / schema).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
    return schema or {}


def _link(text: str, url: str | None) -> nodes.Node:
    if url and "://" in url:
        return nodes.reference(text, text, refuri=url)
    return nodes.Text(text)


class DatasetsDirective(SphinxDirective):
    """One section per Data Package resource: download link, fields, sources."""

    has_content = False
    option_spec: dict = {}

    def _warn(self, msg: str) -> None:
        logger.warning(msg, location=self.get_location(), type="claims", subtype="datasets")

    def run(self) -> list[nodes.Node]:
        env = self.env
        dp_path = datapackage_path(env)
        env.note_dependency(str(dp_path))
        try:
            package = json.loads(dp_path.read_text(encoding="utf-8"))
        except OSError:
            self._warn(f"datasets: data package not found: {dp_path}")
            return []
        except ValueError as err:
            self._warn(f"datasets: {dp_path} is not valid JSON: {err}")
            return []
        base = dp_path.parent
        out: list[nodes.Node] = []
        intro = nodes.paragraph()
        intro += nodes.Text("Machine-readable description of every table: ")
        intro += download_ref(env, dp_path, dp_path.name)
        intro += nodes.Text(" (a Frictionless Data Package).")
        out.append(intro)
        licenses = package.get("licenses") or []
        if licenses:
            lp = nodes.paragraph()
            lp += nodes.Text("Licence: ")
            for i, lic in enumerate(licenses):
                if i:
                    lp += nodes.Text(", ")
                lp += _link(lic.get("title") or lic.get("name", ""), lic.get("path"))
            lp += nodes.Text(".")
            out.append(lp)
        resources = package.get("resources") or []
        if not resources:
            self._warn(f"datasets: {dp_path} lists no resources")
        for res in resources:
            out.append(self._resource_section(res, base))
        # A book whose data cites no bibliography (the test fixtures) has no graded sources to list.
        if sources.bibliography_path(base).is_file():
            try:
                out.append(self._weaker_rows_section(base))
            except sources.DataError as err:
                self._warn(f"datasets: cannot list the weaker rows behind results: {err}")
        return out

    def _weaker_rows_section(self, base: Path) -> nodes.section:
        """For each chapter that publishes results: the secondary and assumption rows it reads."""
        env = self.env
        label = "weaker-rows-behind-results"
        sec = nodes.section(ids=[label], names=[label], classes=["weaker-rows"])
        self.state.document.note_explicit_target(sec)
        title = "Secondary and assumption rows behind the results"
        sec += nodes.title(title, title)
        sec += nodes.paragraph("", "Each chapter below publishes results (see the results page) and "
                                   "reads rows graded secondary (a report of the source, not the source) "
                                   "or assumption (a choice of the book's). These are the rows to check "
                                   "first when a result is questioned.")
        weaker = {r["id"]: r for r in sources.weaker_rows(base).to_dict("records")}
        index = data_index(base)
        for csv_path in sorted(base.glob("*.csv")):
            env.note_dependency(str(csv_path))
        blist = nodes.bullet_list(classes=["weaker-rows-by-chapter"])
        for doc in sorted(d for d in env.found_docs if d.startswith("notebooks/")):
            path = Path(env.doc2path(doc))
            env.note_dependency(str(path))
            text = path.read_text(encoding="utf-8")
            published = published_ids(text)
            reads = sorted(data_names(text, index) & weaker.keys(),
                           key=lambda i: (weaker[i]["grade"] != "assumption", i))
            if not published or not reads:
                continue
            head = nodes.paragraph()
            head += addnodes.pending_xref("", nodes.inline("", doc), refdomain="std", reftype="doc",
                                          reftarget="/" + doc, refexplicit=False, refdoc=env.docname)
            head += nodes.Text(" publishes ")
            for i, rid in enumerate(published):
                if i:
                    head += nodes.Text(", ")
                head += nodes.literal(rid, rid)
            head += nodes.Text(f"; it reads {len(reads)} weaker row{'s' if len(reads) != 1 else ''}:")
            rows = nodes.bullet_list()
            for rid in reads:
                r = weaker[rid]
                try:
                    who = sources.source_name(r["source"], base)
                except sources.DataError:
                    who = r["source"]
                item = nodes.paragraph()
                item += nodes.literal(rid, rid)
                item += nodes.Text(f" ({r['grade']}, {r['table']}): {r['quantity']}. Source: {who}.")
                rows += nodes.list_item("", item)
            blist += nodes.list_item("", head, rows)
        sec += blist
        return sec

    def _row_citations(self, csv_path: Path) -> list[nodes.Node]:
        """'The rows cite N sources: …' as bibliography citations when sphinxcontrib.bibtex is on."""
        keys = _source_keys(csv_path)
        if not keys:
            return []
        intro = f"Its rows cite {len(keys)} source{'s' if len(keys) != 1 else ''}: "
        if "sphinxcontrib.bibtex" in self.env.app.extensions:
            myst = type(self.state).__module__.startswith("myst_parser")
            role = "{cite:p}`%s`" if myst else ":cite:p:`%s`"
            box = nodes.container()
            self.state.nested_parse(StringList([intro + role % ",".join(keys) + "."]),
                                    self.content_offset, box)
            return list(box.children)
        para = nodes.paragraph()
        para += nodes.Text(intro)
        for i, k in enumerate(keys):
            if i:
                para += nodes.Text(", ")
            para += nodes.literal(k, k)
        para += nodes.Text(".")
        return [para]

    def _resource_section(self, res: dict, base: Path) -> nodes.section:
        env = self.env
        name = res.get("name", "resource")
        title = res.get("title") or name
        label = f"dataset-{name}".lower().replace("_", "-")
        sec = nodes.section(ids=[label], names=[label], classes=["dataset"])
        self.state.document.note_explicit_target(sec)
        sec += nodes.title(title, title)
        if res.get("description"):
            sec += nodes.paragraph(res["description"], res["description"])
        paths = res.get("path")
        if isinstance(paths, str):
            paths = [paths]
        dl = nodes.paragraph(classes=["dataset-download"])
        dl += nodes.Text("Download: ")
        for i, p in enumerate(paths or []):
            if i:
                dl += nodes.Text(", ")
            if "://" in p:
                dl += nodes.reference(p, p, refuri=p)
            else:
                dl += download_ref(env, base / p, Path(p).name)
        extras = [res.get(k) for k in ("format", "mediatype") if res.get(k)]
        if res.get("bytes"):
            extras.append(f"{int(res['bytes']):,} bytes")
        if extras:
            dl += nodes.Text(f" ({', '.join(str(e) for e in extras)})")
        if not paths:
            dl += nodes.Text("inline data, no file.")
        sec += dl
        grades = _grade_counts([base / p for p in paths or [] if "://" not in p])
        if grades:
            gp = nodes.paragraph(classes=["dataset-grades"])
            gp += nodes.Text("Rows by grade: " + ", ".join(f"{n} {g}" for g, n in grades.items()) + ".")
            sec += gp

        fields = _load_schema(res.get("schema"), base).get("fields") or []
        if fields:
            sec += nodes.rubric("Fields", "Fields")
            table = nodes.table(classes=["dataset-fields"])
            tgroup = nodes.tgroup(cols=3)
            table += tgroup
            for w in (20, 12, 68):
                tgroup += nodes.colspec(colwidth=w)
            thead = nodes.thead()
            tgroup += thead
            hrow = nodes.row()
            for h in ("Field", "Type", "Description"):
                hrow += nodes.entry("", nodes.paragraph(h, h))
            thead += hrow
            tbody = nodes.tbody()
            tgroup += tbody
            for f in fields:
                row = nodes.row()
                fname = f.get("name", "")
                row += nodes.entry("", nodes.paragraph("", "", nodes.literal(fname, fname)))
                ftype = f.get("type", "any")
                row += nodes.entry("", nodes.paragraph(ftype, ftype))
                desc = f.get("description") or f.get("title") or ""
                if f.get("unit"):
                    desc = (desc + f" Unit: {f['unit']}.").strip()
                enum = (f.get("constraints") or {}).get("enum")
                if enum:
                    desc = (desc + " One of: " + ", ".join(map(str, enum)) + ".").strip()
                row += nodes.entry("", nodes.paragraph(desc, desc))
                tbody += row
            sec += table

        listed = res.get("sources") or []
        sec += nodes.rubric("Sources", "Sources")
        for p in paths or []:
            if "://" not in p:
                sec += self._row_citations(base / p)
        if listed:
            blist = nodes.bullet_list(classes=["dataset-sources"])
            for s in listed:
                item = nodes.paragraph()
                item += _link(s.get("title") or s.get("path") or "source", s.get("path"))
                if s.get("email"):
                    item += nodes.Text(f" ({s['email']})")
                blist += nodes.list_item("", item)
            sec += blist
        else:
            sec += nodes.paragraph("", "No sources listed for this table.")
        return sec


def _grade_counts(csv_paths: list[Path]) -> dict[str, int]:
    """Rows per ``grade`` (primary, secondary, assumption, then any other) in the tables given."""
    counts: dict[str, int] = {}
    for path in csv_paths:
        try:
            with path.open(encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f):
                    if row.get("grade"):
                        counts[row["grade"]] = counts.get(row["grade"], 0) + 1
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
    order = {g: i for i, g in enumerate(sources.GRADES)}
    return dict(sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def _source_keys(csv_path: Path) -> list[str]:
    """Distinct citation keys in a table's ``source`` column, in order of first use."""
    try:
        with csv_path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or "source" not in reader.fieldnames:
                return []
            keys: list[str] = []
            for row in reader:
                for k in re.split(r"[;,\s]+", row.get("source") or ""):
                    if k and k not in keys:
                        keys.append(k)
            return keys
    except (OSError, UnicodeDecodeError, csv.Error):
        return []




# --------------------------------------------------------------------------- env bookkeeping


def _check_consistency(app, env) -> None:
    if not app.config.claims_require_boxes:
        return
    claims = get_claims(env) or {}
    boxes = env.get_domain("claims").boxes
    for c in claims.values():
        if c.page in env.found_docs and c.claim_id not in boxes.get(c.page, set()):
            logger.warning(
                f"{c.claim_id} is checked on {c.page!r} (claims.csv) but that page "
                "has no verdict box for it", type="claims", subtype="missing_box",
            )


def setup(app) -> dict[str, Any]:
    app.add_config_value("claims_csv", None, "env")
    app.add_config_value("claims_article", None, "env")
    app.add_config_value("claims_datapackage", None, "env")
    app.add_config_value("claims_require_boxes", False, "env")
    app.add_config_value("claims_releases", None, "env")
    # When the article appeared (``2024`` or an ISO date), for the ClaimReview records.
    app.add_config_value("claims_article_published", "", "html")
    app.setup_extension("book_execution")
    app.add_domain(ClaimsDomain)
    app.add_node(claim_summary)
    app.add_node(claims_download)
    app.add_node(claim_review_node)
    app.add_directive("verdict", VerdictDirective)
    app.add_directive("claims-table", ClaimsTableDirective)
    app.add_directive("annotated-article", AnnotatedArticleDirective)
    app.add_directive("datasets", DatasetsDirective)
    app.connect("missing-reference", _resolve_claim_ref)
    app.connect("env-check-consistency", _check_consistency)
    app.connect("env-get-outdated", _summaries_outdated)
    app.connect("doctree-resolved", _fill_summaries)
    app.connect("doctree-resolved", _fill_claim_reviews)
    app.connect("build-finished", _write_claims_csv)
    # The register's filter script and badge styles, served from the book's assets/ folder.
    app.add_css_file("claims.css")
    app.add_js_file("claims.js", defer="defer")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 3}
