"""Formatting helpers in claimcheck.units: expected strings are written by hand."""

import numpy as np
import pint
import pytest

from claimcheck.units import (
    Q_,
    UnitError,
    format_money,
    format_number,
    format_quantity,
    format_range,
    round_sig,
    ureg,
)


def test_one_registry_and_flop_dimension():
    assert Q_(1, "FLOP/s")._REGISTRY is ureg
    assert pint.get_application_registry().get() is ureg
    # FLOP/s is its own dimension: it cannot be added to a frequency
    with pytest.raises(pint.DimensionalityError):
        Q_(1, "FLOP/s") + Q_(1, "Hz")
    assert Q_(1, "EFLOP/s").to("FLOP/s").magnitude == pytest.approx(1e18)
    assert Q_(1, "MMBtu").to("Btu").magnitude == pytest.approx(1e6)
    assert Q_(1, "MGD").to("gallon/day").magnitude == pytest.approx(1e6)


@pytest.mark.parametrize("x, sig, expected", [
    (1234.5, 3, 1230), (0.0012345, 2, 0.0012), (-987.6, 2, -990), (0, 3, 0), (999.7, 3, 1000),
])
def test_round_sig(x, sig, expected):
    assert round_sig(x, sig) == pytest.approx(expected)


def test_round_sig_rejects_zero_sig():
    with pytest.raises(ValueError, match="sig"):
        round_sig(1.0, 0)


@pytest.mark.parametrize("x, expected", [
    (3000, "3,000"), (1.0862, "1.09"), (0.043219, "0.0432"), (1.0, "1.00"), (1, "1"), (25, "25"), (44_544, "44,544"), (33_333.3, "33,300"), (0, "0"),
    (-1234567.0, "-1,230,000"), (-1234567, "-1,234,567"), (999.96, "1,000"), (np.float64(12.345), "12.3"),
])
def test_format_number(x, expected):
    assert format_number(x) == expected


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_format_number_refuses_non_finite(bad):
    with pytest.raises(ValueError, match="not a finite number"):
        format_number(bad)


@pytest.mark.parametrize("q, expected", [
    (Q_(1.0862e18, "FLOP/s"), "1.09 EFLOP/s"),
    (Q_(67.8e15, "FLOP/s"), "67.8 PFLOP/s"),
    (Q_(150, "MW"), "150 MW"),
    (Q_(150_000, "kW"), "150 MW"),
    (Q_(1.31e6, "MWh"), "1.31 TWh"),
    (Q_(373_000, "tonne"), "373 kt"),
    (Q_(373, "kilotonne"), "373 kt"),
    (Q_(4.7e6, "L/day"), "4.70 ML/day"),
    (Q_(52.23e9, "FLOP/s/W"), "52.2 GFLOP/s/W"),
    (Q_(1e9, "USD"), "$1.00 billion"),
    (Q_(25_000, "USD"), "$25,000"),
    (Q_(3000, "dimensionless"), "3,000"),
    (3000, "3,000"),
    (Q_(500, "kg"), "500 kg"),
])
def test_format_quantity_prose(q, expected):
    assert format_quantity(q) == expected


def test_rounding_up_crosses_prefix_boundary():
    # 999.7 MW rounds to 1,000 MW at 3 s.f., which must be written 1.00 GW
    assert format_quantity(Q_(999.7, "MW")) == "1.00 GW"
    assert format_quantity(Q_(999.4, "MW")) == "999 MW"
    assert format_quantity(Q_(999.96, "W")) == "1.00 kW"
    assert format_money(Q_(999.7e6, "USD")) == "$1.00 billion"
    assert format_quantity(Q_(0.9996, "tonne")) == "1.00 t"


def test_negative_and_zero():
    assert format_quantity(Q_(-150, "MW")) == "-150 MW"
    assert format_quantity(Q_(-999.7, "MW")) == "-1.00 GW"
    assert format_quantity(Q_(0, "MW")) == "0 W"
    assert format_money(Q_(-3e6, "USD")) == "-$3.00 million"
    assert format_money(Q_(0, "USD")) == "$0"


def test_arrays_raise_a_clear_error():
    with pytest.raises(ValueError, match="array of 2 values"):
        format_quantity(Q_(np.array([1.0, 2.0]), "MW"))
    with pytest.raises(ValueError, match="array"):
        format_number(np.array([1.0, 2.0]))
    # a 0-d array is a single value
    assert format_quantity(Q_(np.array(150.0), "MW")) == "150 MW"


