"""Publishing a result: the glued prose, the record in results.json, and refusals of bad input."""

from __future__ import annotations

import json

import pytest

from claimcheck.results import Publisher, merge
from claimcheck.units import Q_


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_RESULTS_DIR", str(tmp_path))
    return tmp_path


def test_publish_records_value_unit_and_page(folder):
    pub = Publisher("notebooks/exapod-arithmetic")
    text = pub.publish("pod_peak", Q_(1086, "PFLOP/s"), label="ExaPOD peak")
    assert text == "1.09 EFLOP/s"
    data = json.loads((folder / "notebooks__exapod-arithmetic.json").read_text())
    (record,) = data["results"]
    assert record["value"] == pytest.approx(1.086e18)
    assert record["unit"] == "FLOP/s"
    assert record["page"] == "notebooks/exapod-arithmetic"
    assert record["low"] is None and record["high"] is None


def test_publish_with_range_and_fixed_unit(folder):
    pub = Publisher("notebooks/power")
    text = pub.publish("facility", Q_(150, "MW"), Q_(120e3, "kW"), Q_(0.18, "GW"), label="power", unit="W")
    record = json.loads((folder / "notebooks__power.json").read_text())["results"][0]
    assert (record["low"], record["value"], record["high"]) == (1.2e8, 1.5e8, 1.8e8)
    assert text == "150 MW (120–180 MW)"  # results.json in W, prose with its SI prefix
    assert record["central_text"] == "150 MW"


def test_units_without_an_si_prose_form_are_written_out(folder):
    pub = Publisher("p")
    assert pub.publish("nox", Q_(87, "short_ton/year"), label="cap", unit="short_ton/year") \
        == "87.0 short tons/year"


def test_counts_are_published_as_counts(folder):
    pub = Publisher("p")
    assert pub.publish("chips", 3000, label="chips", unit="count") == "3,000"
    assert pub.publish("gpus", 44_544, label="exact count", unit="count") == "44,544"
    # An estimated count carries a range and is rounded like its bounds.
    assert pub.publish("h100s", 36_363, 33_333, 40_000, label="estimate", unit="count") == \
        "36,400 (33,300–40,000)"
    assert pub.publish("h100q", Q_(36_363, ""), Q_(33_333, ""), Q_(40_000, ""), label="estimate",
                       unit="count") == "36,400 (33,300–40,000)"
    assert json.loads((folder / "p.json").read_text())["results"][0]["unit"] == "count"


def test_an_estimate_brings_its_own_range(folder):
    class Estimate:  # the shape claimcheck.uncertainty.Estimate has
        central, low, high = Q_(10, "day"), Q_(8, "day"), Q_(14, "day")

    pub = Publisher("p")
    pub.publish("days", Estimate(), label="days", unit="day")
    record = json.loads((folder / "p.json").read_text())["results"][0]
    assert (record["low"], record["value"], record["high"]) == (8, 10, 14)


@pytest.mark.parametrize("kwargs, message", [
    ({"id": "Bad-Id", "value": Q_(1, "W")}, "snake_case"),
    ({"id": "x", "value": Q_(1, "W"), "low": Q_(2, "W")}, "both low and high"),
    ({"id": "x", "value": Q_(1, "W"), "low": Q_(2, "W"), "high": Q_(3, "W")}, "outside"),
    ({"id": "x", "value": Q_(float("nan"), "W")}, "finite"),
])
def test_bad_results_are_refused(folder, kwargs, message):
    with pytest.raises(ValueError, match=message):
        Publisher("p").publish(label="l", **kwargs)


def test_same_id_twice_is_refused(folder):
    pub = Publisher("p")
    pub.publish("x", Q_(1, "W"), label="l")
    with pytest.raises(ValueError, match="published twice"):
        pub.publish("x", Q_(2, "W"), label="l")


def test_merge_sorts_and_rejects_duplicates_across_pages(folder):
    Publisher("b").publish("zeta", Q_(1, "W"), label="z")
    Publisher("a").publish("alpha", Q_(2, "W"), label="a")
    assert [r["id"] for r in merge(folder)] == ["alpha", "zeta"]
    Publisher("c").publish("alpha", Q_(3, "W"), label="again")
    with pytest.raises(ValueError, match="alpha"):
        merge(folder)


def test_nothing_is_written_outside_the_build(tmp_path, monkeypatch):
    monkeypatch.delenv("CLAIMCHECK_RESULTS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    Publisher("p").publish("x", Q_(1, "W"), label="l")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text", ["3,000", "1.09 EFLOP/s", "150 MW (120–180 MW)", "$1.00 billion"])
