"""Check the next headline: one profile of any AI cluster, from the book's data and formulas.

:func:`profile` takes an accelerator (the prefix of its rows in ``data/accelerators.csv``,
e.g. ``"h100"``), a count and a precision, plus optional site inputs, and returns a
:class:`Profile`: dense peak, the peak in ExaPODs, El Capitan and Colossus (2024), IT and
facility power, annual energy and its share of US data-centre electricity, annual CO2,
daily on-site and off-site water and, for a training budget, the days a run takes. Every
output is an :class:`~claimcheck.uncertainty.Estimate` (median, 5th and 95th percentiles).

It is built from the same calls the chapters make (``compute.peak``, ``footprint.power``,
``annual_energy``, ``emissions``, ``water``, ``compute.training_time``), with the same
default ranges and the same Monte Carlo order and seed, so with Colossus's 2024 inputs it
reproduces the Colossus, power, carbon and water chapters, and with 3,000 D1 chips the
ExaPOD chapters (tests/site/test_headline.py checks this against results.json).

It refuses rather than guesses: an unknown accelerator, a precision with no published
rate (no fallback to another precision), a sparse figure asked for as dense, and site
inputs outside their physical range each raise :class:`~claimcheck.validate.InputError`.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pint

from . import compute, footprint, sources
from .uncertainty import (
    DEFAULT_N,
    DEFAULT_SEED,
    Estimate,
    Range,
    monte_carlo,
)
from .units import Q_, round_sig
from .validate import InputError

__all__ = ["Profile", "profile", "accelerators", "precisions", "DEFAULTS"]

YEAR = Q_(1, "year")
DAY = Q_(1, "day")
#: Assumption of the power-and-energy chapter: a Dojo cabinet adds at most 30 % to its
#: trays (host assembly, network, pumps). Kept in step with that chapter by the tests.
DOJO_CABINET_OVERHEAD = 1.3
#: Figure ids of the book's defaults for the site inputs.
DEFAULTS = {"pue": "pue_range_large_ai_site", "wue": "wue_range_for_estimates",
            "grid": "tva_co2_rate_2023", "ewif": "ewif_dc_weighted",
            "utilisation": "mfu_published_range"}


def _accelerator_rows():
    acc = sources.load_table("accelerators")
    acc = acc[(acc["kind"] == "peak") & acc["precision"].astype(bool)].copy()
    acc["accelerator"] = acc["id"].str.split("_").str[0]
    return acc


def accelerators() -> dict[str, str]:
    """Accelerator id -> name, for every accelerator with at least one published dense peak."""
    acc = _accelerator_rows()
    acc = acc[acc["sparsity"] == "dense"]
    return dict(zip(acc["accelerator"], acc["entity"], strict=True))


def precisions(accelerator: str) -> dict[str, str]:
    """Precision -> figure id of the accelerator's published dense peak at that precision."""
    acc = _accelerator_rows()
    known = sorted(set(acc["accelerator"]))
    if accelerator not in known:
        raise InputError(f"unknown accelerator {accelerator!r}: data/accelerators.csv has peak "
                         f"rates for {', '.join(known)}")
    rows = acc[(acc["accelerator"] == accelerator) & (acc["sparsity"] == "dense")]
    return dict(zip(rows["precision"], rows["id"], strict=True))


def _rate_figure(accelerator: str, precision: str, sparsity: str):
    if sparsity != "dense":
        raise InputError(f"sparsity must be 'dense', got {sparsity!r}: a sparse (2:4) rate counts "
                         "the zeros it skips, so it is not comparable with dense peaks")
    dense = precisions(accelerator)
    if precision in dense:
        return sources.figure(dense[precision])
    acc = _accelerator_rows()
    sparse = acc[(acc["accelerator"] == accelerator) & (acc["precision"] == precision)]
    name = accelerators().get(accelerator, accelerator)
    if len(sparse):
        raise InputError(f"{name} has only a sparse {precision} rate ({sparse['id'].iloc[0]}); "
                         f"a sparse figure cannot be used as a dense one")
    raise InputError(f"{name} has no published dense {precision} rate; it has "
                     f"{', '.join(dense) or 'none'} (no other precision is used in its place)")