def test_durations_in_days_and_years():
    assert format_quantity(Q_(30, "day")) == "30.0 days"
    assert format_quantity(Q_(14.8 * 24, "hour"), unit="day") == "14.8 days"
    assert format_quantity(Q_(5, "hour")) == "5.00 hours"
    # 400 days / 365.25 days per year = 1.095 years
    assert format_quantity(Q_(400, "day"), unit="year") == "1.10 years"
    assert format_quantity(Q_(1, "day"), unit="day", sig=1) == "1 day"


def test_forced_units_keep_the_book_spelling():
    assert format_quantity(Q_(2e18, "FLOP/s"), unit="EFLOP/s") == "2.00 EFLOP/s"
    assert format_quantity(Q_(1500, "kW"), unit="megawatt") == "1.50 MW"
    assert format_quantity(Q_(1000, "short_ton/year"), unit="short_ton/year") == "1,000 short tons/year"
    assert format_quantity(Q_(2, "tonne"), unit="kg") == "2,000 kg"
    assert format_quantity(Q_(1e9, "USD"), unit="USD") == "$1.00 billion"
    assert format_quantity(Q_(150, "MW"), prefix=False) == "150,000,000 W"


def test_per_share():
    assert format_quantity(Q_(12.345, "USD/share")) == "$12.3 per share"


def test_format_range_house_style():
    assert format_range(Q_(150, "MW"), Q_(120, "MW"), Q_(180, "MW")) == "150 MW (120–180 MW)"
    # one unit, chosen from the central value
    assert format_range(Q_(999.7, "MW"), Q_(120, "MW"), Q_(1800, "MW")) == "1.00 GW (0.120–1.80 GW)"
    assert format_range(Q_(1.09, "EFLOP/s"), Q_(0.9e18, "FLOP/s"), Q_(1.2, "EFLOP/s")) == \
        "1.09 EFLOP/s (0.900–1.20 EFLOP/s)"
    assert format_range(Q_(1e9, "USD"), Q_(8e8, "USD"), Q_(1.2e9, "USD")) == \
        "$1.00 billion ($0.800–1.20 billion)"
    assert format_range(Q_(30, "day"), Q_(20, "day"), Q_(40, "day")) == "30.0 days (20.0–40.0 days)"
    assert format_range(3000, 2500, 3500) == "3,000 (2,500–3,500)"
    assert format_range(Q_(150, "MW")) == "150 MW"


def test_format_range_errors():
    with pytest.raises(UnitError, match="low"):
        format_range(Q_(150, "MW"), 120, Q_(180, "MW"))
    with pytest.raises(UnitError, match="different dimension"):
        format_range(Q_(150, "MW"), Q_(120, "MWh"), Q_(180, "MW"))
    with pytest.raises(ValueError, match="both"):
        format_range(Q_(150, "MW"), Q_(120, "MW"))


def test_unit_error_is_a_value_error():
    assert issubclass(UnitError, ValueError)


def test_ranges_write_per_share_money_and_percentages_once():
    assert format_range(Q_(149.2, "USD/share"), Q_(143, "USD/share"), Q_(156, "USD/share")) == \
        "$149 per share ($143–156 per share)"
    assert format_range(Q_(3.49, "percent"), Q_(0.277, "percent"), Q_(8.43, "percent"), unit="percent") == \
        "3.49 % (0.277–8.43 %)"


def test_counts_percentages_and_figures():
    from types import SimpleNamespace

    from claimcheck.units import format_count, format_figure, format_percent

    assert format_count(44_544) == "44,544" and format_count(33_333, sig=3) == "33,300"
    assert format_percent(0.0249) == "2.49 %" and format_percent(Q_(46.2, "percent")) == "46.2 %"
    pue = SimpleNamespace(value=Q_(1.3, ""), low=Q_(1.1, ""), high=Q_(1.56, ""))
    assert format_figure(pue) == "1.30 (1.10–1.56)"
    mfu = SimpleNamespace(value=Q_(41, "percent"), low=Q_(21.3, "percent"), high=Q_(46.2, "percent"))
    assert format_figure(mfu) == "41.0 % (21.3–46.2 %)"
    heat = SimpleNamespace(value=Q_(10_000, "Btu/kWh"), low=None, high=None)
    assert format_figure(heat) == "10,000 Btu/kWh"


def test_a_percent_figure_stays_a_percentage():
    # A data row in percent (5 %) is written as a percentage, never as the fraction 0.0500.
    from claimcheck.units import Q_, format_quantity, format_range

    assert format_quantity(Q_(5, "percent")) == "5.00 %"
    assert format_range(Q_(5, "percent"), Q_(4, "percent"), Q_(6.5, "percent")) == "5.00 % (4.00–6.50 %)"