def test_glued_text_survives_myst_nb_unchanged(text):
    """{glue:text} shows literal_eval(repr(value)); a plain str must come back as itself."""
    from myst_nb.core.variables import format_plain_text

    assert format_plain_text(repr(text), "") == text


def _record(folder, page="p"):
    return {r["id"]: r for r in json.loads((folder / f"{page}.json").read_text())["results"]}


PERCENT = (Q_(3.49, "percent"), Q_(0.277, "percent"), Q_(8.43, "percent"))
FRACTION = (Q_(0.0349, ""), Q_(0.00277, ""), Q_(0.0843, ""))


@pytest.mark.parametrize("with_range", [False, True], ids=["alone", "with_range"])
@pytest.mark.parametrize("given", [PERCENT, FRACTION], ids=["in_percent", "as_fraction"])
def test_a_percentage_is_stored_and_written_in_percent(folder, given, with_range):
    """The defect: with a range, 3.49 % was stored as 0.0349 "percent" and written "0.0349 (...)"."""
    value, low, high = given if with_range else (given[0], None, None)
    text = Publisher("p").publish("share", value, low, high, label="share", unit="percent")
    assert text == ("3.49 % (0.277–8.43 %)" if with_range else "3.49 %")
    record = _record(folder)["share"]
    assert record["unit"] == "percent"
    assert record["value"] == pytest.approx(3.49)
    assert record["central_text"] == "3.49 %"
    if with_range:
        assert (record["low"], record["high"]) == (pytest.approx(0.277), pytest.approx(8.43))


def test_a_quantity_in_percent_keeps_its_unit_without_being_told(folder):
    pub = Publisher("p")
    assert pub.publish("share", Q_(3.49, "percent"), Q_(0.277, "percent"), Q_(8.43, "percent"),
                       label="share") == "3.49 % (0.277–8.43 %)"
    assert pub.publish("trace", Q_(12, "ppm"), Q_(10, "ppm"), Q_(15, "ppm"), label="trace") \
        == "12.0 ppm (10.0–15.0 ppm)"
    records = _record(folder)
    assert (records["share"]["unit"], records["share"]["value"]) == ("percent", 3.49)
    assert (records["trace"]["unit"], records["trace"]["high"]) == ("ppm", 15)


def test_a_dimensionless_ratio_of_units_is_written_with_them(folder):
    """A heat rate in Btu/kWh is dimensionless to pint, but 9,000–11,000 is meaningless alone."""
    text = Publisher("p").publish("heat_rate", Q_(10_000, "Btu/kWh"), Q_(9_000, "Btu/kWh"),
                                  Q_(11_000, "Btu/kWh"), label="heat rate", unit="Btu/kWh")
    assert text == "10,000 Btu/kWh (9,000–11,000 Btu/kWh)"
    record = _record(folder)["heat_rate"]
    assert (record["unit"], record["low"], record["value"], record["high"]) == ("Btu/kWh", 9000, 10000, 11000)


@pytest.mark.parametrize("unit", ["dimensionless", None])
def test_a_plain_ratio_is_a_number_with_or_without_a_range(folder, unit):
    pub = Publisher("p")
    assert pub.publish("ratio", Q_(91.105, ""), label="ratio", unit=unit) == "91.1"
    assert pub.publish("ranged", Q_(0.6234, ""), Q_(0.5, ""), Q_(0.75, ""), label="r", unit=unit) \
        == "0.623 (0.500–0.750)"
    # a ratio given in percent but published as a plain number is stored as the fraction
    assert pub.publish("fraction", Q_(2.49, "percent"), label="f", unit="dimensionless") == "0.0249"
    records = _record(folder)
    assert (records["ranged"]["unit"], records["ranged"]["low"]) == ("dimensionless", 0.5)
    assert records["fraction"]["value"] == pytest.approx(0.0249)


@pytest.mark.parametrize("value, low, high", [
    (0.0349, None, None),
    (Q_(3.49, "percent"), 0.277, 8.43),
    (1.09e18, None, None),
])
def test_a_bare_number_with_a_unit_is_refused(folder, value, low, high):
    """Is 0.0349 with unit "percent" a fraction or a percentage? The caller must say."""
    unit = "FLOP/s" if value == 1.09e18 else "percent"
    with pytest.raises(ValueError, match=r"bare number .* pass a Quantity"):
        Publisher("p").publish("x", value, low, high, label="l", unit=unit)
