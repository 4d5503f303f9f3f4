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
    param = charts.slider("n", 2, 1, 3, step=1, label="n ")
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


# --- The generic builders and the power, carbon and water chapters' charts


def _layers(chart) -> list[dict]:
    spec = chart.to_dict()
    out = []
    for layer in spec.get("layer", [spec]):
        out.extend(layer.get("layer", [layer]))
    return out


def test_slider_and_select_bind_what_they_say():
    s = charts.slider("pue", 1.3, 1.1, 1.6, step=0.01, label="PUE ").param.to_dict()
    assert s["value"] == 1.3 and s["bind"] == {"input": "range", "min": 1.1, "max": 1.6, "step": 0.01,
                                               "name": "PUE "}
    d = charts.select("grid", "a", ["a", "b"], label="Grid ", labels=["A", "B"]).param.to_dict()
    assert d["value"] == "a"
    assert d["bind"] == {"input": "select", "options": ["a", "b"], "labels": ["A", "B"], "name": "Grid "}


def test_explorer_marks_the_result_and_needs_a_headline():
    row = pd.DataFrame({"what": ["x"], "w": [2.0]})
    bar, label = charts.computed_bar(row, "what", "datum.w * k", "W", 1, x_title="W", domain=[0, 10])
    k = charts.slider("k", 3, 1, 5, step=1, label="k ")
    spec = charts.explorer(bar + label, [k], result="r", title="T", description="D.", height=50).to_dict()
    assert spec["usermeta"] == {"claimcheck_result": "r"} and spec["description"] == "D."
    assert (spec["width"], spec["height"]) == (520, 50) and spec["params"][0]["name"] == "k"
    assert _lines(charts.explorer(bar + label, [k], result="r", title="T", description="D.",
                                  height=50))[-1] == "6.00 W"  # 2 W × k = 3
    with pytest.raises(ValueError, match="headline"):
        charts.explorer(bar, [k], result="r", title="T", description="D.", height=50)


def test_shaded_band_and_range_dots_draw_their_columns():
    band, text = _layers(charts.shaded_band(pd.DataFrame({"low": [1.0], "high": [2.0], "label": ["c"]}),
                                            dy=-30))
    assert band["mark"]["type"] == "rect"
    assert (band["encoding"]["x"]["field"], band["encoding"]["x2"]["field"]) == ("low", "high")
    assert text["encoding"]["text"]["field"] == "label" and text["mark"]["dy"] == -30
    frame = pd.DataFrame({"what": ["b", "a"], "kind": ["claimed", "computed"], "low": [1.0, 2.0],
                          "central": [1.5, 2.5], "high": [2.0, 3.0]})
    rule, dot = _layers(charts.range_dots(frame, "what", ["claimed", "computed"], x_title="ML/day"))
    assert rule["encoding"]["y"]["sort"] == ["b", "a"]  # the frame's order
    assert (rule["encoding"]["x"]["field"], rule["encoding"]["x2"]["field"]) == ("low", "high")
    assert dot["encoding"]["x"]["field"] == "central"
    assert rule["encoding"]["color"]["scale"]["domain"] == ["claimed", "computed"]
    with pytest.raises(ValueError, match="'kind'"):
        charts.range_dots(frame.drop(columns="kind"), "what", ["claimed"], x_title="x")


def test_band_against_says_where_a_band_sits():
    from claimcheck.units import band_against

    assert band_against((1, 2), 3) == "ends below"
    assert band_against((4, 5), 3) == "lies wholly above"
    assert band_against((2, 4), 3) == "reaches"
    assert band_against((Q_(2, "L/kWh"), Q_(3, "L/kWh")), Q_(2500, "mL/kWh")) == "reaches"
    with pytest.raises(ValueError, match="low to high"):
        band_against((5, 4), 3)


def _water_rows():
    return pd.DataFrame([("claim", "claimed", 3.8, 4.7, 5.7), ("onsite", "computed", 1.0, 2.25, 3.9),
                         ("lbnl", "computed", 1.0, 1.2, 1.5), ("peak", "reported", 5.0, 5.0, 5.0),
                         ("offsite", "computed", 10.3, 13.2, 17.2)],
                        columns=["what", "kind", "low", "central", "high"])


def test_water_comparison_describes_its_rows():
    spec = charts.water_comparison(_water_rows(), (1.0, 1.5)).to_dict()
    assert spec["title"].startswith("xAI's 1–1.5 million gallons a day")
    for text in ("spans 3.80 to 5.70 ML/day", "spans 1.00 to 3.90 ML/day with a central 2.25",
                 "LBNL it is about 1.20", "2026 was 5.00 ML/day", "is about 13.2 ML/day"):
        assert text in spec["description"]


def test_water_explorers_compute_water_from_the_sliders():
    claimed = pd.DataFrame({"low": [3.8], "high": [5.7], "label": ["claim"]})
    # 100,000 kW × 0.5 × 24 h × 2 L/kWh = 2.4 ML/day
    onsite = charts.water_onsite_explorer(claimed, 100_000.0, (2.0, 0.2, 3.0), (0.5, 0.4, 1.0))
    assert _lines(onsite)[-1] == "2.40 ML/day"
    assert onsite.to_dict()["usermeta"] == {"claimcheck_result": "colossus_water_daily"}
    # 1,000,000 kWh a day × PUE 1.5 × 4 L/kWh (the first choice) = 6 ML/day
    ewifs = pd.DataFrame({"choice": ["first", "second"], "ewif": [4.0, 1.0]})
    offsite = charts.water_offsite_explorer(ewifs, 1_000_000.0, (1.5, 1.1, 2.0))
    assert _lines(offsite)[-1] == "6.00 ML/day"


def test_co2_charts_draw_and_recompute_the_co2():
    supply = pd.DataFrame({"supply": ["TVA", "US", "turbines"], "central": [300.0, 400.0, 600.0],
                           "low": [250.0, 350.0, 500.0], "high": [350.0, 450.0, 700.0]})
    spec = charts.co2_supply_bars(supply, "2.0").to_dict()
    assert "about 2.0 times" in spec["title"]
    assert "(300 kt/year)" in spec["description"] and "(600 kt/year)" in spec["description"]
    marks = pd.DataFrame({"label": ["TVA", "US coal"], "kt": [300.0, 1000.0]})
    # 1,000,000 MWh × 250 g/kWh = 250,000 t
    explorer = charts.co2_intensity_explorer(1_000_000.0, marks, 250.0, 1000.0)
    assert "250 kt/year" in _lines(explorer)
    assert explorer.to_dict()["params"][0]["bind"]["min"] == 250.0


def test_power_charts_draw_the_chain_and_the_energy():
    chain = pd.DataFrame({"step": ["GPUs at TDP", "facility, maximum"], "central": [70.0, 160.0],
                          "low": [70.0, 140.0], "high": [70.0, 180.0]})
    spec = charts.power_chain_bars(chain, Q_(150, "MW")).to_dict()
    assert spec["title"] == "At full draw, Colossus phase 1 needs about 160 MW, just above its 150 MW grid approval"
    assert "TDP (70.0 MW)" in spec["description"]
    # 1e8 W × PUE 1.2 × 8760 h × 0.5 = 526 GWh
    energy = charts.annual_energy_explorer(1e8, (1.2, 1.1, 1.6), (0.5, 0.4, 1.0), 8760.0,
                                           Q_(150, "MW"), Q_(1.314, "TWh"))
    assert "526 GWh" in _lines(energy)
