"""claimcheck.money: expected values by hand arithmetic."""

import numpy as np
import pytest

from claimcheck import money
from claimcheck.units import Q_, UnitError
from claimcheck.validate import InputError


def test_cost_per_compute():
    # $500 million / 1 EFLOP/s = 5e8 / 1e18 = 5e-10 USD per FLOP/s = $500 per TFLOP/s
    c = money.cost_per_compute(Q_(500e6, "USD"), Q_(1, "EFLOP/s"))
    assert c.to("USD/(FLOP/s)").magnitude == pytest.approx(5e-10)
    assert c.to("USD/(TFLOP/s)").magnitude == pytest.approx(500)


def test_units_affordable_floors():
    assert money.units_affordable(Q_(1e9, "USD"), Q_(30_000, "USD")) == 33_333  # 33,333.3
    assert money.units_affordable(Q_(90_000, "USD"), Q_(30_000, "USD")) == 3  # exact, no float slip
    assert money.units_affordable(Q_(0.3, "USD"), Q_(0.1, "USD")) == 3  # 0.3/0.1 = 2.9999999999999996
    n = money.units_affordable(Q_(np.array([1e6, 2.5e6]), "USD"), Q_(1e6, "USD"))
    np.testing.assert_array_equal(n, [1, 2])


def test_per_share():
    # $500 billion / 3.2 billion shares = $156.25 per share
    assert money.per_share(Q_(500e9, "USD"), 3.2e9).to("USD/share").magnitude == pytest.approx(156.25)
    assert money.per_share(Q_(500e9, "USD"), Q_(3.2e9, "share")).magnitude == pytest.approx(156.25)


def test_money_errors():
    with pytest.raises(UnitError, match=r"budget must be a sum of money .*bare number 1e\+09"):
        money.units_affordable(1e9, Q_(1, "USD"))
    with pytest.raises(InputError, match="unit_price must be greater than zero"):
        money.units_affordable(Q_(1e9, "USD"), Q_(0, "USD"))
    with pytest.raises(UnitError, match="flops must be a compute rate"):
        money.cost_per_compute(Q_(1, "USD"), Q_(1, "FLOP"))
    with pytest.raises(InputError, match="shares must be greater than zero"):
        money.per_share(Q_(1, "USD"), 0)
