"""The chart builders and the bandwidth formatter of the exapod-arithmetic, fleet-video and
interconnect chapters draw and write what they say.

Expected values are worked by hand in the comments, not taken from the code under test.
Charts that the browser recomputes are drawn by Vega itself (vl-convert) and their labels read.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import altair as alt
import pandas as pd
import pytest

from claimcheck import charts, compute
from claimcheck.units import Q_, UnitError, format_bandwidth


def drawn_text(chart) -> list[str]:
    """The text marks Vega draws for ``chart`` at its parameters' defaults."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(chart.to_dict(), vl_version=alt.VEGALITE_VERSION.rsplit(".", 1)[0])
    return re.findall(r"<text[^>]*>([^<]+)</text>", svg)


def layers(chart) -> list[dict]:
    return chart.to_dict()["layer"]


def rows(spec: dict, layer: dict) -> list[dict]:
    """The data rows a layer draws (its own data, or the chart's that it shares)."""
    return spec["datasets"][layer.get("data", spec.get("data"))["name"]]


def param(p) -> dict:
    return p.param.to_dict()


# --- exapod-arithmetic


def test_log_columns_draws_labelled_bars_from_the_floor_in_the_frames_order():
    frame = pd.DataFrame({"level": ["chip", "tile", "pod"], "chips": [1, 25, 3000]})
    chart = charts.log_columns(frame, "level", "chips", y_title="Chips (log scale)", domain=[0.5, 10_000],
                               ticks=[1, 10, 100], tooltip=["level"])
    spec = chart.to_dict()
    bars, text = spec["layer"]
    assert (bars["mark"]["type"], text["mark"]["type"]) == ("bar", "text")
    assert bars["encoding"]["x"]["sort"] is None  # chip, tile, pod: not alphabetical
    assert bars["encoding"]["y"]["scale"] == {"type": "log", "domain": [0.5, 10_000], "nice": False}
    assert bars["encoding"]["y2"] == {"datum": 0.5}  # a bar of 1 chip still shows on a log scale
    assert bars["encoding"]["y"]["axis"]["values"] == [1, 10, 100]
    assert text["encoding"]["text"] == {"field": "chips", "format": ",", "type": "quantitative"}
    assert [r["chips"] for r in rows(spec, bars)] == [1, 25, 3000]
    assert "3,000" in drawn_text(chart)


def test_log_columns_names_the_missing_column():
    with pytest.raises(ValueError, match="'chips'"):
        charts.log_columns(pd.DataFrame({"level": ["a"]}), "level", "chips", y_title="y", domain=[1, 10],
                           ticks=[1], tooltip=[])


# --- fleet-video


def test_dot_whisker_puts_the_dot_at_the_central_value_and_the_line_over_the_range():
    frame = pd.DataFrame({"what": ["fleet", "pod"], "central": [2e7, 7e5], "low": [1e7, 1e5], "high": [7e7, 3e6]})
    spec = charts.dot_whisker(frame, "what", x_title="Frames/s (log scale)", domain=[5e4, 3e8]).to_dict()
    rule, point = spec["layer"]
    assert (rule["mark"]["type"], point["mark"]["type"]) == ("rule", "point")
    assert (rule["encoding"]["x"]["field"], rule["encoding"]["x2"]["field"]) == ("low", "high")
    assert point["encoding"]["x"]["field"] == "central"
    assert rule["encoding"]["x"]["scale"] == {"type": "log", "domain": [5e4, 3e8]}
    assert rule["encoding"]["y"]["sort"] is None
    assert rows(spec, point) == frame.to_dict("records")


def test_dot_whisker_refuses_a_frame_without_a_range():
    with pytest.raises(ValueError, match="'low' and 'high'"):
        charts.dot_whisker(pd.DataFrame({"what": ["a"], "central": [1.0]}), "what", x_title="x", domain=[1, 2])


