"""Sphinx extension: the chapters as plain Jupyter notebooks.

* offers every notebook chapter as a real ``.ipynb`` download, with the MyST turned into
  Markdown (JupyterLab, VS Code and Colab render none of it) and the solutions in;
* after the build, makes the classroom kit (``scripts/make_student.py``) and puts its zip
  in the site, where the teacher's guide links to it.

Both need what only the build knows (glued values, terms, labels, figure numbers, titles,
citations, claims); :func:`plain_book` gathers it once from the environment.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from claimcheck import sources
from claimcheck.register import datum_text

logger = logging.getLogger(__name__)
SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _load_script(name: str):
    """A module of the book's ``scripts/`` folder (not part of the claimcheck package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def plain_book(app: Sphinx):
    """What a plain notebook needs from the build, gathered once per build from the environment."""
    cached = getattr(app, "_plain_book", None)
    if cached is not None:
        return cached
    from book_claims import get_claims

    plain = _load_script("plain_notebook")
    env = app.env
    std = env.get_domain("std")
    terms = {name.lower(): (doc, anchor) for (kind, name), (doc, anchor) in std.objects.items() if kind == "term"}
    # A register row has no heading for the std domain to take a title from; the claims domain knows it.
    titled = {**env.get_domain("claims").row_labels(), **std.labels}
    labels = {name: (doc, anchor, str(titled.get(name, ("", "", ""))[2]))
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
        titles={doc: title.astext() for doc, title in env.titles.items()}, datum=datum_text)
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


def setup(app: Sphinx) -> dict:
    # The claims go into every plain notebook (a verdict box becomes Markdown with its quotes).
    app.setup_extension("book_claims")
    app.connect("html-page-context", offer_notebook_download, priority=400)
    app.connect("build-finished", write_student_kit)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
