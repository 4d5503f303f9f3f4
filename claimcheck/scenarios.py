"""Scenarios that several chapters share, built from ``data/`` in one place.

Colossus phase 1 (September 2024) is the machine the power, carbon and water chapters all
size. Each used to rebuild it from the same rows; now they call :func:`colossus_phase1`, so
the three agree by construction and a changed row moves all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pint

from . import footprint, sources
from .uncertainty import Range
from .units import round_sig


@dataclass(frozen=True)
class ColossusPhase1:
    """Colossus's first phase as the book models it: DGX H100 servers at their maximum IT
    power, a PUE range for a large AI site, and a load factor (the fraction of the year's
    maximum energy the servers draw).

    ``load_factor`` runs from the ratio of energy to capacity in LBNL's 2028 projections
    (low), through typical ÷ maximum server power (central, three significant figures), to
    running flat out (high). ``pue`` and ``load_factor`` are triangular ranges.
    """

    gpus: int
    gpus_per_server: int
    server_max: pint.Quantity
    server_typical: Range
    pue: Range
    load_factor: Range

    @property
    def servers(self) -> int:
        """Whole servers: the GPUs divided by the GPUs in each."""
        return self.gpus // self.gpus_per_server

    def it_power(self, load_factor=1.0) -> pint.Quantity:
        """Average IT power of every server at ``load_factor`` of its maximum (MW)."""
        return footprint.power(self.servers, self.server_max) * load_factor

    def annual_energy(self, pue, load_factor) -> pint.Quantity:
        """Facility energy in a year: servers × maximum power × PUE × 8,760 h × load
        factor (MWh)."""
        return footprint.annual_energy(
            footprint.power(self.servers, self.server_max, pue=pue), load_factor)

    def it_energy(self, duration, load_factor) -> pint.Quantity:
        """IT energy (before PUE) over ``duration`` at ``load_factor`` (MWh)."""
        return footprint.energy(self.servers, self.server_max * load_factor, duration)


def lbnl_load_factor(data_dir: Path | str | None = None) -> float:
    """US data centres' energy ÷ (capacity × a year) in LBNL's 2028 projections."""
    energy = sources.value("lbnl_dc_electricity_2028", data_dir)
    capacity = sources.value("lbnl_dc_capacity_2028", data_dir)
    return float((energy / (capacity * footprint.HOURS_PER_YEAR)).to("").magnitude)


def colossus_phase1(data_dir: Path | str | None = None) -> ColossusPhase1:
    """The shared Colossus phase 1 scenario, from ``data/`` (or ``data_dir``)."""
    server_max = sources.value("dgx_h100_max_power", data_dir)
    server_typical = Range.from_figure(
        sources.figure("dgx_h100_typical_power", data_dir), distribution="triangular")
    typical_over_max = round_sig(float((server_typical.central / server_max).to("").magnitude), 3)
    return ColossusPhase1(
        gpus=sources.count("colossus_gpus_2024_09", data_dir),
        gpus_per_server=sources.count("dgx_h100_gpus", data_dir),
        server_max=server_max,
        server_typical=server_typical,
        pue=Range.from_figure(sources.figure("pue_range_large_ai_site", data_dir),
                              distribution="triangular"),
        load_factor=Range(lbnl_load_factor(data_dir), typical_over_max, 1.0,
                          distribution="triangular"),
    )
