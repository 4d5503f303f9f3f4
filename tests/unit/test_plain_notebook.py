"""The plain-notebook converter (scripts/plain_notebook.py), one MyST construct at a time."""

from __future__ import annotations

import importlib.util
import sys

import nbformat
import pytest
from conftest import ROOT

if "plain_notebook" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("plain_notebook", ROOT / "scripts" / "plain_notebook.py")
    sys.modules["plain_notebook"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["plain_notebook"])
plain = sys.modules["plain_notebook"]

PAGE = "notebooks/chip"


def book() -> plain.Book:
    return plain.Book(
        glue={PAGE: {"d1_bf16": "362 TFLOP/s", "n": "25"}},
        terms={"peak": ("book/glossary", "term-peak"), "d1": ("book/glossary", "term-D1")},
        labels={"sec-a": ("notebooks/other", "sec-a", "Section A"),
                "fig-x": (PAGE, "fig-x", ""),
                "ex-1": (PAGE, "ex-1", ""),
                "claim-c08": ("book/claims", "claim-c08", "Claim C08"),
                "here": (PAGE, "here", "Here")},
        numbers={"fig-x": "Fig. 3.2", "ex-1": "Exercise 3.1"},
        titles={"book/glossary": "Glossary", "notebooks/other": "Other chapter"},
        citations={"smith2024": "Smith, 2024", "nvidia2023": "NVIDIA, 2023"},
        claims={"C08": "capable of 1.1 exaflops"},
        link=lambda page, anchor: f"/{page}.html" + (f"#{anchor}" if anchor else ""),
        datum=lambda fid: {"d1_peak": "362 TFLOP/s"}[fid],
    )


def md(text: str, teacher: bool = True) -> str:
    return plain.Converter(book(), PAGE, teacher).blocks(text)


@pytest.mark.parametrize("source, expected", [
    ("One {term}`D1` chip {term}`peaks <peak>` at {glue:text}`d1_bf16`.",
     "One [D1](/book/glossary.html#term-D1) chip [peaks](/book/glossary.html#term-peak) at 362 TFLOP/s."),
    ("{glue}`n` chips", "25 chips"),
    ("See {ref}`sec-a` and {ref}`the other <sec-a>`.",
     "See [Section A](/notebooks/other.html#sec-a) and [the other](/notebooks/other.html#sec-a)."),
    ("{numref}`fig-x` shows it; {numref}`Figure {number} <fig-x>`.",
     "[Fig. 3.2](#fig-x) shows it; [Figure 3.2](#fig-x)."),
    ("{doc}`other` and {doc}`the words </book/glossary>`",
     "[Other chapter](/notebooks/other.html) and [the words](/book/glossary.html)"),
    ("as reported {cite}`smith2024,nvidia2023`.",
     "as reported [(Smith, 2024; NVIDIA, 2023)](/book/references.html)."),
    ("{cite:p}`smith2024`", "[(Smith, 2024)](/book/references.html)"),
    ("{typed}`1 EFLOP/s is 10¹⁸ FLOP/s` and {datum}`d1_peak`", "1 EFLOP/s is 10¹⁸ FLOP/s and 362 TFLOP/s"),
    ("a {term}`peak\nrate <peak>` over lines", "a [peak rate](/book/glossary.html#term-peak) over lines"),
    ("(here)=\n# Title", '<a id="here"></a>\n# Title'),
])
def test_roles_and_targets(source, expected):
    assert md(source) == expected


def test_code_is_left_alone():
    source = "Write `{glue:text}` in prose.\n\n```python\nprint('{term}`x`')\n```"
    assert md(source) == source


def test_exercise_and_solution_for_teachers_and_students():
    source = ("```{exercise}\n:label: ex-1\n\nHow many {glue:text}`n`?\n```\n\n"
              "````{solution} ex-1\n:class: dropdown\n\nTwenty-five.\n\n```python\n5 * 5\n```\n````")
    teacher = md(source, teacher=True)
    assert '<a id="ex-1"></a>\n\n> **Exercise 3.1**\n>\n> How many 25?' in teacher
    assert "> **Solution to Exercise 3.1**\n>\n> Twenty-five.\n>\n> ```python\n> 5 * 5\n> ```" in teacher
    student = md(source, teacher=False)
    assert "Exercise 3.1" in student and "Twenty-five" not in student and "Solution" not in student


