"""claimcheck.uncertainty: Range, Estimate and monte_carlo."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from claimcheck import footprint as fp
from claimcheck.uncertainty import Estimate, Range, monte_carlo
from claimcheck.units import Q_, UnitError
from claimcheck.validate import InputError


def test_lognormal_fits_a_90_percent_interval():
    """Z90 at work: low and high are the 5th and 95th percentiles of the samples."""
    r = Range(Q_(100, "MW"), Q_(150, "MW"), Q_(400, "MW"))
    mu, sigma = r.lognormal_parameters()
    # median = geometric mean of 100 and 400 = 200; sigma = ln(4) / (2 x 1.6449) = 0.42142
    assert math.exp(mu) == pytest.approx(200)
    assert sigma == pytest.approx(math.log(4) / (2 * 1.6448536), rel=1e-6)
    s = r.sample(200_000, np.random.default_rng(1)).to("MW").magnitude
    p5, p50, p95 = np.percentile(s, [5, 50, 95])
    assert p5 == pytest.approx(100, rel=0.02)
    assert p50 == pytest.approx(200, rel=0.02)
    assert p95 == pytest.approx(400, rel=0.02)


def test_sample_returns_quantity_in_central_units():
    r = Range(Q_(0.1, "GW"), Q_(150, "MW"), Q_(200, "MW"))
    s = r.sample(10, 0)
    assert s.units == Q_(1, "MW").units
    assert s.shape == (10,)


def test_triangular_and_uniform_stay_in_bounds():
    tri = Range(0.3, 0.4, 0.6, "triangular").sample(50_000, 2)
    assert tri.min() >= 0.3 and tri.max() <= 0.6
    # triangular mean = (0.3 + 0.4 + 0.6) / 3 = 0.43333
    assert tri.mean() == pytest.approx(1.3 / 3, rel=0.01)
    uni = Range(Q_(1.1, ""), Q_(1.2, ""), Q_(1.5, ""), "uniform").sample(50_000, 3).magnitude
    assert uni.min() >= 1.1 and uni.max() <= 1.5
    assert uni.mean() == pytest.approx(1.3, rel=0.01)  # (1.1 + 1.5) / 2


def test_point_range():
    p = Range(Q_(5, "MW"), Q_(5, "MW"), Q_(5, "MW"))
    assert p.is_point
    np.testing.assert_array_equal(p.sample(5, 0).magnitude, [5, 5, 5, 5, 5])
    assert Range.point(Q_(2, "day")).sample(3, 0).to("day").magnitude.tolist() == [2, 2, 2]


def test_from_figure_duck_typed():
    fig = SimpleNamespace(value=Q_(150, "MW"), low=Q_(120, "MW"), high=Q_(180, "MW"))
    r = Range.from_figure(fig)
    assert (r.low, r.central, r.high) == (fig.low, fig.value, fig.high)
    point = Range.from_figure(SimpleNamespace(value=Q_(1, "MW"), low=None, high=None))
    assert point.is_point
    with pytest.raises(InputError, match="only one of low and high"):
        Range.from_figure(SimpleNamespace(value=Q_(1, "MW"), low=Q_(0.5, "MW"), high=None))
    with pytest.raises(InputError, match="no .high"):
        Range.from_figure(SimpleNamespace(value=Q_(1, "MW"), low=None))


def test_range_errors():
    with pytest.raises(InputError, match="low .* is above central"):
        Range(Q_(200, "MW"), Q_(150, "MW"), Q_(300, "MW"))
    with pytest.raises(InputError, match="central .* is above high"):
        Range(Q_(100, "MW"), Q_(150, "MW"), Q_(120, "MW"))
    with pytest.raises(UnitError, match="different dimension"):
        Range(Q_(100, "MW"), Q_(150, "MWh"), Q_(200, "MW"))
    with pytest.raises(UnitError, match="high must be a quantity"):
        Range(Q_(100, "MW"), Q_(150, "MW"), 200)
    with pytest.raises(InputError, match="NaN"):
        Range(Q_(100, "MW"), Q_(float("nan"), "MW"), Q_(200, "MW"))
    with pytest.raises(InputError, match="low > 0"):
        Range(0, 0.5, 1)
    with pytest.raises(InputError, match="distribution"):
        Range(1, 2, 3, "normal")
    # low in another unit is compared after conversion: 0.2 GW > 150 MW
    with pytest.raises(InputError, match="above central"):
        Range(Q_(0.2, "GW"), Q_(150, "MW"), Q_(300, "MW"))


def test_monte_carlo_is_reproducible_and_leaves_constants_alone():
    chips = Range(1000, 2000, 4000)
    power = Range(Q_(300, "W"), Q_(400, "W"), Q_(500, "W"), "triangular")
    pue = Range(1.1, 1.2, 1.4, "uniform")
    a = monte_carlo(fp.energy, chips, power, Q_(30, "day"), pue=pue, n=5000)
    b = monte_carlo(fp.energy, chips, power, Q_(30, "day"), pue=pue, n=5000)
    c = monte_carlo(fp.energy, chips, power, Q_(30, "day"), pue=pue, n=5000, seed=1)
    assert a.central == b.central and a.low == b.low and a.high == b.high
    np.testing.assert_array_equal(a.samples.magnitude, b.samples.magnitude)
    assert a.central != c.central
    assert a.low < a.central < a.high


def test_monte_carlo_with_only_constants_is_exact():
    # 10 chips x 1 kW x 1 hour = 10 kWh, with no spread
    e = monte_carlo(fp.energy, 10, Q_(1, "kW"), Q_(1, "hour"))
    assert e.central.to("kWh").magnitude == pytest.approx(10)
    assert e.low == e.high == e.central


def test_monte_carlo_median_of_a_product_of_lognormals():
    # median of a product of independent log-normals = product of medians:
    # sqrt(100 x 400) x sqrt(2 x 8) = 200 x 4 = 800
    est = monte_carlo(lambda a, b: a * b, Range(100, 150, 400), Range(2, 3, 8), n=100_000)
    assert est.central == pytest.approx(800, rel=0.02)


def test_same_range_object_is_drawn_once():
    r = Range(Q_(1, "MW"), Q_(2, "MW"), Q_(4, "MW"))
    diff = monte_carlo(lambda a, b: a - b, r, r, n=1000)
    assert diff.low.magnitude == diff.high.magnitude == 0


def test_estimate_summary_and_str():
    samples = Q_(np.arange(1, 102, dtype=float), "MW")  # 1..101
    e = Estimate.from_samples(samples)
    assert e.central.to("MW").magnitude == pytest.approx(51)   # median
    assert e.low.to("MW").magnitude == pytest.approx(6)        # 5th percentile of 1..101
    assert e.high.to("MW").magnitude == pytest.approx(96)      # 95th percentile
    assert str(e) == "51.0 MW (6.00–96.0 MW)"
    assert str(Estimate(Q_(150, "MW"), Q_(120, "MW"), Q_(180, "MW"))) == "150 MW (120–180 MW)"
    gw = e.to("GW")
    assert gw.central.units == Q_(1, "GW").units
    assert gw.central.magnitude == pytest.approx(0.051)
    assert gw.samples.units == Q_(1, "GW").units
    assert e.format(unit="kW") == "51,000 kW (6,000–96,000 kW)"


def test_estimate_errors():
    with pytest.raises(InputError, match="low <= central <= high"):
        Estimate(Q_(150, "MW"), Q_(200, "MW"), Q_(180, "MW"))
    with pytest.raises(InputError, match="NaN"):
        Estimate.from_samples(Q_(np.array([1.0, np.nan]), "MW"))
    with pytest.raises(UnitError):
        Estimate(Q_(150, "MW"), Q_(120, "MWh"), Q_(180, "MW"))
