"""The power, carbon and water chapters share one Colossus model, and the chart helpers
they share (claimcheck.charts.range_bars, computed_bar, reference_line) draw what they say."""

from __future__ import annotations

import re

import jupytext
import pandas as pd
import pytest
from conftest import ROOT

from claimcheck import charts

CHAPTERS = ["power-and-energy", "carbon", "water"]
# Rows the Colossus phase 1 model is built from: a chapter that reads them rebuilds it.
MODEL_ROWS = ["dgx_h100_max_power", "lbnl_dc_capacity_2028", "pue_range_large_ai_site"]


def _code(chapter: str) -> str:
    nb = jupytext.read(ROOT / "notebooks" / f"{chapter}.md")
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_calls_the_shared_colossus_model(chapter):
    code = _code(chapter)
    assert "scenarios.colossus_phase1()" in code
    rebuilt = [r for r in MODEL_ROWS if re.search(rf"sources\.(value|figure)\(\s*['\"]{r}['\"]", code)]
    assert not rebuilt, f"{chapter} reads {rebuilt} itself instead of using the shared model"


def _frame():
    return pd.DataFrame({"step": ["b", "a", "c"], "central": [1.0, 2.0, 3.0],
                         "low": [1.0, 1.5, 2.0], "high": [1.0, 2.5, 4.0]})


def test_range_bars_keeps_the_order_and_skips_point_values():
    spec = charts.range_bars(_frame(), "step", "MW", x_title="Power (MW)", bar_height=26,
                             tick_size=14, color="#000000", domain=[0, 5]).to_dict()
    bars, line, low, high = spec["layer"]
    assert bars["encoding"]["y"]["sort"] == ["b", "a", "c"]  # the frame's order, not alphabetical
    assert bars["encoding"]["x"]["scale"] == {"domain": [0, 5]}
    titles = [t.get("title") for t in bars["encoding"]["tooltip"][1:]]
    assert titles == ["central (MW)", "5th percentile (MW)", "95th percentile (MW)"]
    for layer in (line, low, high):  # "b" has no range: it gets no line
        assert layer["transform"] == [{"filter": "datum.high > datum.low"}]
    assert (low["encoding"]["x"]["field"], high["encoding"]["x"]["field"]) == ("low", "high")


def test_range_bars_refuses_a_frame_without_a_range():
    with pytest.raises(ValueError, match="'low' and 'high'"):
        charts.range_bars(_frame().drop(columns="high"), "step", "MW", x_title="x",
                          bar_height=20, tick_size=10)


def test_computed_bar_draws_the_scaled_value_and_labels_it_in_prose():
    row = pd.DataFrame({"case": ["one"], "it_w": [1.0]})
    bar, label = charts.computed_bar(row, "case", "datum.it_w * pue", "Wh", 1e12,
                                     x_title="TWh", domain=[0, 2], where="datum.it_w > 0")
    spec = bar.to_dict()
    calc = [step for step in spec["transform"] if "calculate" in step]
    assert spec["transform"][0] == {"filter": "datum.it_w > 0"}  # rows are filtered first
    assert {"calculate": "datum.it_w * pue", "as": "value"} in calc
    assert {"calculate": "datum.value / 1e+12", "as": "x"} in calc
    assert {"calculate": charts.si_format_expr("datum.value", "Wh"), "as": "label"} in calc
    assert spec["encoding"]["x"]["field"] == "x"
    text = label.to_dict()
    assert text["name"] == charts.HEADLINE and text["encoding"]["text"]["field"] == "label"


def test_reference_line_marks_each_row_with_its_label():
    ref = pd.DataFrame({"mw": [150.0], "label": ["TVA approval, 150 MW"]})
    rule, text = charts.reference_line(ref, "mw", dy=-40).to_dict()["layer"]
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["x"]["field"] == "mw"
    assert text["encoding"]["text"]["field"] == "label" and text["mark"]["dy"] == -40
