"""The chart builders and formatters the memphis-air, money and colossus chapters call
(claimcheck.charts: slider_param, dropdown_param, range_param, slider_bars, interval_rows,
interval_dots, log_bars_with_ranges, counts_and_capacity, dated_rows, count_steps, paired_log_bars,
cluster_builder;
claimcheck.units: source_sig, format_as_sourced, format_date, format_ratio) draw and write what
they say."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from claimcheck import charts
from claimcheck.sources import Figure
from claimcheck.units import Q_, format_as_sourced, format_date, source_sig


def _figure(value, unit, low=None, high=None, id="x"):
    def q(m):
        return None if m is None else Q_(m, unit)

    return Figure(id=id, quantity="a figure", value=q(value), low=q(low), high=q(high), unit=unit,
                  source="s", locator="p. 1", accessed="2026-12-01", grade="primary", note="",
                  table="t")


# ---------------------------------------------------------------- units

@pytest.mark.parametrize("value, sig", [(87, 2), (12, 2), (10, 2), (99, 2), (9, 3), (100, 3),
                                        (87.5, 3), (2000, 3), (-14, 2)])
def test_source_sig_keeps_two_figures_only_for_whole_two_digit_values(value, sig):
    assert source_sig(value) == sig


@pytest.mark.parametrize("fig, text", [
    (_figure(87, "short_ton/year"), "87 short tons/year"),
    (_figure(35, "dimensionless"), "35"),
    (_figure(44544, "dimensionless"), "44,544"),
    (_figure(411000, "USD"), "$411,000"),
    (_figure(12, "hour"), "12 hours"),
    (_figure(1650, "short_ton/year", 1200, 2100), "1,650 short tons/year (1,200–2,100 short tons/year)"),
    (_figure(10750, "Btu/kWh", 10000, 11500), "10,800 Btu/kWh (10,000–11,500 Btu/kWh)"),
    (_figure(0.32, "lb/MMBtu"), "0.320 lb/MMBtu"),
])
def test_format_as_sourced_writes_a_figure_in_its_sources_unit(fig, text):
    assert format_as_sourced(fig) == text


@pytest.mark.parametrize("iso, text", [("2023-07-19", "19 July 2023"), ("2024-07", "July 2024"),
                                       ("2024", "2024"), ("2026-01-04", "4 January 2026")])
def test_format_date_writes_the_books_prose_date(iso, text):
    assert format_date(iso) == text


@pytest.mark.parametrize("bad", ["2024-13", "19 July 2023", "2024-02-30", "2024-01-01-01", ""])
def test_format_date_refuses_what_is_not_an_iso_date(bad):
    with pytest.raises(ValueError, match="not an ISO 8601 date"):
        format_date(bad)


# ---------------------------------------------------------------- controls

def test_slider_and_dropdown_bind_their_controls():
    s = charts.slider_param("cf", 100, 5, 100, 5, "Capacity factor").param.to_dict()
    assert s["value"] == 100
    assert s["bind"] == {"input": "range", "min": 5, "max": 100, "step": 5, "name": "Capacity factor "}
    d = charts.dropdown_param("tech", ["a", "b"], "Combustion").param.to_dict()
    assert d["value"] == "a" and d["bind"]["options"] == ["a", "b"] and d["bind"]["input"] == "select"


def test_controls_refuse_a_start_outside_their_range():
    with pytest.raises(ValueError, match="outside"):
        charts.slider_param("n", 40, 1, 35, 1, "Turbines")
    with pytest.raises(ValueError, match="not one of"):
        charts.dropdown_param("tech", ["a", "b"], "Combustion", value="c")


# ---------------------------------------------------------------- slider_bars

def _slider_bars(frame, **kw):
    args = dict(params=[charts.slider_param("price", 2.0, 1.0, 3.0, 0.5, "Price")], result="r",
                title="T", description="D", x_title="X", domain=[0, 10], bar_height=30)
    return charts.slider_bars(frame, "10 / price", "format(datum.value, ',.3r')", **{**args, **kw}).to_dict()


def test_slider_bars_computes_the_headline_and_keeps_yardsticks_fixed():
    frame = pd.DataFrame({"what": ["bought", "expected"], "fixed": [0.0, 4.0]})
    spec = _slider_bars(frame, x_format=",.0f")
    bar, headline, fixed = spec["layer"]
    calc = {t["as"]: t["calculate"] for t in bar["transform"] if "calculate" in t}
    assert calc["value"] == "datum.fixed > 0 ? datum.fixed : 10 / price"
    assert headline["name"] == charts.HEADLINE
    assert {"filter": "datum.fixed == 0"} in headline["transform"]
    assert {"filter": "datum.fixed > 0"} in fixed["transform"] and fixed["mark"]["color"] == "#444444"
    assert bar["encoding"]["color"]["field"] == "what" and bar["encoding"]["x"]["axis"]["format"] == ",.0f"
    assert spec["usermeta"] == {"claimcheck_result": "r"} and spec["description"] == "D"
    assert [p["name"] for p in spec["params"]] == ["price"]
    assert list(spec["datasets"].values())[0] == [{"what": "bought", "fixed": 0.0},
                                                  {"what": "expected", "fixed": 4.0}]


def test_slider_bars_without_yardsticks_filters_and_adds_reference_lines():
    frame = pd.DataFrame({"what": ["NOx", "NOx"], "tech": ["a", "b"], "ef": [1.0, 2.0]})
    refs = pd.DataFrame({"tons": [87.0], "label": ["permit cap"]})
    spec = _slider_bars(frame, where="datum.tech == 'a'", references=refs)
    bar, headline, ref = spec["layer"]
    assert bar["transform"][0] == {"filter": "datum.tech == 'a'"}
    assert "color" not in bar["encoding"]
    assert headline["name"] == charts.HEADLINE and "datum.fixed" not in str(headline["transform"])
    rule, text = ref["layer"]
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["x"]["field"] == "tons"
    assert text["encoding"]["text"]["field"] == "label"


def test_slider_bars_needs_labelled_rows():
    with pytest.raises(ValueError, match="'what'"):
        _slider_bars(pd.DataFrame({"name": ["a"]}))


# ---------------------------------------------------------------- interval_rows, interval_dots, log_bars_with_ranges

def test_interval_rows_converts_and_fills_or_leaves_missing_ranges():
    rows = [("a", "k", Q_(2, "kg"), Q_(1, "kg"), Q_(3, "kg")), ("b", "k", Q_(1000, "g")),
            ("c", "j", _figure(5, "kg", 4, 6))]
    filled = charts.interval_rows(rows, "kg")
    assert filled.to_dict("list") == {"what": ["a", "b", "c"], "kind": ["k", "k", "j"],
                                      "central": [2.0, 1.0, 5.0], "low": [1.0, 1.0, 4.0],
                                      "high": [3.0, 1.0, 6.0]}
    bare = charts.interval_rows(rows, "g", ("value", "low", "high"), scale=1000, fill=False)
    assert bare["value"].tolist() == [2.0, 1.0, 5.0]
    assert math.isnan(bare.loc[1, "low"]) and math.isnan(bare.loc[1, "high"])
    with pytest.raises(ValueError, match="central value"):
        charts.interval_rows([("d", "k", Q_(1, "kg"), Q_(2, "kg"))], "kg")


def test_interval_dots_draws_dots_ranges_and_labels_in_the_frames_order():
    frame = pd.DataFrame({"what": ["z", "a"], "kind": ["k1", "k2"], "central": [100.0, 2000.0],
                          "low": [100.0, 1200.0], "high": [100.0, 2100.0]})
    spec = charts.interval_dots(frame, ["k1", "k2"], x_title="NOx", domain=[50, 10000], title="T",
                                description="Dots").to_dict()
    dots, whiskers, labels = spec["layer"]
    assert (dots["mark"]["type"], whiskers["mark"]["type"], labels["mark"]["type"]) == ("point", "rule", "text")
    assert dots["encoding"]["y"]["sort"] == ["z", "a"]
    assert dots["encoding"]["color"]["scale"] == {"domain": ["k1", "k2"], "range": charts.PALETTE[:2]}
    assert dots["encoding"]["x"]["scale"] == {"type": "log", "domain": [50, 10000]}
    assert (whiskers["encoding"]["x"]["field"], whiskers["encoding"]["x2"]["field"]) == ("low", "high")
    assert spec["description"] == "Dots: z: 100; a: 2,000 (1,200 to 2,100)."


def test_log_bars_draws_ranges_only_where_a_row_has_one():
    frame = pd.DataFrame({"what": ["a", "b"], "kind": ["k", "k"], "value": [1.0, 3.5],
                          "low": [float("nan"), 3.0], "high": [float("nan"), 4.0],
                          "label": ["$1.00 billion", "$3.50 billion"]})
    spec = charts.log_bars_with_ranges(frame, x_title="USD", domain=[0.5, 2000], title="T", description="Sums",
                           note=" A note.").to_dict()
    bars, ranges, labels = spec["layer"]
    data = {name: rows for name, rows in spec["datasets"].items()}
    assert data[ranges["data"]["name"]] == [{"what": "b", "kind": "k", "value": 3.5, "low": 3.0,
                                             "high": 4.0, "label": "$3.50 billion", "label_x": 4.0}]
    label_rows = data[labels["data"]["name"]]
    assert [r["label_x"] for r in label_rows] == [1.0, 4.0]  # the label sits past the range
    assert bars["transform"] == [{"calculate": "0.5", "as": "base"}]
    assert spec["description"] == "Sums: a: $1.00 billion; b: $3.50 billion. A note."


# ---------------------------------------------------------------- dated charts

def test_dated_rows_reads_figures_with_their_dates():
    rows = charts.dated_rows(["memphis_turbines_2025_03", "memphis_turbines_permitted"])
    assert rows.columns.tolist() == ["date", "value", "what", "source"]
    assert rows["date"].tolist() == ["2025-03", "2025-07-02"]
    assert rows["value"].tolist() == [35.0, 15.0]
    assert charts.dated_rows("memphis_turbine_capacity_2025", unit="kW")["value"].tolist() == [421_000.0]
    with pytest.raises(ValueError, match="no date for h100_bf16_dense"):
        charts.dated_rows(["h100_bf16_dense"])


def test_counts_and_capacity_shares_colours_and_describes_every_row():
    counts = pd.DataFrame({"date": ["2024-07", "2025-03"], "value": [14.0, 35.0],
                           "kind": ["counted", "permitted"], "bound": ["count", "at least"],
                           "what": ["w1", "w2"], "source": ["s1", "s2"], "extra": [1, 2]})
    capacity = pd.DataFrame({"date": ["2024-07"], "value": [35.0], "kind": ["counted"], "what": ["c"],
                             "source": ["s"]})
    spec = charts.counts_and_capacity(counts, capacity, dates=["2024-06-01", "2025-08-01"],
                                      count_domain=[0, 40], title="T", counts_text="turbines",
                                      capacity_text="MW").to_dict()
    top, bottom = spec["vconcat"]
    points = top["layer"][0]
    assert points["mark"]["type"] == "point" and bottom["layer"][0]["mark"]["type"] == "bar"
    assert points["encoding"]["color"]["scale"] == {"domain": ["counted", "permitted"],
                                                    "range": charts.PALETTE[:2]}
    assert points["encoding"]["shape"]["scale"] == {"domain": ["count", "at least"],
                                                    "range": ["circle", "triangle-up"]}
    assert spec["resolve"] == {"scale": {"color": "shared", "shape": "independent"}}
    columns = [list(rows[0]) for rows in spec["datasets"].values()]
    assert ["date", "value", "kind", "bound", "what", "source"] in columns  # "extra" dropped
    assert ["date", "value", "kind", "what"] in columns
    assert spec["description"] == ("Two dated charts. Top: turbines: 2024-07: 14 (counted, count); "
                                   "2025-03: 35 (permitted, at least). Bottom: MW: 2024-07: 35 MW (c).")


def test_count_steps_steps_through_reported_counts_only():
    counts = pd.DataFrame({"when": pd.to_datetime(["2024-09-02", "2024-10-28", "2025-02-01"]),
                           "gpus": [100_000.0, 100_000.0, 200_000.0],
                           "status": ["reported", "reported", "planned"],
                           "label": ["100,000 H100", "100,000 H100", "planned: 200,000"],
                           "source": ["a", "b", "c"]})
    spec = charts.count_steps(counts, y_title="GPUs", domain=[0, 250_000], reference=100_000,
                              reference_text="article", title="T", description="D",
                              note=" N.").to_dict()
    rule, text, step, dots, labels, planned = spec["layer"]
    data = spec["datasets"]
    assert step["mark"]["interpolate"] == "step-after" and len(data[step["data"]["name"]]) == 2
    assert len(data[labels["data"]["name"]]) == 1  # one label for a repeated count
    assert [r["status"] for r in data[planned["data"]["name"]]] == ["planned"]
    assert dots["encoding"]["shape"]["scale"]["range"] == ["circle", "diamond"]
    assert "data" not in rule and data[spec["data"]["name"]] == [{"gpus": 100000.0, "text": "article"}]
    assert spec["description"] == ("D: 100,000 H100 (02 September 2024); 100,000 H100 (28 October 2024); "
                                   "planned: 200,000 (01 February 2025). N.")


def test_paired_log_bars_groups_bars_and_colours_each_pair():
    frame = pd.DataFrame({"model": ["A100", "H100"], "precision": ["BF16", "BF16"],
                          "sparsity": ["dense", "dense"], "flops": [3.12e19, 9.89e19],
                          "label": ["31.2 EFLOP/s", "98.9 EFLOP/s"]})
    spec = charts.paired_log_bars(frame, y="precision", y_order=["FP64", "BF16"], pair="model",
                                  pair_colours={"A100": "#E69F00", "H100": "#0072B2"}, x_title="X",
                                  domain=[1e17, 1e21], ticks=[1e17, 1e21], legend_title="n ×",
                                  title="T", description="D").to_dict()
    bars, values = spec["layer"]
    enc = bars["encoding"]
    assert enc["yOffset"] == {"field": "model", "sort": ["A100", "H100"], "type": "nominal"}
    assert enc["color"]["scale"] == {"range": ["#E69F00", "#0072B2"]}
    assert enc["x"]["scale"] == {"type": "log", "domain": [1e17, 1e21]} and enc["x2"] == {"datum": 1e17}
    assert enc["y"]["sort"] == ["FP64", "BF16"] and values["encoding"]["text"]["field"] == "label"


def test_cluster_builder_recomputes_the_peak_from_its_controls():
    per_gpu = pd.DataFrame({"model": ["H100", "A100"], "dense": [9.89e14, 3.12e14],
                            "sparse": [1.979e15, 6.24e14]})
    spec = charts.cluster_builder(per_gpu, gpus=100_000, max_gpus=230_000, step=10_000,
                                  pod_flops=1.1e18, result="peak", description="D").to_dict()
    assert [p["name"] for p in spec["params"]] == ["model", "sparsity", "gpus"]
    gpus = spec["params"][2]
    assert (gpus["value"], gpus["bind"]["min"], gpus["bind"]["max"]) == (100_000, 10_000, 230_000)
    bar = spec["layer"][0]
    calc = {t["as"]: t["calculate"] for t in bar["transform"] if "calculate" in t}
    assert calc["peak"] == "(sparsity == 'sparse' ? datum.sparse : datum.dense) * gpus"
    assert "/ 1.1e+18" in calc["pods"] or "/ 1.1e18" in calc["pods"]
    assert [layer.get("name") for layer in spec["layer"]].count(charts.HEADLINE) == 1
    assert spec["usermeta"] == {"claimcheck_result": "peak"}


def test_paired_log_bars_makes_its_rows_from_a_column_of_peaks():
    rows = pd.DataFrame({"model": ["A100"], "precision": ["BF16"], "sparsity": ["dense"],
                         "id": ["a100_bf16_dense"], "cluster_peak": [Q_(3.12e19, "FLOP/s")]})
    spec = charts.paired_log_bars(rows, peak="cluster_peak", y="precision", y_order=["BF16"],
                                  pair="model", pair_colours={"A100": "#E69F00"}, x_title="X",
                                  domain=[1e17, 1e21], ticks=[1e17], legend_title="n",
                                  title="T", description="D").to_dict()
    assert list(spec["datasets"].values())[0] == [{"model": "A100", "precision": "BF16", "sparsity": "dense",
                                                  "flops": 3.12e19, "label": "31.2 EFLOP/s"}]


def test_range_param_slides_over_an_uncertain_input_in_the_unit_asked():
    from claimcheck.uncertainty import Range

    shares = Range(low=Q_(3.2e9, "share"), central=Q_(3.35e9, "share"), high=Q_(3.5e9, "share"))
    p = charts.range_param("shares_bn", shares, 0.01, "Tesla shares (billions)", unit="share",
                           scale=1e9).param.to_dict()
    assert p["value"] == pytest.approx(3.35)
    assert (p["bind"]["min"], p["bind"]["max"]) == (pytest.approx(3.2), pytest.approx(3.5))


@pytest.mark.parametrize("a, b, sig, text", [
    (Q_(495, "MW"), Q_(247, "MW"), 2, "2.0"), (Q_(2, "GW"), Q_(1, "GW"), 3, "2.00"),
    (Q_(500e9, "USD"), Q_(1e9, "USD"), 3, "500"), (Q_(1, "GW"), Q_(300, "MW"), 2, "3.3"), (6.0, 4, 3, "1.50")])
def test_format_ratio_writes_a_ratio_as_a_plain_number(a, b, sig, text):
    from claimcheck.units import format_ratio

    assert format_ratio(a, b, sig=sig) == text


def test_format_ratio_refuses_a_ratio_with_units():
    from claimcheck.units import UnitError, format_ratio

    with pytest.raises(UnitError, match="not a number"):
        format_ratio(Q_(1, "MW"), Q_(1, "hour"))
