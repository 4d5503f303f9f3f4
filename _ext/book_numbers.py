"""Sphinx extension: two roles for numbers in prose pages.

* ``{datum}`figure_id``` writes a sourced figure of ``data/`` (value and range, formatted as
  the chapters format it; ``{datum}`id <MGD, sig=2>``` picks the unit and significant figures); an unknown id fails the build, and the page depends on the table.
* ``{typed}`…``` marks a number typed on purpose (a definition such as "1 EFLOP/s is
  10¹⁸ FLOP/s"), which the test for typed numbers lets through.
"""

from __future__ import annotations

from pathlib import Path

from book_execution import data_index
from docutils import nodes
from sphinx.application import Sphinx

from claimcheck.register import DatumError, datum_text
from claimcheck.sources import UnknownFigure


def typed_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{typed}`…```: the text as it is; the mark tells the typed-number test it is deliberate."""
    return [nodes.inline(rawtext, text, classes=["typed"])], []


def data_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{datum}`figure_id <options>```: a figure of data/ as prose (options: see
    :func:`claimcheck.register.datum_text`); an unknown id or a bad option is an error."""
    figure_id = text.split("<")[0].strip()
    try:
        prose = datum_text(text)
    except UnknownFigure:
        msg = inliner.reporter.error(f"unknown data figure {figure_id!r}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    except DatumError as err:
        msg = inliner.reporter.error(str(err), line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    env = inliner.document.settings.env
    table = data_index(Path(env.srcdir) / "data").get(figure_id)
    if table is not None:
        env.note_dependency(str(table))  # the page changes when its figure does
    return [nodes.inline(rawtext, prose, classes=["data-figure"])], []


def setup(app: Sphinx) -> dict:
    app.add_role("typed", typed_role)
    # Not "data": Sphinx looks roles up in the default (Python) domain first, where py:data wins.
    app.add_role("datum", data_role)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