def test_verdict_box():
    out = md("```{verdict} wrong\n:claim: C08\n\nIt is {glue:text}`d1_bf16` per chip.\n```")
    assert out == ('<a id="verdict-c08"></a>\n\n> **Verdict: wrong**\n>\n> It is 362 TFLOP/s per chip.\n>\n'
                   '> Claim C08: “capable of 1.1 exaflops”. See the '
                   '[claims register](/book/claims.html#claim-c08).')


@pytest.mark.parametrize("source, expected", [
    ("```{admonition} Learning objectives\n:class: tip\nAfter this you can\n\n- add\n```",
     "> **Learning objectives**\n>\n> After this you can\n>\n> - add"),
    (":::{note}\nMind the {term}`peak`.\n:::", "> **Note**\n>\n> Mind the [peak](/book/glossary.html#term-peak)."),
    ("````{tip}\nNested:\n```{note}\nInner.\n```\n````", "> **Tip**\n>\n> Nested:\n> > **Note**\n> >\n> > Inner."),
])
def test_admonitions(source, expected):
    assert md(source) == expected


def test_glued_figure_becomes_its_numbered_caption_and_the_chart_an_output():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("chart = make()\nglue_figure('fig_x', chart)"),
        nbformat.v4.new_code_cell("print('unrelated')"),
        nbformat.v4.new_markdown_cell("```{glue:figure} fig_x\n:name: fig-x\n\nThe chips, {glue:text}`n` a tile.\n```"),
        nbformat.v4.new_code_cell(plain.TRACKING_CELL + "\n# claimcheck sha256:abc"),
    ])
    chart = {"output_type": "display_data", "data": {"text/html": "<div>chart</div>", "text/plain": "Chart"}}
    out = plain.plain_notebook(nb, book(), PAGE, teacher=True, figures={"fig_x": chart})
    assert out.cells[2].source == '<a id="fig-x"></a>\n\n**Fig. 3.2.** The chips, 25 a tile.'
    assert out.cells[0].outputs[0]["data"]["text/html"] == "<div>chart</div>"
    assert out.cells[1].get("outputs", []) == []
    assert len(out.cells) == 3, "the build's hidden tracking cell is dropped"
    assert plain.myst_left(out) == []


def test_solution_spans_across_cells():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Before.\n```{solution-start} ex-1\n```\nSecret text."),
        nbformat.v4.new_code_cell("secret = 1"),
        nbformat.v4.new_markdown_cell("More secret.\n```{solution-end}\n```\nAfter."),
    ])
    student = plain.plain_notebook(nbformat.from_dict(nb), book(), PAGE, teacher=False)
    text = "\n".join(c.source for c in student.cells)
    assert "ecret" not in text and "Before." in text and "After." in text
    teacher = plain.plain_notebook(nbformat.from_dict(nb), book(), PAGE, teacher=True)
    assert "secret = 1" in "\n".join(c.source for c in teacher.cells)
    assert plain.myst_left(teacher) == []


@pytest.mark.parametrize("source, problem", [
    ("{glue:text}`missing`", "no glued value 'missing'"),
    ("{term}`flux capacitor`", "'flux capacitor' is not in the glossary"),
    ("{ref}`nowhere`", "target 'nowhere' is unknown"),
    ("{cite}`nobody1999`", "unknown source(s) ['nobody1999']"),
    ("{kbd}`Ctrl`", "the role {kbd} has no plain-Markdown form"),
    ("```{mermaid}\ngraph\n```", "the directive {mermaid} has no plain-Markdown form"),
    ("```{verdict} wrong\n:claim: C99\n\nNo.\n```", "unknown or no claims ['C99']"),
])
def test_what_it_cannot_convert_is_an_error_naming_it(source, problem):
    with pytest.raises(plain.PlainError) as err:
        md(source)
    assert problem in str(err.value) and PAGE in str(err.value)


def test_myst_left_finds_roles_directives_and_targets_but_not_code():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("A {term}`x`.\n\n```{note}\nn\n```\n\n(lbl)=\n\n```python\n{glue:text}`y`\n```"),
    ])
    assert plain.myst_left(nb) == ["{term}`", "```{", "(lbl)="]


def test_glued_text_drops_the_quotes_of_a_string_only():
    assert plain.glued_text({"data": {"text/plain": "'362 TFLOP/s'"}}) == "362 TFLOP/s"
    assert plain.glued_text({"data": {"text/plain": "16.0"}}) == "16.0"
    assert plain.glued_text({"data": {"text/plain": "alt.LayerChart(...)"}}) == "alt.LayerChart(...)"


def test_book_survives_json():
    again = plain.Book.from_json(book().to_json())
    assert again.terms == book().terms and again.labels == book().labels and again.glue == book().glue