def _power_per_accelerator(accelerator: str):
    """IT power of one accelerator at full draw, and the overhead Range on it, with the ids used.

    H100: its DGX server's maximum / 8 (power-and-energy chapter). D1: its tile's power / 25,
    with the cabinet overhead range of that chapter. Any other accelerator with a TDP row:
    TDP × the DGX H100 ratio of server maximum to GPU TDP (an assumption: a server like a DGX).
    None when the data have no power figure.
    """
    v = sources.value
    if accelerator == "h100":
        return (v("dgx_h100_max_power") / v("dgx_h100_gpus").magnitude, Range.point(1.0),
                ["dgx_h100_max_power", "dgx_h100_gpus"])
    if accelerator == "d1":
        tile = v("dojo_tile_power")
        tray_overhead = (v("dojo_tray_power") / (v("dojo_tray_tiles").magnitude * tile)).to("").magnitude
        overhead = Range(1.0, tray_overhead, DOJO_CABINET_OVERHEAD, distribution="triangular")
        return (tile / v("dojo_tile_chips").magnitude, overhead,
                ["dojo_tile_power", "dojo_tile_chips", "dojo_tray_power", "dojo_tray_tiles"])
    tdp_id = f"{accelerator}_tdp"
    if tdp_id not in sources.figures():
        return None, None, []
    k = (v("dgx_h100_max_power") / (v("dgx_h100_gpus").magnitude * v("h100_tdp"))).to("").magnitude
    return v(tdp_id) * k, Range.point(1.0), [tdp_id, "dgx_h100_max_power", "dgx_h100_gpus", "h100_tdp"]


def default_load_factor() -> Range:
    """The power and carbon chapters' load factor: LBNL's 2028 fleet average to 1, mode at a
    DGX H100's typical / maximum draw (three figures)."""
    v = sources.value
    central = round_sig((v("dgx_h100_typical_power") / v("dgx_h100_max_power")).to("").magnitude, 3)
    lbnl = (v("lbnl_dc_electricity_2028")
            / (v("lbnl_dc_capacity_2028") * footprint.HOURS_PER_YEAR)).to("").magnitude
    return Range(lbnl, central, 1.0, distribution="triangular")


def _site(name, value, default_id, unit, *, low=None, high=None, low_open=False, meaning=""):
    """A site input as a Range: the book's default, a single value, or (low, central, high)."""
    if value is None:
        fig = sources.figure(default_id)
        return Range.from_figure(fig, distribution="triangular") if fig.has_range else Range.point(fig.value)
    if isinstance(value, Range):
        parts = (value.low, value.central, value.high)
    elif isinstance(value, tuple) and len(value) == 3:
        parts = value
    else:
        parts = (value,)
    mags = []
    for p in parts:
        if isinstance(p, bool) or not isinstance(p, (numbers.Real, pint.Quantity)):
            raise InputError(f"{name} must be a number or a quantity, got {p!r}")
        if unit is not None and not isinstance(p, pint.Quantity):
            p = Q_(p, unit)
        if unit is None and isinstance(p, pint.Quantity):
            p = p.to("dimensionless").magnitude
        m = float(p.to(unit).magnitude) if unit is not None else float(p)
        if not np.isfinite(m):
            raise InputError(f"{name} must be finite, got {p!r}")
        if (low is not None and (m <= low if low_open else m < low)) or (high is not None and m > high):
            interval = f"{'(' if low_open else '['}{low}, {high if high is not None else 'inf'}]"
            raise InputError(f"{name} must be in {interval}{' (' + meaning + ')' if meaning else ''}, got {m:g}")
        mags.append(p)
    if len(mags) == 1:
        return Range.point(mags[0])
    return Range(*mags, distribution="triangular")


def _grid(grid):
    if grid is None:
        grid = DEFAULTS["grid"]
    if isinstance(grid, str):
        if grid not in sources.figures():
            raise InputError(f"unknown grid {grid!r}: give a carbon-intensity figure id from "
                             "data/environment.csv (e.g. 'us_co2_rate_2023') or a quantity")
        q = sources.value(grid)
    else:
        q = grid
    if not isinstance(q, pint.Quantity) or not q.check("[mass]/[energy]"):
        raise InputError(f"grid must be a carbon intensity (mass per energy, e.g. Q_(400, 'g/kWh')), got {q!r}")
    if q.magnitude < 0 or not np.isfinite(q.magnitude):
        raise InputError(f"grid carbon intensity must be zero or more, got {q}")
    return q


def _scaled(est: Estimate, factor) -> Estimate:
    return Estimate(est.central * factor, est.low * factor, est.high * factor)


