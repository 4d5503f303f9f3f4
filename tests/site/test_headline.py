"""claimcheck.headline.profile reproduces the chapters' published results and refuses bad input.

The expected values are the chapters' own results in the built site's results.json, not
numbers copied from the code under test.
"""

from __future__ import annotations

import json

import pytest
from conftest import SITE

from claimcheck import headline
from claimcheck.units import Q_
from claimcheck.validate import InputError

RESULTS = {r["id"]: r for r in json.loads((SITE / "results.json").read_text())["results"]} \
    if (SITE / "results.json").exists() else {}
needs_site = pytest.mark.skipif(not RESULTS, reason="needs a built site (results.json): build the book first")


def _same(est, result_id):
    """The estimate equals a published result: its prose exactly, its numbers to 1e-9."""
    r = RESULTS[result_id]
    unit = r["unit"] if r["unit"] not in ("count", "dimensionless") else "dimensionless"
    central = est.central.to(unit).magnitude
    assert central == pytest.approx(r["value"], rel=1e-9), result_id
    if r["low"] is not None:
        assert est.low.to(unit).magnitude == pytest.approx(r["low"], rel=1e-9), result_id
        assert est.high.to(unit).magnitude == pytest.approx(r["high"], rel=1e-9), result_id


@pytest.fixture(scope="module")
def colossus():
    return headline.profile("h100", 100_000, "BF16")


@needs_site
@pytest.mark.parametrize("field, result_id", [
    ("peak", "colossus_peak_bf16_h100"),
    ("exapods", "colossus_exapod_ratio"),
    ("facility_power", "colossus_facility_power"),
    ("annual_energy", "colossus_annual_energy"),
    ("annual_co2", "colossus_annual_co2_tva"),
])
def test_colossus_2024_reproduces_the_chapters(colossus, field, result_id):
    _same(getattr(colossus, field), result_id)


@needs_site
@pytest.mark.parametrize("field, result_id", [("water_onsite", "colossus_water_daily"),
                                             ("water_offsite", "colossus_water_offsite_daily")])
def test_colossus_water_matches_the_water_chapter(colossus, field, result_id):
    # The water chapter takes the load factor's mode unrounded (0.7353), the power and carbon
    # chapters to three figures (0.735): the published prose agrees, the floats to 0.1 %.
    r = RESULTS[result_id]
    w = getattr(colossus, field)
    assert str(w) == r["text"]
    for got, want in ((w.central, r["value"]), (w.low, r["low"]), (w.high, r["high"])):
        assert got.to("L/day").magnitude == pytest.approx(want, rel=1e-3)


@needs_site
def test_exapod_reproduces_the_exapod_chapters():
    pod = headline.profile("d1", int(RESULTS["exapod_chips"]["value"]), "BF16")
    _same(pod.peak, "exapod_peak_bf16")
    _same(pod.it_power, "exapod_power")
    assert pod.exapods.central.magnitude == pytest.approx(1.0)


@needs_site
def test_el_capitan_comparisons_use_the_published_peaks():
    elcap = headline.profile("mi300a", 44_544, "BF16")
    _same(elcap.peak, "elcapitan_peak_bf16")
    assert elcap.el_capitan_bf16.central.magnitude == pytest.approx(1.0)
    h = headline.profile("h100", 100_000, "BF16")
    want = RESULTS["colossus_peak_bf16_h100"]["value"] / RESULTS["elcapitan_rmax_fp64"]["value"]
    assert h.el_capitan_rmax.central.magnitude == pytest.approx(want, rel=1e-9)
    assert h.like_for_like["el_capitan_rmax"] is False


def test_training_days_follow_the_training_identity():
    p = headline.profile("h100", 1000, "BF16", training_flop=Q_(1e24, "FLOP"), utilisation=0.5)
    want = Q_(1e24, "FLOP") / (1000 * Q_(989.4e12, "FLOP/s") * 0.5)
    assert p.training_days.central.to("day").magnitude == pytest.approx(want.to("day").magnitude)
    assert p.training_days.low == p.training_days.high  # a single utilisation: no spread


def test_site_inputs_move_the_outputs_they_should():
    base = headline.profile("h100", 1000, "BF16", pue=1.2, load_factor=0.8, wue=1.0)
    coal = headline.profile("h100", 1000, "BF16", pue=1.2, load_factor=0.8, wue=1.0,
                            grid="us_coal_co2_rate_2023")
    assert coal.annual_co2.central > base.annual_co2.central
    assert coal.annual_energy.central == base.annual_energy.central
    double_pue = headline.profile("h100", 1000, "BF16", pue=2.4, load_factor=0.8, wue=1.0)
    assert double_pue.facility_power.central.magnitude == pytest.approx(2 * base.facility_power.central.magnitude)
    assert double_pue.water_onsite.central == base.water_onsite.central  # on-site water is per IT kWh


@pytest.mark.parametrize("args, kwargs, message", [
    (("tpu9", 10, "BF16"), {}, "unknown accelerator 'tpu9'"),
    (("h200", 10, "FP32"), {}, "no published dense FP32 rate"),
    (("d1", 10, "FP8"), {}, "no published dense FP8 rate"),
    (("h100", 10, "BF16"), {"sparsity": "sparse"}, "sparse (2:4) rate"),
    (("h100", 0, "BF16"), {}, "count must be a whole number"),
    (("h100", 2.5, "BF16"), {}, "count must be a whole number"),
    (("h100", 10, "BF16"), {"pue": 0.9}, "pue must be in [1"),
    (("h100", 10, "BF16"), {"load_factor": 1.2}, "load_factor must be in (0"),
    (("h100", 10, "BF16"), {"load_factor": 0}, "load_factor must be in (0"),
    (("h100", 10, "BF16"), {"wue": -0.1}, "wue must be in [0"),
    (("h100", 10, "BF16"), {"grid": Q_(-5, "g/kWh")}, "zero or more"),
    (("h100", 10, "BF16"), {"grid": "no_such_grid"}, "unknown grid"),
    (("h100", 10, "BF16"), {"grid": Q_(5, "L/kWh")}, "carbon intensity"),
    (("h100", 10, "BF16"), {"utilisation": 1.5}, "utilisation must be in (0"),
    (("h100", 10, "BF16"), {"training_flop": Q_(1, "W")}, "training_flop must be"),
])
def test_bad_input_is_refused_with_a_clear_error(args, kwargs, message):
    with pytest.raises(InputError) as err:
        headline.profile(*args, **kwargs)
    assert message in str(err.value)


def test_a_sparse_only_rate_is_not_used_as_dense():
    # GB200's FP4 rate is published with sparsity only.
    with pytest.raises(InputError, match="only a sparse FP4 rate"):
        headline.profile("gb200", 72, "FP4")


def test_no_power_figure_means_no_power_outputs_not_a_guess():
    p = headline.profile("mi250x", 100, "BF16")
    assert p.it_power is None and p.annual_co2 is None and "no power figure" in p.missing
