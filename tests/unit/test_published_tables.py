"""Validation against published accounting.

1. Patterson et al. (2021), "Carbon Emissions and Large Neural Network Training",
   arXiv:2104.10350, Table 4 ("CO2e for NLP models"). Inputs and expected outputs are
   typed from the table: number of chips, measured system average power per accelerator
   (W; not TDP), training time (days), datacenter PUE, net and gross CO2e per kWh, total
   computation, energy consumption (MWh), gross and net tCO2e.
2. The Green500 identity, energy efficiency = Rmax / power, for TOP500 systems.

"Within the rounding of the published tables": the table prints its inputs rounded
(3.1 days, 288 W, 1.09 PUE), so our energy from those inputs can differ from the
published energy (computed by the authors from unrounded inputs). Each test checks that
the published value lies inside the interval the rounded inputs allow, *and* that our
central value is within 1 % (energy) or 2 % (tCO2e) of the published one.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from claimcheck import compute
from claimcheck import footprint as fp
from claimcheck.units import Q_, round_sig


@dataclass(frozen=True)
class Row:
    model: str
    chips: int
    watts: str           # measured system average power per accelerator (W), as printed
    days: str            # training time (days), as printed
    pue: str             # datacenter PUE, as printed
    net_kg_per_kwh: str  # datacenter net CO2e/kWh (kg/kWh), as printed
    gross_kg_per_kwh: str
    tflops: str          # measured performance per chip (TFLOP/s), as printed
    total_flop: float    # total computation (FLOP), as printed
    mwh: str             # energy consumption (MWh), as printed
    net_t: str           # net tCO2e for model training, as printed
    gross_t: str         # gross tCO2e for model training, as printed


# Patterson et al. (2021), arXiv:2104.10350, Table 4, one column per model.
PATTERSON_TABLE_4 = [
    Row("Evolved Transformer NAS", 200, "208", "6.8", "1.10", "0.431", "0.431", "24.8", 2.91e21, "7.5", "3.2", "3.2"),
    Row("T5", 512, "310", "20", "1.12", "0.545", "0.545", "45.6", 4.05e22, "85.7", "46.7", "46.7"),
    Row("Meena", 1024, "289", "30", "1.09", "0.415", "0.415", "42.3", 1.12e23, "232", "96.4", "96.4"),
    Row("GShard-600B", 1024, "288", "3.1", "1.09", "0.177", "0.201", "48.0", 1.33e22, "24.1", "4.3", "4.8"),
    Row("Switch Transformer", 1024, "245", "27", "1.10", "0.330", "0.403", "34.4", 8.22e22, "179", "59.1", "72.2"),
    Row("GPT-3", 10_000, "330", "14.8", "1.10", "0.429", "0.429", "24.6", 3.14e23, "1287", "552.1", "552.1"),
]
IDS = [r.model for r in PATTERSON_TABLE_4]


def half_unit(printed: str) -> float:
    """Half a unit in the last printed digit: '3.1' -> 0.05, '288' -> 0.5."""
    return 0.5 * 10.0 ** Decimal(printed).as_tuple().exponent


def bounds(printed: str) -> tuple[float, float]:
    x, h = float(printed), half_unit(printed)
    return x - h, x + h


def energy_of(row: Row, pick) -> float:
    """fp.energy in MWh with each printed input replaced by pick(printed)."""
    return fp.energy(row.chips, Q_(pick(row.watts), "W"), Q_(pick(row.days), "day"),
                     pue=max(pick(row.pue), 1.0)).to("MWh").magnitude


@pytest.mark.parametrize("row", PATTERSON_TABLE_4, ids=IDS)
def test_patterson_energy_mwh(row):
    central = energy_of(row, float)
    low = energy_of(row, lambda s: bounds(s)[0])
    high = energy_of(row, lambda s: bounds(s)[1])
    published, h = float(row.mwh), half_unit(row.mwh)
    assert low - h <= published <= high + h
    assert central == pytest.approx(published, rel=0.01)


@pytest.mark.parametrize("row", PATTERSON_TABLE_4, ids=IDS)
def test_patterson_net_tco2e_end_to_end(row):
    """chips x W x days x PUE x net tCO2e/MWh reproduces the published net tCO2e."""
    def tco2e(pick, intensity):
        e = Q_(energy_of(row, pick), "MWh")
        return fp.emissions(e, Q_(pick(intensity), "kg/kWh")).to("tonne").magnitude

    for intensity, printed in ((row.net_kg_per_kwh, row.net_t), (row.gross_kg_per_kwh, row.gross_t)):
        published, h = float(printed), half_unit(printed)
        low = tco2e(lambda s: bounds(s)[0], intensity)
        high = tco2e(lambda s: bounds(s)[1], intensity)
        assert low - h <= published <= high + h
        assert tco2e(float, intensity) == pytest.approx(published, rel=0.02)


@pytest.mark.parametrize("row", PATTERSON_TABLE_4, ids=IDS)
def test_patterson_emissions_from_published_energy(row):
    """The table's own MWh x net CO2e/kWh gives its tCO2e, to the printed precision."""
    mwh_lo, mwh_hi = bounds(row.mwh)
    i_lo, i_hi = bounds(row.net_kg_per_kwh)
    low = fp.emissions(Q_(mwh_lo, "MWh"), Q_(i_lo, "kg/kWh")).to("tonne").magnitude
    high = fp.emissions(Q_(mwh_hi, "MWh"), Q_(i_hi, "kg/kWh")).to("tonne").magnitude
    published, h = float(row.net_t), half_unit(row.net_t)
    assert low - h <= published <= high + h


@pytest.mark.parametrize("row", PATTERSON_TABLE_4, ids=IDS)
def test_patterson_total_computation_and_training_time(row):
    """Total FLOP = chips x measured FLOP/s x time: training_time at utilisation 1 of the
    *measured* rate gives back the printed training days (to 1.5 %)."""
    t = compute.training_time(Q_(row.total_flop, "FLOP"), row.chips, Q_(float(row.tflops), "TFLOP/s"), 1.0)
    assert t.to("day").magnitude == pytest.approx(float(row.days), rel=0.015)


# Green500 efficiency = Rmax / power, as published (efficiency to 4 significant figures).
# Frontier, June 2022: Rmax 1.102 EFLOP/s, 21.1 MW, 52.23 GFLOPS/W (top500.org/lists/top500/2022/06).
# El Capitan, November 2024: Rmax 1.742 EFLOP/s, 29,581 kW, 58.89 GFLOPS/W (TOP500 November 2024 list).
# Aurora, June 2024: Rmax 1.012 EFLOP/s, 38,698 kW, 26.15 GFLOPS/W (TOP500/Green500 June 2024 list).
GREEN500 = [
    ("Frontier 2022-06", Q_(1.102, "EFLOP/s"), Q_(21.1, "MW"), 52.23),
    ("El Capitan 2024-11", Q_(1.742, "EFLOP/s"), Q_(29_581, "kW"), 58.89),
    ("Aurora 2024-06", Q_(1.012, "EFLOP/s"), Q_(38_698, "kW"), 26.15),
]


@pytest.mark.parametrize("name, rmax, power, gflops_per_watt", GREEN500, ids=[g[0] for g in GREEN500])
def test_green500_efficiency(name, rmax, power, gflops_per_watt):
    eff = fp.efficiency(rmax, power).to("GFLOP/s/W").magnitude
    assert round_sig(eff, 4) == pytest.approx(gflops_per_watt)
