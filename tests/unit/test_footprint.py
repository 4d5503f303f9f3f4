"""claimcheck.footprint: expected values by hand arithmetic in each test."""

import numpy as np
import pytest

from claimcheck import footprint as fp
from claimcheck.units import Q_, UnitError
from claimcheck.validate import InputError


def test_energy_by_hand():
    # 1,000 chips x 700 W x 1.5 overhead x 30 days x 24 h x 1.2 PUE
    # = 1,000 x 700 x 1.5 x 720 h x 1.2 = 907,200,000 Wh = 907.2 MWh
    e = fp.energy(1000, Q_(700, "W"), Q_(30, "day"), pue=1.2, overhead=1.5)
    assert e.to("MWh").magnitude == pytest.approx(907.2)


def test_energy_default_is_it_energy():
    # 10 chips x 1 kW x 1 hour = 10 kWh
    assert fp.energy(10, Q_(1, "kW"), Q_(1, "hour")).to("kWh").magnitude == pytest.approx(10)


def test_energy_errors():
    with pytest.raises(UnitError, match=r"power_per_chip must be a power \(e\.g\. Q_\(700, 'W'\)\), got a bare number 700"):
        fp.energy(1000, 700, Q_(1, "day"))
    with pytest.raises(UnitError, match="duration must be a time"):
        fp.energy(1000, Q_(700, "W"), Q_(1, "MWh"))
    with pytest.raises(InputError, match="power_per_chip must not be negative"):
        fp.energy(1000, Q_(-700, "W"), Q_(1, "day"))
    with pytest.raises(InputError, match="duration must not be negative"):
        fp.energy(1000, Q_(700, "W"), Q_(-1, "day"))
    with pytest.raises(InputError, match="chips must be greater than zero"):
        fp.energy(0, Q_(700, "W"), Q_(1, "day"))
    with pytest.raises(InputError, match=r"pue must be in \[1, inf\)"):
        fp.energy(1, Q_(700, "W"), Q_(1, "day"), pue=0.95)
    with pytest.raises(InputError, match="overhead"):
        fp.energy(1, Q_(700, "W"), Q_(1, "day"), overhead=0)
    with pytest.raises(InputError, match="pue.*one of 3 values"):
        fp.energy(1, Q_(700, "W"), Q_(1, "day"), pue=np.array([1.1, 0.9, 1.2]))


@pytest.mark.parametrize("intensity, tonnes", [
    (Q_(429, "g/kWh"), 429.0),           # 1,000 MWh x 0.429 t/MWh
    (Q_(429, "kg/MWh"), 429.0),
    (Q_(1000, "lb/MWh"), 453.59237),     # 1,000 MWh x 1,000 lb x 0.45359237 kg/lb
])
def test_emissions_any_intensity_unit(intensity, tonnes):
    assert fp.emissions(Q_(1000, "MWh"), intensity).to("tonne").magnitude == pytest.approx(tonnes)


def test_emissions_errors():
    with pytest.raises(UnitError, match="intensity must be a mass per energy"):
        fp.emissions(Q_(1, "MWh"), 0.4)
    with pytest.raises(UnitError, match="energy must be an energy.*a power"):
        fp.emissions(Q_(1, "MW"), Q_(400, "g/kWh"))


def test_water_on_site_and_off_site():
    # on-site: 1,000 MWh IT x 1.8 L/kWh = 1.8e6 L
    assert fp.water(Q_(1000, "MWh"), Q_(1.8, "L/kWh")).to("L").magnitude == pytest.approx(1.8e6)
    # off-site: 1,000 MWh x 1.2 PUE x 3.1 L/kWh = 3.72e6 L; total 5.52e6 L
    total = fp.water(Q_(1000, "MWh"), Q_(1.8, "L/kWh"), pue=1.2, ewif=Q_(3.1, "L/kWh"))
    assert total.to("L").magnitude == pytest.approx(5.52e6)
    # gallons per MWh are fine: 1 gal/MWh x 1,000 MWh = 3,785.41 L
    assert fp.water(Q_(1000, "MWh"), Q_(1, "gallon/MWh")).to("L").magnitude == pytest.approx(3785.411784)


def test_water_errors():
    with pytest.raises(UnitError, match="ewif must be a volume per energy"):
        fp.water(Q_(1, "MWh"), Q_(1, "L/kWh"), ewif=3.1)
    with pytest.raises(UnitError, match="wue"):
        fp.water(Q_(1, "MWh"), Q_(1, "L"))


def test_efficiency_by_hand():
    # 1 EFLOP/s / 20 MW = 5e10 FLOP/s/W = 50 GFLOP/s/W
    assert fp.efficiency(Q_(1, "EFLOP/s"), Q_(20, "MW")).to("GFLOP/s/W").magnitude == pytest.approx(50)
    with pytest.raises(InputError, match="power must be greater than zero"):
        fp.efficiency(Q_(1, "EFLOP/s"), Q_(0, "MW"))


def test_turbine_emissions_by_hand():
    # 1 MWh x 9,000 Btu/kWh = 9 MMBtu of fuel; x 53.06 kg CO2/MMBtu = 477.54 kg
    m = fp.turbine_emissions(Q_(1, "MWh"), Q_(9000, "Btu/kWh"), Q_(53.06, "kg/MMBtu"))
    assert m.to("kg").magnitude == pytest.approx(477.54)
    # the same heat rate written as MMBtu/MWh, NOx factor in lb/MMBtu: 9 x 0.0328 = 0.2952 lb
    nox = fp.turbine_emissions(Q_(1, "MWh"), Q_(9, "MMBtu/MWh"), Q_(0.0328, "lb/MMBtu"))
    assert nox.to("lb").magnitude == pytest.approx(0.2952)


def test_turbine_emissions_errors():
    with pytest.raises(UnitError, match="heat_rate must be a heat rate.*bare number 9000"):
        fp.turbine_emissions(Q_(1, "MWh"), 9000, Q_(53.06, "kg/MMBtu"))
    with pytest.raises(InputError, match="3,412 Btu/kWh"):
        fp.turbine_emissions(Q_(1, "MWh"), Q_(3000, "Btu/kWh"), Q_(53.06, "kg/MMBtu"))
    with pytest.raises(UnitError, match="emission_factor"):
        fp.turbine_emissions(Q_(1, "MWh"), Q_(9000, "Btu/kWh"), Q_(53.06, "kg"))


def test_average_power_and_annual_energy():
    # 8,760 MWh over a 365-day year = 1 MW
    assert fp.average_power(Q_(8760, "MWh"), Q_(365, "day")).to("MW").magnitude == pytest.approx(1)
    # 150 MW x 8,760 h x 0.8 = 1,051,200 MWh
    assert fp.annual_energy(Q_(150, "MW"), 0.8).to("MWh").magnitude == pytest.approx(1_051_200)
    with pytest.raises(InputError, match="load_factor"):
        fp.annual_energy(Q_(150, "MW"), 1.5)


def test_power_is_energy_per_unit_time():
    # 100,000 GPUs x 700 W = 70 MW of IT power; with PUE 1.2, 84 MW of facility power.
    assert fp.power(100_000, Q_(700, "W")).to("MW").magnitude == pytest.approx(70)
    assert fp.power(100_000, Q_(700, "W"), pue=1.2).to("MW").magnitude == pytest.approx(84)
    with pytest.raises(ValueError, match="pue"):
        fp.power(10, Q_(1, "kW"), pue=0.9)
