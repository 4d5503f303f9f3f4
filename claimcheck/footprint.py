"""Footprint: energy, emissions, water and efficiency of a computing facility.

Conventions (see the Methods page):

* *IT energy* is what the chips and their servers draw; *facility energy* is IT energy
  times PUE (The Green Grid, 2007), which adds cooling, power conversion and lighting.
* Grid intensity is whatever the caller passes: location-based (the grid average)
  or market-based (after contracts). Patterson et al. (2021) use the net (market) value.
* Water: on-site WUE per kWh of IT energy (The Green Grid, 2011) plus, optionally,
  off-site water for generating the electricity (EWIF) per kWh of facility energy.
* Turbine emissions use fuel heat = electricity x heat rate and an emission factor per
  unit of fuel heat (EPA AP-42, Chapter 3.1, stationary gas turbines).
"""

from __future__ import annotations

from . import validate as v
from .units import Q_

#: Hours in the year used for annual energy: 8,760 h (365 days), as EIA uses.
HOURS_PER_YEAR = Q_(8760, "hour")


def energy(chips, power_per_chip, duration, pue=1.0, overhead=1.0):
    """Facility energy of a run.

    .. math:: E = N_\\text{chips} \\times P_\\text{chip} \\times k_\\text{overhead}
              \\times t \\times \\text{PUE}

    ``power_per_chip`` is the average power per accelerator: use the *measured system*
    power per accelerator (chip, memory, host CPU, network, fans) where known, as
    Patterson et al. (2021, Table 4) do, not the chip TDP. ``overhead`` (> 0) scales it
    for what ``power_per_chip`` leaves out (e.g. 1.3 for host servers and networking
    when only the GPU TDP is known). ``pue`` (>= 1) turns IT energy into facility
    energy (The Green Grid, 2007); with the default ``pue=1`` the result is IT energy.
    Returns MWh.
    """
    chips = v.count("chips", chips)
    power_per_chip = v.quantity("power_per_chip", power_per_chip, "power")
    duration = v.quantity("duration", duration, "time")
    pue = v.ratio("pue", pue, low=1, meaning="facility energy / IT energy cannot be below 1")
    overhead = v.ratio("overhead", overhead, low=0, low_inclusive=False,
                       meaning="a multiplier on power per chip")
    return (chips * power_per_chip * overhead * duration * pue).to("MWh")


def power(chips, power_per_chip, pue=1.0, overhead=1.0):
    """Power draw of a cluster: what :func:`energy` integrates over time.

    .. math:: P = N_\text{chips} \times P_\text{chip} \times k_\text{overhead} \times \text{PUE}

    Same arguments and checks as :func:`energy`; with ``pue=1`` the result is IT power,
    with a PUE it is facility power (The Green Grid, 2007). Returns MW.
    """
    one_hour = Q_(1, "hour")
    return (energy(chips, power_per_chip, one_hour, pue=pue, overhead=overhead) / one_hour).to("MW")


def emissions(energy, intensity):
    """Emissions from electricity use.

    .. math:: m_{\\text{CO}_2\\text{e}} = E \\times I

    ``intensity`` is in any mass-per-energy unit (``g/kWh``, ``kg/MWh``, ``lb/MWh``,
    ``t/MWh``). Location-based or market-based accounting is the caller's choice of
    ``intensity`` (GHG Protocol Scope 2). Source: Patterson et al. (2021), Table 4
    (tCO2e = MWh x tCO2e/MWh). Returns tonnes.
    """
    energy = v.quantity("energy", energy, "energy")
    intensity = v.quantity("intensity", intensity, "mass per energy")
    return (energy * intensity).to("tonne")


def water(it_energy, wue, pue=1.0, ewif=0):
    """Water consumed: on-site cooling water plus (optionally) off-site generation water.

    .. math:: W = E_\\text{IT} \\times \\text{WUE} + E_\\text{IT} \\times \\text{PUE}
              \\times \\text{EWIF}

    WUE is site water per kWh of *IT* energy (The Green Grid, 2011); EWIF (energy water
    intensity factor) is water consumed by power plants per kWh of *facility* energy.
    ``ewif`` may be a bare 0 (leave off-site water out) or a volume-per-energy
    Quantity. Returns litres.
    """
    it_energy = v.quantity("it_energy", it_energy, "energy")
    wue = v.quantity("wue", wue, "volume per energy")
    pue = v.ratio("pue", pue, low=1, meaning="facility energy / IT energy cannot be below 1")
    ewif = v.zero_or_quantity("ewif", ewif, "volume per energy")
    return (it_energy * wue + it_energy * pue * ewif).to("L")


def efficiency(flops, power):
    """Energy efficiency as the Green500 defines it.

    .. math:: \\eta = R / P

    ``flops`` is a compute rate (for the Green500, the HPL Rmax, FP64); ``power`` the
    power drawn while achieving it. Returns FLOP/s per W (numerically FLOP per joule).
    """
    flops = v.quantity("flops", flops, "compute rate")
    power = v.quantity("power", power, "power", positive=True)
    return (flops / power).to("FLOP/s/W")


def turbine_emissions(electricity, heat_rate, emission_factor):
    """Emissions from generating ``electricity`` in a fuel-burning turbine.

    .. math:: m = E_\\text{el} \\times \\text{HR} \\times \\text{EF}

    Fuel heat input is electricity x heat rate (``Btu/kWh`` or ``MMBtu/MWh``; at least
    3,412 Btu/kWh, i.e. 100 % efficiency); the emission factor is mass per unit of fuel
    heat (``kg/MMBtu`` of CO2, ``lb/MMBtu`` of NOx), as tabulated in EPA AP-42 Chapter
    3.1. This is an estimate from factors, not a measured (stack-tested) emission; a
    permit's potential to emit assumes full-time operation at rated output. Returns tonnes.
    """
    electricity = v.quantity("electricity", electricity, "energy")
    heat_rate = v.quantity("heat_rate", heat_rate, "heat rate", positive=True)
    emission_factor = v.quantity("emission_factor", emission_factor, "mass per energy")
    return (electricity * heat_rate * emission_factor).to("tonne")


def average_power(energy, duration):
    """Average power over a period: :math:`\\bar P = E / t`. Returns MW."""
    energy = v.quantity("energy", energy, "energy")
    duration = v.quantity("duration", duration, "time", positive=True)
    return (energy / duration).to("MW")


def annual_energy(power, load_factor=1.0):
    """Energy in a year at ``power`` for a fraction ``load_factor`` (0, 1] of the time.

    .. math:: E_\\text{year} = P \\times 8760\\,\\text{h} \\times \\text{LF}

    A year is 8,760 hours (365 days). Returns MWh.
    """
    power = v.quantity("power", power, "power")
    load_factor = v.ratio("load_factor", load_factor, low=0, high=1, low_inclusive=False,
                          meaning="a fraction of the year")
    return (power * HOURS_PER_YEAR * load_factor).to("MWh")
