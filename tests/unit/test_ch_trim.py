"""ch-trim: the one helper the chapter trim added, ``units.format_in_words``.

Money, water, fleet-video and memphis-air each wrote "3.35 billion (3.20–3.50 billion)" or
"1.00 million gallons" by hand; the expectations below are worked out by hand."""

from types import SimpleNamespace

import pytest

from claimcheck.units import Q_, UnitError, format_in_words


def test_a_plain_number_in_billions():
    assert format_in_words(3.35e9, "billion") == "3.35 billion"


def test_a_range_repeats_the_word_and_keeps_three_figures():
    # 3.2e9 / 1e9 = 3.2, written to three figures as 3.20
    assert format_in_words(3.35e9, "billion", 3.2e9, 3.5e9) == "3.35 billion (3.20–3.50 billion)"


def test_a_quantity_is_counted_in_the_unit_given_then_labelled():
    # 3,785,411.784 L is exactly one million US gallons
    text = format_in_words(Q_(3_785_411.784, "L"), "million", unit="gallon", label="gallons")
    assert text == "1.00 million gallons"


def test_a_data_figure_brings_its_range():
    figure = SimpleNamespace(locator="x", value=Q_(12e6, "1/s"), low=Q_(8e6, "1/s"),
                             high=Q_(20.6e6, "1/s"))
    assert format_in_words(figure, "million", unit="1/s", sig=2) == "12 million (8.0–21 million)"


def test_significant_figures():
    assert format_in_words(4.089e9, "billion", sig=2) == "4.1 billion"


def test_a_quantity_without_a_unit_is_refused():
    with pytest.raises(UnitError, match="which unit"):
        format_in_words(Q_(1e6, "gallon"), "million")


def test_an_unknown_word_is_refused():
    with pytest.raises(ValueError, match="'lakh' is not one of"):
        format_in_words(1e5, "lakh")


def test_half_a_range_is_refused():
    with pytest.raises(ValueError, match="both low and high"):
        format_in_words(3e9, "billion", low=2e9)