@dataclass(frozen=True)
class Profile:
    """What a cluster is and what it takes; every number an Estimate (median, 5th–95th percentiles).

    Power-related fields are None when the data have no power figure for the accelerator
    (``missing`` says why); ``training_days`` is None without a training budget.
    """

    accelerator: str
    name: str
    count: int
    precision: str
    peak: Estimate                      # FLOP/s, <precision>, dense, peak
    exapods: Estimate                   # peak / ExaPOD BF16 dense peak
    el_capitan_bf16: Estimate           # peak / El Capitan BF16 dense peak
    el_capitan_rmax: Estimate           # peak / El Capitan FP64 Rmax (measured)
    colossus_2024: Estimate             # peak / Colossus 2024 (100,000 H100) BF16 dense peak
    it_power: Estimate | None = None
    facility_power: Estimate | None = None
    annual_energy: Estimate | None = None          # facility energy per year
    us_dc_share: Estimate | None = None            # of US data centres' 2023 electricity
    annual_co2: Estimate | None = None             # tonnes per year on the chosen grid
    water_onsite: Estimate | None = None           # litres per day
    water_offsite: Estimate | None = None          # litres per day at power stations
    training_days: Estimate | None = None
    like_for_like: dict = field(default_factory=dict)
    figures: tuple = ()
    missing: str = ""