def test_estimate_frame_converts_central_and_range_to_one_unit():
    estimate = SimpleNamespace(low=Q_(1, "kW"), high=Q_(3000, "W"))
    frame = charts.estimate_frame({"site": (Q_(2, "kW"), estimate)}, "W")
    # 2 kW = 2000 W; the range 1 kW–3000 W is 1000–3000 W.
    assert frame.to_dict("records") == [{"what": "site", "central": 2000.0, "low": 1000.0, "high": 3000.0}]


def test_explorer_bars_recomputes_one_row_and_keeps_the_others_fixed():
    frame = pd.DataFrame({"what": ["fleet", "pod"], "fixed": [0.0, 5e14]})
    k = alt.param(name="k", value=3)
    chart = charts.explorer_bars(frame, "what", "fleet", "k * 2e15", scale=1e15, x_title="PB/day (log scale)",
                                 domain=[0.05, 500], label="format(datum.value / 1e15, ',.3r') + ' PB/day'")
    # fleet: 3 × 2e15 B = 6 PB; pod: its fixed 5e14 B = 0.5 PB.
    assert sorted(drawn_text(chart.add_params(k))[-2:]) == ["0.500 PB/day", "6.00 PB/day"]
    bar, headline, others = layers(chart)
    assert headline["name"] == charts.HEADLINE and "name" not in others
    assert bar["encoding"]["x"]["scale"] == {"type": "log", "domain": [0.05, 500]}
    assert bar["encoding"]["x2"]["field"] == "x0"  # the bars start at the domain's floor


def test_explorer_bars_needs_the_computed_row():
    with pytest.raises(ValueError, match="'nobody'"):
        charts.explorer_bars(pd.DataFrame({"what": ["a"], "fixed": [1.0]}), "what", "nobody", "1", scale=1,
                             label="'x'", x_title="x", domain=[1, 10])


def test_sliders_and_drop_downs_start_where_they_say_and_refuse_a_start_outside():
    s = param(charts.slider("n", 5, 1, 10, step=1, label="N "))
    assert s["value"] == 5 and (s["bind"]["min"], s["bind"]["max"], s["bind"]["name"]) == (1, 10, "N ")
    with pytest.raises(ValueError, match="outside"):
        charts.slider("n", 11, 1, 10, step=1, label="N ")
    figure = SimpleNamespace(id="f", value=Q_(1, "hour"), low=Q_(30, "minute"), high=Q_(2, "hour"))
    f = param(charts.figure_slider("m", figure, "minute", step=1, label="Minutes "))
    assert (f["value"], f["bind"]["min"], f["bind"]["max"]) == (60, 30, 120)  # 1 h = 60 min, 2 h = 120 min
    with pytest.raises(ValueError, match="no range"):
        charts.figure_slider("m", SimpleNamespace(id="g", value=Q_(1, "s"), low=None, high=None), "s",
                             step=1, label="x")
    d = param(charts.select("g", 8, [8, 1024], labels=["8", "1,024"], label="GPUs "))
    assert (d["value"], d["bind"]["options"], d["bind"]["labels"]) == (8, [8, 1024], ["8", "1,024"])
    with pytest.raises(ValueError, match="not one of"):
        charts.select("g", 9, [8, 1024], label="GPUs ")


# --- interconnect


def test_log_bars_start_at_the_floor_and_pass_other_encodings_on():
    frame = pd.DataFrame({"link": ["nvlink", "port"], "per_direction": [450.0, 50.0]})
    spec = charts.log_bars(frame, "per_direction", "link", x_title="GB/s (log scale)", domain=[1, 30000],
                           color=alt.Color("link:N")).to_dict()
    assert spec["transform"] == [{"calculate": "1", "as": "start"}]
    assert (spec["encoding"]["x"]["field"], spec["encoding"]["x2"]["field"]) == ("start", "per_direction")
    assert spec["encoding"]["x"]["scale"] == {"type": "log", "domain": [1, 30000]}
    assert spec["encoding"]["color"]["field"] == "link"
    assert spec["encoding"]["y"]["sort"] is None


