"""Sphinx extension: per-page metadata for sharing and citing.

Every page gets a meta description written from the page itself (a ``description`` in its
front matter, else the first paragraph under its "Overview" heading, else its first
paragraph), Open Graph tags (``og:url`` only when ``html_baseurl`` is set, so a local build
never points at a guessed address) and a "last updated" date: the date of the last commit
that touched the page's source, from git.

``CLAIMCHECK_BASE_URL`` in the environment overrides ``html_baseurl`` (the publish workflow
sets it to the GitHub Pages address).
"""

from __future__ import annotations

import os
import re
import subprocess
import textwrap
from html import escape, unescape
from pathlib import Path

from docutils import nodes

# Search engines show about this many characters of a description.
MAX_DESCRIPTION = 160


def _paragraph_text(node: nodes.Node) -> str:
    return " ".join(node.astext().split())


def page_description(doctree: nodes.document, front_matter: dict) -> str:
    """The page's own summary, shortened at a word boundary to ``MAX_DESCRIPTION``."""
    text = str(front_matter.get("description") or "").strip()
    if not text:
        overview = [
            s for s in doctree.findall(nodes.section)
            if s.children and isinstance(s[0], nodes.title) and s[0].astext().strip().lower() == "overview"
        ]
        scope = overview[0] if overview else doctree
        for para in scope.findall(nodes.paragraph):
            # Skip admonitions, verdict boxes and other furniture: prose sits directly in a section.
            if isinstance(para.parent, nodes.section) and _paragraph_text(para):
                text = _paragraph_text(para)
                break
    return textwrap.shorten(" ".join(text.split()), MAX_DESCRIPTION, placeholder="…")


def git_date(path: Path) -> str:
    """The commit date (YYYY-MM-DD) of the last commit touching ``path``, or "" if git has none."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", path.name],
            cwd=path.parent, capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
    return out


def _config_inited(app, config):
    base = os.environ.get("CLAIMCHECK_BASE_URL")
    if base:
        config.html_baseurl = base


def _page_context(app, pagename, templatename, context, doctree):
    if pagename not in app.env.all_docs or doctree is None:
        return  # search, genindex: no source page
    # A page with no paragraph gets no description rather than an invented one (tests/site/test_page_meta.py
    # requires one on every page of the book). The doctree is the page's, resolved.
    description = page_description(doctree, app.env.metadata.get(pagename, {}))
    title = unescape(re.sub(r"<[^>]+>", "", context.get("title", "")))
    tags = [f'<meta property="og:title" content="{escape(title)}" />']
    if description:
        tags += [f'<meta name="description" content="{escape(description)}" />',
                 f'<meta property="og:description" content="{escape(description)}" />']
    tags += [
        f'<meta property="og:type" content="{"website" if pagename == app.config.root_doc else "article"}" />',
        f'<meta property="og:site_name" content="{escape(app.config.html_title or app.config.project)}" />',
    ]
    base = app.config.html_baseurl
    if base:
        url = base.rstrip("/") + "/" + pagename + app.builder.out_suffix
        tags.append(f'<meta property="og:url" content="{escape(url)}" />')
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"
    updated = git_date(Path(app.env.doc2path(pagename)))
    if updated:
        context["last_updated"] = updated


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _page_context)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