def profile(accelerator: str, count, precision: str, *, sparsity: str = "dense", pue=None,
            load_factor=None, grid=None, wue=None, ewif=None, training_flop=None,
            utilisation=None, n: int = DEFAULT_N, seed: int = DEFAULT_SEED) -> Profile:
    """Profile ``count`` accelerators at ``precision`` (dense peak), on a site.

    Site inputs (each None for the book's default range, a single value, or a
    ``(low, central, high)`` tuple or Range, drawn triangular): ``pue`` (>= 1),
    ``load_factor`` (in (0, 1]), ``wue`` (L per kWh of IT energy, >= 0), ``ewif`` (L per
    kWh of facility energy, >= 0). ``grid`` is a carbon-intensity figure id from
    data/environment.csv or a mass-per-energy Quantity (default TVA 2023).
    ``training_flop`` is a FLOP Quantity or a figure id (e.g. ``"llama3_training_compute"``);
    ``utilisation`` the model FLOP utilisation in (0, 1] (default: the published range).
    """
    if isinstance(count, bool) or not isinstance(count, numbers.Integral) or count < 1:
        raise InputError(f"count must be a whole number of accelerators, at least 1, got {count!r}")
    count = int(count)
    rate_fig = _rate_figure(accelerator, precision, sparsity)
    v = sources.value
    used = [rate_fig.id]

    rate = rate_fig.value
    low = rate_fig.low if rate_fig.low is not None else rate
    high = rate_fig.high if rate_fig.high is not None else rate
    peak = Estimate(compute.peak(count, rate), compute.peak(count, low), compute.peak(count, high))

    pod_chips = int(np.prod([v(i).magnitude for i in ("dojo_tile_chips", "dojo_tray_tiles",
                                                       "dojo_cabinet_trays", "dojo_exapod_cabinets")]))
    pod = compute.peak(pod_chips, v("d1_peak_bf16"))
    elcap_bf16 = compute.peak(int(v("elcapitan_apu_count").magnitude), v("mi300a_bf16_dense"))
    elcap_rmax = v("elcapitan_2024nov_rmax")
    colossus = compute.peak(int(v("colossus_gpus_2024_09").magnitude), v("h100_bf16_dense"))
    used += ["dojo_tile_chips", "dojo_tray_tiles", "dojo_cabinet_trays", "dojo_exapod_cabinets",
             "d1_peak_bf16", "elcapitan_apu_count", "mi300a_bf16_dense", "elcapitan_2024nov_rmax",
             "colossus_gpus_2024_09", "h100_bf16_dense"]
    ratio = lambda ref: _scaled(peak, 1 / ref).to("dimensionless")  # noqa: E731
    out = dict(
        accelerator=accelerator, name=rate_fig.entity, count=count, precision=precision, peak=peak,
        exapods=ratio(pod), el_capitan_bf16=ratio(elcap_bf16), el_capitan_rmax=ratio(elcap_rmax),
        colossus_2024=ratio(colossus),
        like_for_like={"exapods": precision == "BF16", "el_capitan_bf16": precision == "BF16",
                       "el_capitan_rmax": False, "colossus_2024": precision == "BF16"},
    )

    pue_r = _site("pue", pue, DEFAULTS["pue"], None, low=1,
                  meaning="facility energy / IT energy cannot be below 1")
    lf_r = default_load_factor() if load_factor is None else _site(
        "load_factor", load_factor, None, None, low=0, high=1, low_open=True, meaning="a fraction of the year")
    wue_r = _site("wue", wue, DEFAULTS["wue"], "L/kWh", low=0)
    ewif_q = _site("ewif", ewif, DEFAULTS["ewif"], "L/kWh", low=0)
    intensity = _grid(grid)
    util_r = _site("utilisation", utilisation, DEFAULTS["utilisation"], None, low=0, high=1,
                   low_open=True, meaning="a fraction of peak")

    if training_flop is not None:
        flop = v(training_flop) if isinstance(training_flop, str) else training_flop
        if isinstance(training_flop, str):
            used.append(training_flop)
        if not isinstance(flop, pint.Quantity) or not flop.check("[computation]") or flop.magnitude <= 0:
            raise InputError(f"training_flop must be a positive amount of computation "
                             f"(e.g. Q_(3.8e25, 'FLOP')), got {flop!r}")
        util_c = util_r.central
        out["training_days"] = Estimate(
            compute.training_time(flop, count, rate, util_c), *(
                lambda e: (e.low, e.high))(monte_carlo(lambda u: compute.training_time(flop, count, rate, u),
                                                         util_r, n=n, seed=seed)))

    per, overhead, power_ids = _power_per_accelerator(accelerator)
    if per is None:
        out["missing"] = (f"data/accelerators.csv has no power figure for {rate_fig.entity}, "
                          "so power, energy, CO2 and water are not computed")
        out["figures"] = tuple(used)
        return Profile(**out)
    used += power_ids + [DEFAULTS["pue"], DEFAULTS["wue"], DEFAULTS["ewif"], "dgx_h100_typical_power",
                         "lbnl_dc_electricity_2028", "lbnl_dc_capacity_2028", "lbnl_dc_electricity_2023"]
    if isinstance(grid, str) or grid is None:
        used.append(grid or DEFAULTS["grid"])
    mc = lambda f, *ranges: monte_carlo(f, *ranges, n=n, seed=seed)  # noqa: E731
    it = lambda k: footprint.power(count, per, overhead=k)  # noqa: E731
    facility = lambda k, q: footprint.power(count, per, pue=q, overhead=k)  # noqa: E731
    annual = lambda k, q, lf: footprint.annual_energy(facility(k, q), lf)  # noqa: E731
    co2 = lambda k, q, lf: footprint.emissions(annual(k, q, lf), intensity) / YEAR  # noqa: E731
    it_day = lambda k, lf: footprint.energy(count, per * lf, DAY, overhead=k)  # noqa: E731
    onsite = lambda k, lf, w: footprint.water(it_day(k, lf), w) / DAY  # noqa: E731
    offsite = lambda k, lf, q: footprint.water(it_day(k, lf), Q_(0, "L/kWh"), pue=q, ewif=ewif_q.central) / DAY  # noqa: E731,E501

    def est(f, *ranges, unit):
        """Central from the central inputs (as the chapters do), range from the simulation."""
        sim = mc(f, *ranges)
        central = f(*(r.central for r in ranges))
        return Estimate(central.to(unit), sim.low.to(unit), sim.high.to(unit))

    # Ranges are passed in the order the chapters draw them, so the same seed gives their numbers.
    out["it_power"] = est(it, overhead, unit="MW")
    out["facility_power"] = est(facility, overhead, pue_r, unit="MW")
    out["annual_energy"] = est(annual, overhead, pue_r, lf_r, unit="GWh")
    out["us_dc_share"] = _scaled(out["annual_energy"], 1 / v("lbnl_dc_electricity_2023")).to("percent")
    out["annual_co2"] = est(co2, overhead, pue_r, lf_r, unit="tonne/year")
    out["water_onsite"] = est(onsite, overhead, lf_r, wue_r, unit="L/day")
    out["water_offsite"] = est(offsite, overhead, lf_r, pue_r, unit="L/day")
    out["figures"] = tuple(dict.fromkeys(used))
    return Profile(**out)


# --- The calculator on the page (check-the-next-headline): its numbers, for the charts.

#: The precisions the calculator offers, in its drop-down's order.
CALCULATOR_PRECISIONS = ["FP64", "FP32", "TF32", "BF16", "FP16", "FP8"]
#: The calculator's choices: label -> figure id (grids, water intensities, training budgets).
CALCULATOR_GRIDS = {"TVA 2023": "tva_co2_rate_2023", "US average 2023": "us_co2_rate_2023",
                    "US gas 2023": "us_gas_co2_rate_2023", "US coal 2023": "us_coal_co2_rate_2023"}
