"""The chart builders and prose formats that precision-and-peak, training-time and
measure-your-machine call (claimcheck.charts, claimcheck.units) draw and write what they say.

Expected values are worked out by hand in the comments, not read back from the code."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from claimcheck import charts
from claimcheck.units import Q_, format_duration, format_scientific


def _eval(expr: str, datum: dict, **params) -> float:
    """Evaluate a Vega arithmetic expression (+ - * / only) for one row, in Python."""
    python = re.sub(r"datum\.(\w+)", r"datum['\1']", expr)
    return eval(python, {"__builtins__": {}}, {"datum": datum, **params})


# --- precision-and-peak


def _landscape():
    return pd.DataFrame({"machine": ["ExaPOD", "El Capitan", "El Capitan"],
                         "measure": ["BF16 peak", "FP64 measured (HPL Rmax)", "BF16 peak"],
                         "flops": [1.09e18, 1.74e18, 4.37e19],
                         "label": ["1.09 EFLOP/s", "1.74 EFLOP/s", "43.7 EFLOP/s"]})


def test_flops_landscape_draws_one_point_per_figure_and_the_exascale_line():
    spec = charts.flops_landscape(_landscape(), machines=["ExaPOD", "El Capitan"],
                                  measures=["FP64 measured (HPL Rmax)", "BF16 peak"],
                                  title="T", subtitle="S").to_dict()
    rule, rule_text, points = spec["layer"]
    assert (rule["mark"]["type"], rule_text["mark"]["type"], points["mark"]["type"]) == ("rule", "text", "point")
    x = points["encoding"]["x"]
    assert x["scale"] == {"type": "log", "domain": [1e16, 1e20]}
    assert x["axis"]["values"] == [1e16, 1e17, 1e18, 1e19, 1e20]  # a tick every decade
    assert points["encoding"]["y"]["sort"] == ["ExaPOD", "El Capitan"]
    # colour and shape both carry the measure, so the legend reads without colour
    assert points["encoding"]["color"]["field"] == points["encoding"]["shape"]["field"] == "measure"
    assert points["encoding"]["color"]["sort"] == ["FP64 measured (HPL Rmax)", "BF16 peak"]
    rows = spec["datasets"][points["data"]["name"]]
    assert [r["flops"] for r in rows] == [1.09e18, 1.74e18, 4.37e19]
    # 1 EFLOP/s is 10^18 FLOP/s
    assert [{"flops": 1e18, "text": "1 EFLOP/s"}] in spec["datasets"].values()
    assert rule["encoding"]["x"]["field"] == "flops"
    assert spec["title"] == {"text": "T", "subtitle": "S"}


def test_flops_landscape_names_a_missing_column():
    with pytest.raises(ValueError, match="missing 'label'"):
        charts.flops_landscape(_landscape().drop(columns="label"), machines=[], measures=[],
                               title="T", subtitle="S")


def _references():
    return pd.DataFrame({"reference": ["El Capitan BF16 peak", "JUPITER FP64 Rmax (HPL)"],
                         "value": [4.0e19, 1.0e18]})


def test_share_explorer_headline_is_the_subject_over_the_chosen_reference():
    spec = charts.share_explorer(_references(), "ExaPOD", {"BF16/CFP8": 1.0e18, "FP32": 6.0e16},
                                 result="share_id", title="T").to_dict()
    assert spec["usermeta"] == {"claimcheck_result": "share_id"}
    params = {p["name"]: p for p in spec["params"]}
    assert params["reference"]["value"] == "El Capitan BF16 peak"  # the first row is the default
    assert params["reference"]["bind"]["options"] == ["El Capitan BF16 peak", "JUPITER FP64 Rmax (HPL)"]
    assert params["precision"]["value"] == "BF16/CFP8"
    assert params["precision"]["bind"]["options"] == ["BF16/CFP8", "FP32"]
    (headline,) = [layer for layer in spec["layer"] if layer.get("name") == charts.HEADLINE]
    calc = {t["as"]: t["calculate"] for t in headline["transform"] if "calculate" in t}
    # The ExaPOD's peak for the chosen precision, over the reference, in percent:
    # BF16 1e18 / 4e19 = 2.5 %; FP32 6e16 / 1e18 = 6 %.
    peak_expr = calc["exapod"].replace("precision == 'FP32'", "precision_is_fp32").replace("?", " if ")
    bf16 = _eval(re.sub(r"(.+) if (.+) : (.+)", r"\3", peak_expr), {})
    fp32 = _eval(re.sub(r"(.+) if (.+) : (.+)", r"\2", peak_expr), {})
    assert _eval(calc["share"], {"exapod": bf16, "value": 4.0e19}) == pytest.approx(2.5)
    assert _eval(calc["share"], {"exapod": fp32, "value": 1.0e18}) == pytest.approx(6.0)


def test_share_explorer_needs_two_precisions():
    with pytest.raises(ValueError, match="exactly two precisions"):
        charts.share_explorer(_references(), "ExaPOD", {"BF16": 1e18}, result="r", title="T")


# --- training-time


def _times():
    return pd.DataFrame({"run": ["GPT-3", "GPT-3"], "machine": ["Pod", "Server"],
                         "days": [10.0, 5000.0], "low": [8.0, 4000.0], "high": [14.0, 7000.0]})


def test_days_range_dots_draws_a_dot_at_the_central_value_and_a_bar_over_the_range():
    spec = charts.days_range_dots(_times(), machines=["Server", "Pod"], runs=["GPT-3"],
                                  title="T", subtitle="S").to_dict()
    bars, dots = spec["layer"]
    assert (bars["mark"]["type"], dots["mark"]["type"]) == ("rule", "point")
    assert (bars["encoding"]["x"]["field"], bars["encoding"]["x2"]["field"]) == ("low", "high")
    assert dots["encoding"]["x"]["field"] == "days"
    assert dots["encoding"]["x"]["scale"] == {"type": "log", "domain": [0.01, 1e6]}
    assert dots["encoding"]["y"]["sort"] == ["Server", "Pod"]  # the order given, not alphabetical
    assert dots["encoding"]["yOffset"]["field"] == "run"
    tips = [t.get("title") for t in dots["encoding"]["tooltip"][2:]]
    assert tips == ["days (central)", "days (5th percentile)", "days (95th percentile)"]
    assert [r["days"] for r in spec["datasets"][spec["data"]["name"]]] == [10.0, 5000.0]


def test_training_time_explorer_computes_days_from_flop_peak_and_utilisation():
    frame = pd.DataFrame({"run": ["GPT-3", "GPT-3"], "machine": ["Pod", "Server"],
                          "flop": [8.64e22, 8.64e22], "peak": [1e18, 1e15]})
    spec = charts.training_time_explorer(frame, mfu=(40, 20, 50), machine="Pod", run="GPT-3",
                                         result="days_id", title="T", subtitle="S").to_dict()
    assert spec["usermeta"] == {"claimcheck_result": "days_id"}
    params = {p["name"]: p for p in spec["params"]}
    assert params["mfu_pct"]["value"] == 40
    assert (params["mfu_pct"]["bind"]["min"], params["mfu_pct"]["bind"]["max"]) == (20, 50)
    assert params["machine_choice"]["bind"]["options"] == ["Pod", "Server"]
    (label,) = [layer for layer in spec["layer"] if layer.get("name") == charts.HEADLINE]
    calc = {t["as"]: t["calculate"] for t in label["transform"] if "calculate" in t}
    # 8.64e22 FLOP at 1e18 FLOP/s x 40 % = 2.16e5 s = 2.5 days
    assert _eval(calc["days"], {"flop": 8.64e22, "peak": 1e18}, mfu_pct=40) == pytest.approx(2.5)


# --- measure-your-machine


def test_speed_bars_start_at_the_floor_of_the_log_axis():
    frame = pd.DataFrame({"label": ["you", "H100"], "precision": ["FP64", "FP64"],
                          "flops": [5e10, 3.4e13], "text": ["50.0 GFLOP/s", "34.0 TFLOP/s"]})
    spec = charts.speed_bars(frame, floor=1e9, top=1e19, x_title="Speed", title="T", subtitle="S").to_dict()
    bars, text = spec["layer"]
    assert (bars["mark"]["type"], text["mark"]["type"]) == ("bar", "text")
    assert bars["encoding"]["x"]["scale"] == {"type": "log", "domain": [1e9, 1e19]}
    assert bars["encoding"]["x2"] == {"datum": 1e9}  # a log scale has no zero
    assert bars["encoding"]["color"]["field"] == "precision"
    assert text["encoding"]["text"]["field"] == "text"
    assert [r["label"] for r in spec["datasets"][spec["data"]["name"]]] == ["you", "H100"]


def _machines(you=(False, True)):
    return pd.DataFrame({"machine": ["pod", "you"], "flops": [1e18, 0.0], "you": list(you)})


def test_work_time_explorer_times_the_work_at_the_slider_speed():
    spec = charts.work_time_explorer(_machines(), 1e18, speed_gflops=100, result="r", title="T",
                                     subtitle="S", x_title="X").to_dict()
    (speed,) = spec["params"]
    assert speed["value"] == 100
    bars = spec["layer"][0]
    calc = {t["as"]: t["calculate"] for t in bars["transform"] if "calculate" in t}
    you_rate = _eval(calc["rate"].replace("datum.you ? ", "").split(" : ")[0], {}, speed=100)
    assert you_rate == 1e11  # 100 GFLOP/s
    # 1e18 FLOP at 1e11 FLOP/s is 1e7 s; a Julian year is 365.25 x 86,400 s = 31,557,600 s
    assert _eval(calc["seconds"], {"rate": 1e11}) == pytest.approx(1e7)
    assert _eval(calc["years"], {"rate": 1e11}) == pytest.approx(1e7 / 31_557_600)
    # the pod at 1e18 FLOP/s takes one second
    assert _eval(calc["seconds"], {"rate": 1e18}) == pytest.approx(1.0)


def test_work_time_explorer_needs_exactly_one_slider_row():
    with pytest.raises(ValueError, match="exactly one row"):
        charts.work_time_explorer(_machines(you=(True, True)), 1e18, speed_gflops=100, result="r",
                                  title="T", subtitle="S", x_title="X")


# --- claimcheck.units


@pytest.mark.parametrize("q, unit, text", [
    (Q_(3.14e23, "FLOP"), "FLOP", "3.14 × 10²³ FLOP"),
    (Q_(1e25, "FLOP"), "FLOP", "10²⁵ FLOP"),            # a round size: no "1.00 ×"
    (Q_(1000, "PFLOP"), "FLOP", "10¹⁸ FLOP"),           # converted: 1,000 PFLOP = 10^18 FLOP
    (3.8e25, "FLOP", "3.80 × 10²⁵ FLOP"),               # a bare number takes the unit as given
    (2.5e-7, "", "2.50 × 10⁻⁷"),
])
def test_format_scientific(q, unit, text):
    assert format_scientific(q, unit) == text


@pytest.mark.parametrize("bad", [0.0, float("inf")])
def test_format_scientific_refuses_what_has_no_exponent(bad):
    with pytest.raises(ValueError, match="finite, non-zero"):
        format_scientific(bad, "")


@pytest.mark.parametrize("q, text", [
    (Q_(400, "day"), "1.10 years"),   # 400 / 365.25 = 1.095
    (Q_(1, "year"), "1.00 years"),  # from one year up, in years
    (Q_(30, "day"), "30.0 days"),
    (Q_(3, "hour"), "3.00 hours"),
])
def test_format_duration(q, text):
    assert format_duration(q) == text


def test_format_duration_refuses_what_is_not_a_time():
    with pytest.raises(ValueError, match="needs a time"):
        format_duration(Q_(3, "m"))
