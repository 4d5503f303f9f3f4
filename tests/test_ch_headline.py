"""The headline calculator's charts (claimcheck.charts.calculator_*_panel, text_panel) and
their inputs (claimcheck.headline.calculator_table, calculator_settings, relative_spread).

Each panel is drawn by Vega itself (charts.static_svg, at its default settings) and its
headline line compared with the same quantity worked out here by hand from data/.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from claimcheck import charts, headline, sources
from claimcheck.uncertainty import Estimate
from claimcheck.units import Q_, format_quantity

COUNT = 100_000


def _lines(chart) -> list[str]:
    """The text lines a chart draws at its defaults, top to bottom (its title left out)."""
    spec = chart.to_dict()
    svg = charts.static_svg(spec)
    texts = [re.sub(r"&#39;|&apos;", "'", t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    return [t for t in texts if t != spec["title"]]


@pytest.fixture(scope="module")
def table():
    return headline.calculator_table()


@pytest.fixture(scope="module")
def settings():
    # A training estimate spanning 0.5 to 2 times its centre: the time panel's range.
    days = Estimate(Q_(10, "day"), Q_(5, "day"), Q_(20, "day"))
    return headline.calculator_settings(COUNT, days)


def test_relative_spread_is_the_range_as_factors_of_the_centre():
    assert headline.relative_spread(Estimate(Q_(10, "MW"), Q_(8, "MW"), Q_(15, "MW"))) \
        == pytest.approx((0.8, 1.5))
    # low and high in another unit than the centre are converted first
    assert headline.relative_spread(Estimate(Q_(2, "MW"), Q_(1000, "kW"), Q_(3000, "kW"))) \
        == pytest.approx((0.5, 1.5))


def test_calculator_table_has_every_precision_of_every_accelerator(table):
    names = list(headline.accelerators().values())
    assert list(dict.fromkeys(table["acc"])) == names
    assert len(table) == len(names) * len(headline.CALCULATOR_PRECISIONS)
    h100 = table[table["acc"] == headline.accelerators()["h100"]].set_index("prec")
    assert h100.loc["BF16", "rate"] == pytest.approx(
        sources.value("h100_bf16_dense").to("FLOP/s").magnitude)
    # one GPU's share of its DGX H100 server at maximum draw
    share = sources.value("dgx_h100_max_power") / sources.count("dgx_h100_gpus")
    assert h100["it_w"].iloc[0] == pytest.approx(share.to("W").magnitude)
    # the default site's ranges straddle the centre
    assert h100["facility_power_lo"].iloc[0] < 1 < h100["facility_power_hi"].iloc[0]


def test_text_panel_stacks_its_lines_with_the_first_as_headline():
    alt_chart = charts.alt.Chart(pd.DataFrame({"x": [1]}))
    param = charts.alt.param(name="n", value=2, bind=charts.alt.binding_range(min=1, max=3))
    chart = charts.text_panel(alt_chart, [("'a' + n", 20), ("'b'", 13), ("'c'", 13)], [param],
                              "some_result", "Title", "What it shows.")
    spec = chart.to_dict()
    assert [layer["mark"]["fontSize"] for layer in spec["layer"]] == [20, 13, 13]
    assert [layer["encoding"]["y"]["value"] for layer in spec["layer"]] == [14, 36, 58]
    assert spec["layer"][0]["name"] == charts.HEADLINE
    assert spec["layer"][0]["mark"]["fontWeight"] == "bold"
    assert spec["height"] == 24 + 22 * 3
    assert spec["usermeta"] == {"claimcheck_result": "some_result"}
    assert spec["description"] == "What it shows."
    assert _lines(chart) == ["a2", "b", "c"]


def test_compute_panel_draws_the_clusters_dense_peak(table, settings):
    peak = COUNT * sources.value("h100_bf16_dense")
    lines = _lines(charts.calculator_compute_panel(table, settings))
    assert lines[0] == format_quantity(peak.to("FLOP/s"))
    assert lines[1] == f"BF16, dense, peak: 100,000 × {format_quantity(sources.value('h100_bf16_dense'))}"


def test_site_panel_draws_the_co2_of_a_year(table, settings):
    per_gpu = sources.value("dgx_h100_max_power") / sources.count("dgx_h100_gpus")
    load = round(float((sources.value("dgx_h100_typical_power")
                        / sources.value("dgx_h100_max_power")).to("").magnitude), 3)
    pue = sources.value("pue_range_large_ai_site")
    energy = COUNT * per_gpu * pue * Q_(8760, "hour") * load
    co2 = (energy * sources.value("tva_co2_rate_2023") / Q_(1, "year")).to("t/year")
    lines = _lines(charts.calculator_site_panel(table, settings))
    assert lines[0] == format_quantity(co2)
    assert lines[2] == f"IT power at full draw: {format_quantity((COUNT * per_gpu).to('W'))}"


def test_water_panel_draws_on_site_plus_off_site_water(table, settings):
    per_gpu = sources.value("dgx_h100_max_power") / sources.count("dgx_h100_gpus")
    it_day = COUNT * per_gpu * settings["load_factor"] * Q_(1, "day")
    water = it_day * (sources.value("wue_range_for_estimates")
                      + sources.value("pue_range_large_ai_site") * sources.value("ewif_dc_weighted"))
    lines = _lines(charts.calculator_water_panel(table, settings))
    assert lines[0] == format_quantity((water / Q_(1, "day")).to("L/day"))


def test_time_panel_draws_the_days_and_keeps_the_estimates_spread(table, settings):
    rate = sources.value("h100_bf16_dense")
    util = round(float(sources.value("mfu_published_range").to("").magnitude), 2)
    days = (sources.value("llama3_training_compute") / (COUNT * rate * util)).to("day")
    lines = _lines(charts.calculator_time_panel(table, settings))
    text = format_quantity(days)
    assert lines[0] == text
    # the settings' estimate spans 0.5 to 2 times its centre
    half, double = (format_quantity(days * f) for f in (0.5, 2))
    assert lines[1].endswith(f": {text} ({half}–{double})")


def test_a_panel_says_so_when_no_rate_or_power_is_published():
    # A made-up accelerator with a BF16 rate but no FP8 rate and no power figure.
    made_up = pd.DataFrame({"acc": ["Chip X", "Chip X"], "prec": ["BF16", "FP8"],
                            "rate": [1e15, math.nan], "it_w": [math.nan, math.nan]})
    for key in ("facility_power", "annual_energy", "annual_co2", "water_onsite", "water_offsite"):
        made_up[key + "_lo"], made_up[key + "_hi"] = math.nan, math.nan
    settings = {"count": 2000, "first": "Chip X", "exapod": 1e18, "el_capitan_bf16": 1e18,
                "el_capitan_rmax": 1e18, "colossus": 1e18, "hours_per_year": 8760.0,
                "us_dc_wh": 1e14, "pue": 1.2, "load_factor": 0.8, "wue": 1.0, "utilisation": 0.4,
                "grids": {"TVA 2023": 400.0}, "ewifs": {"A": 4.0}, "budgets": {"B": 1e24},
                "days_spread": (0.9, 1.6)}
    # BF16 (the default): 2,000 × 1 PFLOP/s = 2 EFLOP/s, which is 2 of the made-up yardsticks
    compute_lines = _lines(charts.calculator_compute_panel(made_up, settings))
    assert compute_lines[0:2] == ["2.00 EFLOP/s", "BF16, dense, peak: 2,000 × 1.00 PFLOP/s"]
    assert compute_lines[2] == "= 2.00 ExaPODs"
    site = _lines(charts.calculator_site_panel(made_up, settings))
    assert site[0] == "No published power figure for Chip X: no power, energy or CO₂ for 2,000 of them"
    water = _lines(charts.calculator_water_panel(made_up, settings))
    assert water[0] == "No published power figure for Chip X: no water for 2,000 of them"
    # 1e24 FLOP / (2,000 × 1e15 FLOP/s × 0.4) = 1.25e6 s = 14.5 days
    assert _lines(charts.calculator_time_panel(made_up, settings))[0] == "14.5 days"