CALCULATOR_EWIFS = {"US data centres 2023 (LBNL)": DEFAULTS["ewif"],
                    "US average 2023 (LBNL)": "ewif_us_average"}
CALCULATOR_BUDGETS = {"Llama 3 405B": "llama3_training_compute", "GPT-3 175B": "gpt3_training_compute",
                      "EU AI Act threshold": "scenario_compute_1e25",
                      "US EO 14110 threshold": "scenario_compute_1e26"}
_SPREAD_FIELDS = ("facility_power", "annual_energy", "annual_co2", "water_onsite", "water_offsite")


def relative_spread(est: Estimate) -> tuple[float, float]:
    """``(low / central, high / central)`` of an estimate: its range as factors of the central
    value, which the calculator applies to whatever central value the reader's settings give."""
    c = est.central.magnitude
    return est.low.to(est.central.units).magnitude / c, est.high.to(est.central.units).magnitude / c


def calculator_table() -> pd.DataFrame:
    """One row per accelerator (by name, ``acc``) and precision (``prec``, every one of
    :data:`CALCULATOR_PRECISIONS`): its dense peak per accelerator in FLOP/s (``rate``, None
    where none is published) and, where the data give its power, its IT power at full draw
    (``it_w``, W) and the relative spread of each power-related output at the book's default
    site (``<output>_lo``, ``<output>_hi``; see :func:`relative_spread`)."""
    rows = []
    for acc, name in accelerators().items():
        one = profile(acc, 1, next(iter(precisions(acc))))
        power = {}
        if one.it_power is not None:
            power = {"it_w": one.it_power.central.to("W").magnitude}
            for key in _SPREAD_FIELDS:
                power[key + "_lo"], power[key + "_hi"] = relative_spread(getattr(one, key))
        ids = precisions(acc)
        for prec in CALCULATOR_PRECISIONS:
            rate = sources.value(ids[prec]).to("FLOP/s").magnitude if prec in ids else None
            rows.append({"acc": name, "prec": prec, "rate": rate, **power})
    return pd.DataFrame(rows)


def calculator_settings(count: int, training_days: Estimate) -> dict:
    """The calculator's defaults and yardsticks, as plain numbers for the browser.

    ``count`` is the accelerators the sliders start at; ``training_days`` the estimate whose
    relative spread the time panel keeps. Keys: ``count``; ``first`` (the H100's name);
    ``exapod``, ``el_capitan_bf16``, ``el_capitan_rmax``, ``colossus`` (FLOP/s);
    ``hours_per_year``; ``us_dc_wh`` (US data centres' 2023 electricity, Wh); ``pue``,
    ``load_factor``, ``wue`` (L/kWh) and ``utilisation`` at their central values; ``grids``
    (label -> g/kWh), ``ewifs`` (label -> L/kWh), ``budgets`` (label -> FLOP);
    ``days_spread`` (:func:`relative_spread`).
    """
    v = sources.value
    per_flops = lambda e: e.central.to("FLOP/s").magnitude  # noqa: E731
    ref = profile("h100", 1, "BF16")
    pod = profile("d1", sources.count("dojo_exapod_chips"), "BF16")
    return {
        "count": count, "first": accelerators()["h100"],
        "exapod": per_flops(pod.peak),
        "el_capitan_bf16": per_flops(ref.peak) / ref.el_capitan_bf16.central.magnitude,
        "el_capitan_rmax": per_flops(ref.peak) / ref.el_capitan_rmax.central.magnitude,
        "colossus": per_flops(ref.peak) / ref.colossus_2024.central.magnitude,
        "hours_per_year": footprint.HOURS_PER_YEAR.to("hour").magnitude,
        "us_dc_wh": v("lbnl_dc_electricity_2023").to("W*h").magnitude,
        "pue": float(sources.figure(DEFAULTS["pue"]).value.magnitude),
        "load_factor": float(default_load_factor().central),
        "wue": float(sources.figure(DEFAULTS["wue"]).value.to("L/kWh").magnitude),
        "utilisation": round(float(sources.figure(DEFAULTS["utilisation"]).value.to("").magnitude), 2),
        "grids": {k: v(i).to("g/kWh").magnitude for k, i in CALCULATOR_GRIDS.items()},
        "ewifs": {k: v(i).to("L/kWh").magnitude for k, i in CALCULATOR_EWIFS.items()},
        "budgets": {k: v(i).to("FLOP").magnitude for k, i in CALCULATOR_BUDGETS.items()},
        "days_spread": relative_spread(training_days),
    }
