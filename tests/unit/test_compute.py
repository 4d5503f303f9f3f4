"""claimcheck.compute: expected values by hand arithmetic in each test."""

import numpy as np
import pytest

from claimcheck import compute
from claimcheck.units import Q_, UnitError
from claimcheck.validate import InputError


def test_peak_by_hand():
    # 3,000 chips x 362 TFLOP/s = 1.086e18 FLOP/s
    result = compute.peak(3000, Q_(362, "TFLOP/s"))
    assert result.check("[computation]/[time]")
    assert result.to("FLOP/s").magnitude == pytest.approx(1.086e18)


def test_training_time_by_hand():
    # 3.14e23 FLOP / (10,000 chips x 125e12 FLOP/s x 0.2) = 1.256e6 s = 14.537 days
    t = compute.training_time(Q_(3.14e23, "FLOP"), 10_000, Q_(125, "TFLOP/s"), 0.2)
    assert t.to("s").magnitude == pytest.approx(1.256e6)
    assert t.to("day").magnitude == pytest.approx(1.256e6 / 86400)


def test_utilisation_by_hand():
    u = compute.utilisation(Q_(4e21, "FLOP"), 10, Q_(1, "PFLOP/s"), Q_(1, "day"))
    # 4e21 / (10 x 1e15 x 86,400) = 4.6296: more than the hardware could do, returned not refused
    assert u.magnitude == pytest.approx(4.62963, rel=1e-5)
    assert u.dimensionless


def test_utilisation_and_training_time_are_inverse():
    flop, chips, per_chip = Q_(1e23, "FLOP"), 512, Q_(123, "TFLOP/s")
    t = compute.training_time(flop, chips, per_chip, 0.37)
    assert compute.utilisation(flop, chips, per_chip, t).magnitude == pytest.approx(0.37)


def test_arrays_flow_through():
    chips = np.array([1000.0, 2000.0])
    result = compute.peak(chips, Q_(1, "PFLOP/s"))
    np.testing.assert_allclose(result.to("FLOP/s").magnitude, [1e18, 2e18])


def test_error_messages_name_the_parameter():
    with pytest.raises(UnitError, match=r"per_chip must be a compute rate .*got a bare number 362"):
        compute.peak(3000, 362)
    with pytest.raises(UnitError, match=r"per_chip must be a compute rate.*150 MW.*a power"):
        compute.peak(3000, Q_(150, "MW"))
    with pytest.raises(InputError, match="chips must be greater than zero"):
        compute.peak(0, Q_(1, "TFLOP/s"))
    with pytest.raises(InputError, match="chips"):
        compute.peak(-5, Q_(1, "TFLOP/s"))
    with pytest.raises(UnitError, match="chips must be a count"):
        compute.peak(Q_(5, "W"), Q_(1, "TFLOP/s"))
    with pytest.raises(InputError, match=r"utilisation must be in \(0, 1\]"):
        compute.training_time(Q_(1, "FLOP"), 1, Q_(1, "FLOP/s"), 1.2)
    with pytest.raises(InputError, match="utilisation"):
        compute.training_time(Q_(1, "FLOP"), 1, Q_(1, "FLOP/s"), 0)
    with pytest.raises(InputError, match="duration must be greater than zero"):
        compute.utilisation(Q_(1, "FLOP"), 1, Q_(1, "FLOP/s"), Q_(0, "s"))
    with pytest.raises(InputError, match="NaN"):
        compute.peak(float("nan"), Q_(1, "TFLOP/s"))
    with pytest.raises(UnitError, match="flop must be a computation"):
        compute.training_time(Q_(1, "FLOP/s"), 1, Q_(1, "FLOP/s"), 0.5)


def test_ring_allreduce_by_hand():
    # 350 GB over 1,024 GPUs at 50 GB/s: 2 x 1023/1024 x 7 s = 13.986 s, plus 2 x 1023 x 3 us = 6.138 ms.
    t = compute.ring_allreduce_time(Q_(350, "GB"), 1024, Q_(50, "GB/s"), Q_(3, "us"))
    assert t.to("s").magnitude == pytest.approx(13.986328 + 0.006138, rel=1e-6)
    # One GPU has nothing to exchange.
    assert compute.ring_allreduce_time(Q_(1, "GB"), 1, Q_(1, "GB/s"), Q_(1, "us")).magnitude == 0


def test_ring_allreduce_refuses_a_bandwidth_in_bits_of_the_wrong_kind():
    with pytest.raises(ValueError, match="link_bandwidth"):
        compute.ring_allreduce_time(Q_(1, "GB"), 8, Q_(400, "W"), Q_(1, "us"))


def test_step_time_is_six_p_t_flop_over_the_cluster():
    # GPT-3: 6 x 175e9 x 3.2e6 = 3.36e18 FLOP on 1,024 x 989.4 TFLOP/s at 41 %: 8.09 s.
    t = compute.step_time(175e9, 3.2e6, 1024, Q_(989.4, "TFLOP/s"), 0.41)
    assert t.to("s").magnitude == pytest.approx(3.36e18 / (1024 * 989.4e12 * 0.41))
