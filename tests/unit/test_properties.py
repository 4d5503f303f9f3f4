"""Property tests (hypothesis): invariants every formula must keep."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck import compute
from claimcheck import footprint as fp
from claimcheck.units import Q_, format_number, round_sig

FAST = settings(max_examples=40, deadline=None, database=None)

chips = st.integers(min_value=1, max_value=1_000_000)
watts = st.floats(min_value=1, max_value=5_000, allow_nan=False)
days = st.floats(min_value=0.01, max_value=3_650, allow_nan=False)
pue = st.floats(min_value=1.0, max_value=3.0, allow_nan=False)
overhead = st.floats(min_value=0.5, max_value=3.0, allow_nan=False)
util = st.floats(min_value=1e-3, max_value=1.0, allow_nan=False)
tflops = st.floats(min_value=1, max_value=10_000, allow_nan=False)
flop = st.floats(min_value=1e15, max_value=1e27, allow_nan=False)


@FAST
@given(chips, watts, days, pue, overhead)
def test_doubling_chips_doubles_energy(n, w, d, p, k):
    one = fp.energy(n, Q_(w, "W"), Q_(d, "day"), pue=p, overhead=k)
    two = fp.energy(2 * n, Q_(w, "W"), Q_(d, "day"), pue=p, overhead=k)
    assert two.to("MWh").magnitude == pytest.approx(2 * one.to("MWh").magnitude, rel=1e-12)


@FAST
@given(chips, watts, days, pue)
def test_input_units_never_change_energy(n, w, d, p):
    base = fp.energy(n, Q_(w, "W"), Q_(d, "day"), pue=p).to("MWh").magnitude
    other = fp.energy(n, Q_(w / 1000, "kW"), Q_(d * 24, "hour"), pue=p).to("MWh").magnitude
    btu = fp.energy(n, Q_(w * 3.412141633, "Btu/hour"), Q_(d * 86400, "s"), pue=p).to("MWh").magnitude
    assert other == pytest.approx(base, rel=1e-9)
    assert btu == pytest.approx(base, rel=1e-6)


@FAST
@given(st.floats(min_value=1e-3, max_value=1e7), st.floats(min_value=1, max_value=1500))
def test_input_units_never_change_emissions(mwh, g_per_kwh):
    base = fp.emissions(Q_(mwh, "MWh"), Q_(g_per_kwh, "g/kWh")).to("tonne").magnitude
    other = fp.emissions(Q_(mwh * 1000, "kWh"), Q_(g_per_kwh / 453.59237, "lb/kWh")).to("tonne").magnitude
    assert other == pytest.approx(base, rel=1e-9)
    # by hand: 1 MWh x 1 g/kWh = 1,000 kWh x 1 g/kWh = 1 kg = 0.001 t
    assert base == pytest.approx(mwh * g_per_kwh / 1000, rel=1e-9)


@FAST
@given(st.floats(min_value=1e-3, max_value=1e7), st.floats(min_value=1e-3, max_value=1e7),
       st.floats(min_value=1, max_value=1500), st.floats(min_value=0, max_value=100))
def test_emissions_linear_in_energy(e1, e2, g_per_kwh, a):
    i = Q_(g_per_kwh, "g/kWh")
    lhs = fp.emissions(Q_(a * e1 + e2, "MWh"), i).to("tonne").magnitude
    rhs = a * fp.emissions(Q_(e1, "MWh"), i).to("tonne").magnitude + fp.emissions(Q_(e2, "MWh"), i).to("tonne").magnitude
    assert lhs == pytest.approx(rhs, rel=1e-9)


@FAST
@given(flop, chips, tflops, util)
def test_training_time_and_utilisation_are_inverses(c, n, r, u):
    per_chip = Q_(r, "TFLOP/s")
    t = compute.training_time(Q_(c, "FLOP"), n, per_chip, u)
    assert compute.utilisation(Q_(c, "FLOP"), n, per_chip, t).magnitude == pytest.approx(u, rel=1e-9)
    # peak x time x utilisation = the computation done
    done = (compute.peak(n, per_chip) * t * u).to("FLOP").magnitude
    assert done == pytest.approx(c, rel=1e-9)


@FAST
@given(flop, chips, tflops, days)
def test_utilisation_units_invariant(c, n, r, d):
    a = compute.utilisation(Q_(c, "FLOP"), n, Q_(r, "TFLOP/s"), Q_(d, "day")).magnitude
    b = compute.utilisation(Q_(c / 1e18, "EFLOP"), n, Q_(r * 1e12, "FLOP/s"), Q_(d * 24, "hour")).magnitude
    assert b == pytest.approx(a, rel=1e-9)


@FAST
@given(st.floats(min_value=1e6, max_value=1e9), st.floats(min_value=0.1, max_value=10),
       st.floats(min_value=1.0, max_value=2.0), st.floats(min_value=0, max_value=10))
def test_water_is_the_sum_of_on_site_and_off_site(kwh, wue, p, ewif):
    both = fp.water(Q_(kwh, "kWh"), Q_(wue, "L/kWh"), pue=p, ewif=Q_(ewif, "L/kWh")).to("L").magnitude
    assert both == pytest.approx(kwh * wue + kwh * p * ewif, rel=1e-9)


@FAST
@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False))
def test_format_number_has_three_significant_figures(x):
    text = format_number(x)
    value = float(text.replace(",", ""))
    assert value == pytest.approx(round_sig(x, 3), rel=1e-12, abs=0)
    digits = text.replace(",", "").replace("-", "").replace(".", "").lstrip("0")
    if value != 0 and abs(value) < 1000:
        assert len(digits) == 3
