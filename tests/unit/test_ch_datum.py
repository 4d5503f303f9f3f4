"""The ``{datum}`` role's options (unit, significant figures, central value), parsed once in
:func:`claimcheck.register.datum_text` for the web page and the plain notebooks.

Expectations are worked by hand from the rows of ``data/``:
xai_water_demand is 1.25 (1.0-1.5) MGD, h100_unit_price $27,500 ($25,000-30,000),
lbnl_pue_2023 1.4 (no range). 1.5e6 gal/day = 5.68 ML/day.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import ROOT

from claimcheck.register import DatumError, datum_text
from claimcheck.sources import UnknownFigure

if "plain_notebook" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("plain_notebook", ROOT / "scripts" / "plain_notebook.py")
    sys.modules["plain_notebook"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["plain_notebook"])
plain = sys.modules["plain_notebook"]


@pytest.mark.parametrize("spec, expected", [
    # 1.25e6 gal/day x 3.785411784 L/gal = 4.73 ML/day; 1.0 -> 3.79, 1.5 -> 5.68
    ("xai_water_demand", "4.73 ML/day (3.79–5.68 ML/day)"),
    ("xai_water_demand <MGD>", "1.25 million gallons/day (1.00–1.50 million gallons/day)"),
    ("  xai_water_demand<MGD>  ", "1.25 million gallons/day (1.00–1.50 million gallons/day)"),
    ("xai_water_demand <MGD, central>", "1.25 million gallons/day"),
    ("xai_water_demand <central>", "4.73 ML/day"),
    ("xai_water_demand <MGD, sig=1>", "1 million gallons/day (1–2 million gallons/day)"),
    ("h100_unit_price <sig=2>", "$28,000 ($25,000–30,000)"),
    ("h100_unit_price <USD, sig=4>", "$27,500 ($25,000–30,000)"),
    ("lbnl_pue_2023 <sig=2>", "1.4"),
    ("xai_water_demand <MGD, low>", "1.00 million gallons/day"),
    ("xai_water_demand <high>", "5.68 ML/day"),
    ("xai_water_demand <MGD, sig=2, bounds>", "1.0–1.5 million gallons/day"),
    ("h100_unit_price <bounds>", "$25,000–30,000"),
])
def test_options_change_unit_figures_and_range(spec, expected):
    assert datum_text(spec) == expected


@pytest.mark.parametrize("spec, message", [
    ("xai_water_demand <MW>",
     "{datum} `xai_water_demand <MW>`: unit 'MW' does not fit the figure 'xai_water_demand', "
     "which is in MGD"),
    ("xai_water_demand <furlong_per_moon>",
     "{datum} `xai_water_demand <furlong_per_moon>`: unknown unit 'furlong_per_moon'"),
    ("lbnl_pue_2023 <hour>",
     "{datum} `lbnl_pue_2023 <hour>`: unit 'hour' does not fit the figure 'lbnl_pue_2023', "
     "which has no unit"),
    ("xai_water_demand <sig=0>",
     "{datum} `xai_water_demand <sig=0>`: sig must be a positive whole number, got 'sig=0'"),
    ("xai_water_demand <sig=2.5>",
     "{datum} `xai_water_demand <sig=2.5>`: sig must be a positive whole number, got 'sig=2.5'"),
    ("xai_water_demand <sig>",
     "{datum} `xai_water_demand <sig>`: sig must be a positive whole number, got 'sig'"),
    ("xai_water_demand <MGD, L/day>",
     "{datum} `xai_water_demand <MGD, L/day>`: two units, 'MGD' and 'L/day'"),
    ("xai_water_demand <MGD,>",
     "{datum} `xai_water_demand <MGD,>`: an empty option in <MGD,>"),
    ("xai_water_demand <low, high>",
     "{datum} `xai_water_demand <low, high>`: choose one of central, low, high, bounds"),
    ("lbnl_pue_2023 <bounds>",
     "{datum} `lbnl_pue_2023 <bounds>`: the figure 'lbnl_pue_2023' has no range for 'bounds'"),
    ("xai_water_demand MGD",
     "{datum} `xai_water_demand MGD`: write a figure id, then options in <…>, "
     "e.g. `id <MGD, sig=2>`"),
])
def test_bad_options_name_the_text_and_the_problem(spec, message):
    with pytest.raises(DatumError) as err:
        datum_text(spec)
    assert str(err.value) == message


def test_unknown_figure_is_still_unknown_figure():
    with pytest.raises(UnknownFigure, match="no_such_figure"):
        datum_text("no_such_figure <MGD>")


def _plain_book() -> plain.Book:
    return plain.Book(datum=datum_text)


def test_plain_notebook_writes_the_options():
    text = "needs {datum}`xai_water_demand <MGD, central>` of water"
    out = plain.Converter(_plain_book(), "notebooks/water", True).blocks(text)
    assert out == "needs 1.25 million gallons/day of water"


def test_plain_notebook_bad_option_names_page_and_problem():
    text = "needs {datum}`xai_water_demand <MW>` of water"
    with pytest.raises(plain.PlainError) as err:
        plain.Converter(_plain_book(), "notebooks/water", True).blocks(text)
    assert str(err.value) == ("notebooks/water: {datum} `xai_water_demand <MW>`: unit 'MW' "
                              "does not fit the figure 'xai_water_demand', which is in MGD")
