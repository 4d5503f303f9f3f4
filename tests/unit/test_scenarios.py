"""The shared Colossus scenario, the count accessor and Publisher.glue.

Expected values come from the sources' own numbers (in the comments) or from the formula
written out here, not from the code under test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from claimcheck import sources
from claimcheck.results import Publisher, format_value
from claimcheck.scenarios import colossus_phase1
from claimcheck.sources import DataError
from claimcheck.uncertainty import Range
from claimcheck.units import Q_

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


def copy_data(tmp_path: Path, gpus: str) -> Path:
    """data/ (and the bibliography it cites) with Colossus's September 2024 GPUs changed."""
    shutil.copytree(DATA, tmp_path / "data")
    (tmp_path / "book").mkdir()
    shutil.copy(ROOT / "book" / "references.bib", tmp_path / "book")
    path = tmp_path / "data" / "systems.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[table["id"] == "colossus_gpus_2024_09", "value"] = gpus
    table.to_csv(path, index=False)
    return tmp_path / "data"


def test_count_is_an_int_with_every_digit():
    # xAI: "100,000 H100 GPUs" (systems.csv); NVIDIA: 8 GPUs in a DGX H100
    assert sources.count("colossus_gpus_2024_09") == 100_000
    assert sources.count("dgx_h100_gpus") == 8
    assert isinstance(sources.count("dgx_h100_gpus"), int)


@pytest.mark.parametrize("figure_id, problem", [
    ("dgx_h100_max_power", "not a count"),        # kW: a power, not a number of things
])
def test_count_refuses_what_is_not_a_count(figure_id, problem):
    with pytest.raises(DataError, match=problem):
        sources.count(figure_id)


def test_count_refuses_a_fraction(tmp_path):
    data = copy_data(tmp_path, "99999.5")
    with pytest.raises(DataError, match="99999.5, not a whole number"):
        sources.count("colossus_gpus_2024_09", data)


def test_scenario_follows_the_formula():
    c = colossus_phase1()
    # 100,000 GPUs / 8 per DGX H100 = 12,500 servers at NVIDIA's 10.2 kW maximum
    assert c.servers == 100_000 // 8
    assert c.server_max.to("kW").magnitude == pytest.approx(10.2)
    # facility energy = servers × max × PUE × 8,760 h × load factor
    expected = 12_500 * 10.2 * 1.3 * 8760 * 0.5 / 1000  # MWh
    assert c.annual_energy(1.3, 0.5).to("MWh").magnitude == pytest.approx(expected)
    assert c.it_power().to("MW").magnitude == pytest.approx(12_500 * 10.2 / 1000)
    assert c.it_energy(Q_(1, "day"), 1.0).to("MWh").magnitude == pytest.approx(12_500 * 10.2 * 24 / 1000)
    # load factor runs to flat out; its centre is typical ÷ maximum at three figures
    assert c.load_factor.high == 1.0
    typical = sources.value("dgx_h100_typical_power").to("kW").magnitude
    assert c.load_factor.central == pytest.approx(round(typical / 10.2, 3))
    assert isinstance(c.pue, Range) and c.pue.distribution == "triangular"


def test_scenario_reads_the_data_it_is_given(tmp_path):
    data = copy_data(tmp_path, "80000")
    assert colossus_phase1(data).servers == 10_000


@pytest.mark.parametrize("value, unit, text", [
    ("as typed", None, "as typed"),
    (44_544, None, "44,544"),                      # a count keeps every digit
    (1.0949, None, "1.09"),
    (Q_(150e6, "W"), None, "150 MW"),
    (Q_(150e6, "W"), "kW", "150,000 kW"),
    (Q_(0.0249, ""), "percent", "2.49 %"),
])
def test_format_value_by_kind(value, unit, text):
    assert format_value(value, unit=unit) == text


def test_format_value_writes_a_figure_with_its_range():
    # pue_range_large_ai_site: 1.3 (1.1–1.56) in pue.csv
    assert format_value(sources.figure("pue_range_large_ai_site")) == "1.30 (1.10–1.56)"


@pytest.mark.parametrize("value, unit, problem", [
    (0.5, "MW", "pass a Quantity"),
    (True, None, "True/False"),
    (object(), None, "cannot write"),
])
def test_format_value_refuses(value, unit, problem):
    with pytest.raises((TypeError, ValueError), match=problem):
        format_value(value, unit=unit)


def test_glue_returns_the_text_and_checks_the_name():
    page = Publisher("notebooks/test")
    assert page.glue("gpus", 100_000) == "100,000"
    with pytest.raises(ValueError, match="snake_case"):
        page.glue("Bad-Name", 1)
    assert page.results == {}  # glued prose is not a published result
