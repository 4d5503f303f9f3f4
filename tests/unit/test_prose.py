"""The prose reader used by the read-back tests: every expected value here is worked by hand."""

from __future__ import annotations

import pytest
from prose import half_unit_in_last_place, parse_prose

from claimcheck.units import Q_


@pytest.mark.parametrize("number, half", [
    ("1.09", 0.005), ("14.0", 0.05), ("0.0349", 0.00005), ("87", 0.5), ("6,340", 5),
    ("742,000", 500), ("3,000", 5), ("44,544", 0.5), ("150", 0.5), ("0", 0.5), ("-1,500", 5),
])
def test_rounding_shown_is_half_a_unit_in_the_last_significant_digit(number, half):
    assert half_unit_in_last_place(number) == pytest.approx(half)


@pytest.mark.parametrize("text, central, low, high", [
    ("150 MW (120–180 MW)", Q_(150e6, "W"), Q_(120e6, "W"), Q_(180e6, "W")),
    ("1.09 EFLOP/s", Q_(1.09e18, "FLOP/s"), None, None),
    ("58.9 GFLOP/s/W", Q_(58.9e9, "FLOP/s/W"), None, None),
    ("1.07 TWh (0.831–1.39 TWh)", Q_(1.07e12, "W*h"), Q_(0.831e12, "W*h"), Q_(1.39e12, "W*h")),
    ("2.25 ML/day (1.01–3.87 ML/day)", Q_(2.25e6, "L/day"), Q_(1.01e6, "L/day"), Q_(3.87e6, "L/day")),
    ("10.6 PB/day", Q_(10.6e15, "byte/day"), None, None),
    # "kt" is the knot to pint; the book means kilotonnes
    ("609 kt/year (473–796 kt/year)", Q_(609e3, "tonne/year"), Q_(473e3, "tonne/year"), Q_(796e3, "tonne/year")),
    ("6,340 short tons/year", Q_(6340 * 907.18474, "kg/year"), None, None),
    ("8.16 days (7.67–12.8 days)", Q_(8.16 * 86400, "s"), Q_(7.67 * 86400, "s"), Q_(12.8 * 86400, "s")),
    ("0.344 years", Q_(0.344, "year"), None, None),
    ("1.25 million gallons/day", Q_(1.25e6, "gallon/day"), None, None),
    ("$1.00 billion", Q_(1e9, "USD"), None, None),
    ("$1.00 billion ($0.800–1.20 billion)", Q_(1e9, "USD"), Q_(8e8, "USD"), Q_(1.2e9, "USD")),
    ("$149 per share ($143–156 per share)", Q_(149, "USD/share"), Q_(143, "USD/share"), Q_(156, "USD/share")),
    ("742,000 (126,000–2,660,000)", Q_(742_000, ""), Q_(126_000, ""), Q_(2_660_000, "")),
    ("3.49 % (0.277–8.43 %)", Q_(0.0349, ""), Q_(0.00277, ""), Q_(0.0843, "")),
    ("91.1", Q_(91.1, ""), None, None),
])
def test_book_prose_reads_back(text, central, low, high):
    prose = parse_prose(text)
    assert prose.central.value.to(central.units).magnitude == pytest.approx(central.magnitude, rel=1e-12)
    if low is None:
        assert prose.low is None and prose.high is None
    else:
        assert prose.low.value.to(low.units).magnitude == pytest.approx(low.magnitude, rel=1e-12)
        assert prose.high.value.to(high.units).magnitude == pytest.approx(high.magnitude, rel=1e-12)


def test_a_reading_agrees_only_within_its_rounding():
    reading = parse_prose("150 MW").central   # three figures: anything from 149.5 to 150.5 MW
    assert reading.agrees_with(Q_(150.4e6, "W")) and reading.agrees_with(Q_(149.5, "MW"))
    assert not reading.agrees_with(Q_(150.6, "MW"))
    assert not parse_prose("3.49 %").central.agrees_with(Q_(0.0349, "percent"))


@pytest.mark.parametrize("text, message", [
    ("0.0349 % (0.00277–0.0843)", "range has no unit"),
    ("3.49 % (0.277-8.43 %)", "low–high"),      # a hyphen, not the house style's en dash
    ("about 3", "cannot read"),
    ("5 furlongs/fortnightz", "not a unit pint knows"),
    ("$1.00 billion (0.800–1.20 billion)", "dollars"),
])
def test_unreadable_prose_is_refused_with_the_reason(text, message):
    with pytest.raises(ValueError, match=message):
        parse_prose(text)