def test_band_and_lines_shades_only_the_first_series():
    frame = pd.DataFrame({"gpus": [8, 64, 8, 64], "series": ["compute", "compute", "network", "network"],
                          "seconds": [10.0, 1.25, 2.0, 2.0], "low": [8.0, 1.0, 2.0, 2.0],
                          "high": [12.0, 1.5, 2.0, 2.0]})
    spec = charts.band_and_lines(frame, "gpus", "seconds", "series", x_title="GPUs", y_title="s",
                                 x_domain=[8, 64], x_ticks=[10], y_ticks=[1, 10]).to_dict()
    band, lines = spec["layer"]
    assert (band["mark"]["type"], lines["mark"]["type"]) == ("area", "line")
    assert {r["series"] for r in rows(spec, band)} == {"compute"}
    assert len(rows(spec, lines)) == 4
    assert lines["encoding"]["color"]["scale"] == {"domain": ["compute", "network"]}  # the frame's order
    assert band["encoding"]["y"]["scale"]["type"] == lines["encoding"]["y"]["scale"]["type"] == "log"


def test_folded_log_bars_label_each_part_and_mark_the_headline():
    base = alt.Chart(pd.DataFrame({"x": [1]})).transform_calculate(a="2", b="30")
    chart = charts.folded_log_bars(base, {"a": "Arithmetic", "b": "Network"}, "b", x_title="s (log scale)",
                                   domain=[1e-4, 1e5], ticks=[1, 10], suffix=" s")
    assert {"2.00 s", "30.0 s"} <= set(drawn_text(chart))
    bars, a_label, b_label = layers(chart)
    assert b_label["name"] == charts.HEADLINE and "name" not in a_label
    assert bars["encoding"]["y"]["scale"] == {"domain": ["Arithmetic", "Network"]}
    with pytest.raises(ValueError, match="headline"):
        charts.folded_log_bars(base, {"a": "A"}, "b", x_title="s", domain=[1, 2], ticks=[1])


def test_step_explorer_draws_the_books_formulas_at_its_defaults():
    models = pd.DataFrame({"model": ["small", "big"], "params": [1e9, 1e11], "tokens": [1e6, 1e6]})
    chart = charts.step_explorer(models, peak=1e15, utilisation=0.5, value_bytes=2, latency=1e-6,
                                 bandwidth=50.0, gpu_options=[8, 16], gpus=8)
    # small model on 8 GPUs: arithmetic 6 × 1e9 × 1e6 / (8 × 1e15 × 0.5) = 1.5 s;
    # all-reduce 2 × 7/8 × 2e9 B / 50 GB/s + 2 × 7 × 1 μs = 0.07 + 0.000014 s.
    text = drawn_text(chart)
    assert "1.50 s" in text and "0.0700 s" in text
    python = compute.ring_allreduce_time(Q_(2e9, "byte"), 8, Q_(50, "GB/s"), Q_(1e-6, "s"))
    assert python.to("s").magnitude == pytest.approx(0.070014)
    names = [p["name"] for p in chart.to_dict()["params"]]
    assert names == ["bandwidth_gbs", "model_choice", "gpu_count"]


@pytest.mark.parametrize(("q", "sig", "text"), [
    (Q_(900, "GB/s"), 3, "900 GB/s"),
    (Q_(4, "TB/s"), 1, "4 TB/s"),           # a source's "4 TBps", at its own precision
    (Q_(999.6, "GB/s"), 3, "1.00 TB/s"),    # rounds to 1,000 GB/s: written in TB/s
    (Q_(400, "Gbit/s"), 3, "50.0 GB/s"),    # 400 bits = 50 bytes
])
def test_format_bandwidth_writes_bytes_per_second_with_the_prefix_that_suits(q, sig, text):
    assert format_bandwidth(q, sig=sig) == text


def test_format_bandwidth_refuses_a_quantity_that_is_not_a_rate_of_data():
    with pytest.raises(UnitError, match="data per time"):
        format_bandwidth(Q_(3, "s"))
