"""Tests for claimcheck.sources: the broken fixtures fail with precise messages, and the
real tables load, cite real bibliography entries and carry the figures their sources give.

Expected numbers in the real-data tests are taken from the source documents (quoted in
the comments), not from the loader, so a mistyped row fails here.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import json
import math
import os
import re
from pathlib import Path

import pandas as pd
import pint
import pybtex.database
import pytest

from claimcheck import schema, sources
from claimcheck.sources import (
    DataError,
    Figure,
    UnknownFigure,
    figure,
    load_table,
    validate_all,
    value,
)
from claimcheck.units import Q_, ureg

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
BIB = ROOT / "book" / "references.bib"


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    """Tests choose their data folder explicitly; an exported CLAIMCHECK_DATA must not leak in."""
    monkeypatch.delenv("CLAIMCHECK_DATA", raising=False)


# The real package's field definitions by name: a test table takes its rules from here,
# never from a copy.
PACKAGE = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
TOPIC_RESOURCES = [r for r in PACKAGE["resources"] if r["path"] not in sources.NOT_TOPIC_TABLES]
REAL_FIELDS = {f["name"]: f for r in reversed(TOPIC_RESOURCES) for f in r["schema"]["fields"]}
SCHEMA_KEYS = {k: v for k, v in TOPIC_RESOURCES[0]["schema"].items() if k != "fields"}


def enum(field: str) -> str:
    return ", ".join(REAL_FIELDS[field]["constraints"]["enum"])


FIXTURE_BIB = "@misc{goodkey2026, title = {A fixture source}, url = {https://example.org/}}\n"
HEADER = ["id", "quantity", "precision", "sparsity", "kind", "date", "value", "low", "high",
          "unit", "source", "locator", "accessed", "grade", "note"]
GOOD_ROWS = [
    ["a_chip_peak", "Peak of a chip", "BF16", "dense", "peak", "2024", "100", "", "",
     "TFLOP/s", "goodkey2026", "p. 1", "2026-11-29", "primary", ""],
    ["b_row", "Power of a board", "", "", "", "2024-05-01", "3", "2", "4",
     "W", "goodkey2026", "p. 2", "2026-11-29", "secondary", ""],
]


def write_data(folder: Path, tables: dict[str, list[list[str]]], bib: str = FIXTURE_BIB) -> Path:
    """A miniature data folder: the tables (header row first), a references.bib, and a
    datapackage.json whose fields are the real package's fields of the same name."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "references.bib").write_text(bib, encoding="utf-8")
    resources = []
    for name, rows in tables.items():
        with open(folder / name, "w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        fields = [REAL_FIELDS.get(col, {"name": col, "type": "string"}) for col in rows[0]]
        resources.append({"name": Path(name).stem, "path": name, "profile": "tabular-data-resource",
                          "schema": {"fields": fields, **SCHEMA_KEYS}})
    (folder / "datapackage.json").write_text(json.dumps({"name": "fixture", "resources": resources}),
                                             encoding="utf-8")
    return folder


def good_table(**changes) -> list[list[str]]:
    """The good table with cells changed: ``row_1={"grade": "x"}`` (1-based data rows)."""
    rows = [list(HEADER)] + [list(r) for r in GOOD_ROWS]
    for key, cells in changes.items():
        row = rows[int(key.removeprefix("row_"))]
        for col, text in cells.items():
            row[HEADER.index(col)] = text
    return rows


def test_the_good_table_loads(tmp_path):
    """So each broken case below fails for its own change, not for the table around it."""
    frame = load_table("table", data_dir=write_data(tmp_path, {"table.csv": good_table()}))
    assert list(frame["id"]) == ["a_chip_peak", "b_row"]
    # An empty access date is allowed when the note says what could not be re-checked.
    folder = write_data(tmp_path / "rechecked", {"table.csv": good_table(
        row_2={"accessed": "", "note": "not re-checked: the page is gone"})})
    assert load_table("table", data_dir=folder)["accessed"].iloc[1] == ""


# name: (changed cells, what the message must say). The first group is datapackage.json's
# rules (checked by Frictionless); the rest are the rules Python keeps.
BROKEN = {
    "id not snake_case": ({"row_2": {"id": "B-Row"}},
                          ["table.csv row 2 (B-Row): column 'id' must match the pattern "
                           f"{REAL_FIELDS['id']['constraints']['pattern']}, got 'B-Row'"]),
    "duplicate id": ({"row_2": {"id": "a_chip_peak"}},
                     ["table.csv row 2 (a_chip_peak): column 'id' duplicates row 1"]),
    "grade not in the enum": ({"row_2": {"grade": "tertiary"}},
                              [f"table.csv row 2 (b_row): column 'grade' must be one of {enum('grade')}; "
                               "unknown grade 'tertiary'"]),
    "grade missing": ({"row_2": {"grade": ""}}, ["table.csv row 2 (b_row): column 'grade' is empty"]),
    "source missing": ({"row_2": {"source": ""}}, ["table.csv row 2 (b_row): column 'source' is empty"]),
    "unit missing": ({"row_2": {"unit": ""}}, ["table.csv row 2 (b_row): column 'unit' is empty"]),
    "quantity missing": ({"row_2": {"quantity": ""}}, ["table.csv row 2 (b_row): column 'quantity' is empty"]),
    "value missing": ({"row_2": {"value": ""}}, ["table.csv row 2 (b_row): column 'value' is empty"]),
    "value not a number": ({"row_2": {"value": "about 3"}},
                           ["table.csv row 2 (b_row): column 'value' is not a number: 'about 3'"]),
    "low not a number": ({"row_2": {"low": "two"}},
                         ["table.csv row 2 (b_row): column 'low' is not a number: 'two'"]),
    "accessed not an ISO date": ({"row_2": {"accessed": "29/11/2026"}},
                                 ["table.csv row 2 (b_row): column 'accessed' is not an ISO date",
                                  "'29/11/2026'"]),
    "accessed not a real day": ({"row_2": {"accessed": "2026-02-30"}},
                                ["table.csv row 2 (b_row): column 'accessed' is not an ISO date",
                                 "'2026-02-30'"]),
    "date not ISO 8601": ({"row_2": {"date": "May 2024"}},
                          ["table.csv row 2 (b_row): column 'date' must match the pattern", "'May 2024'"]),
    "date with month 13": ({"row_2": {"date": "2024-13"}},
                           ["table.csv row 2 (b_row): column 'date' must match the pattern", "'2024-13'"]),
    "sparsity not in the enum": ({"row_1": {"sparsity": "half"}},
                                 [f"table.csv row 1 (a_chip_peak): column 'sparsity' must be one of "
                                  f"{enum('sparsity')}; unknown sparsity 'half'"]),
    "kind not in the enum": ({"row_1": {"kind": "claimed"}},
                             [f"table.csv row 1 (a_chip_peak): column 'kind' must be one of {enum('kind')}; "
                              "unknown kind 'claimed'"]),
    # Rules across cells, units and the bibliography, kept in Python (Frictionless's
    # number type takes NaN and infinity, so finiteness is Python's too):
    "value not finite": ({"row_2": {"value": "NaN", "low": "", "high": ""}},
                         ["table.csv row 2 (b_row): column 'value' is not a finite number: 'NaN'"]),
    "date not on the calendar": ({"row_2": {"date": "2025-02-30"}},
                                 ["table.csv row 2 (b_row): column 'date' is not a day on the calendar"]),
    "source not in the bibliography": ({"row_2": {"source": "nosuchkey1999"}},
                                       ["table.csv row 2 (b_row): column 'source' key 'nosuchkey1999' "
                                        "is not in references.bib"]),
    "unit pint cannot parse": ({"row_2": {"unit": "furlongs_per_wombat"}},
                               ["table.csv row 2 (b_row): column 'unit' cannot be parsed",
                                "furlongs_per_wombat"]),
    "low above the value": ({"row_2": {"low": "3.5"}},
                            ["table.csv row 2 (b_row): column 'low' is above the value",
                             "low <= value <= high"]),
    "value above high": ({"row_2": {"high": "2.5"}},
                         ["table.csv row 2 (b_row): column 'high' is below the value"]),
    "range with one end": ({"row_2": {"high": ""}},
                           ["table.csv row 2 (b_row): column 'high' is empty but 'low' is set"]),
    "accessed empty, note silent": ({"row_2": {"accessed": ""}},
                                    ["table.csv row 2 (b_row): column 'accessed' is empty",
                                     "not re-checked"]),
    "FLOP/s row without precision": ({"row_1": {"precision": ""}},
                                     ["table.csv row 1 (a_chip_peak): column 'precision' is empty; "
                                      "FLOP/s rows need"]),
    "FLOP/s row without kind": ({"row_1": {"kind": ""}},
                                ["table.csv row 1 (a_chip_peak): column 'kind' is empty; FLOP/s rows need"]),
}


@pytest.mark.parametrize("changes, expected", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_table_names_file_row_id_column_and_rule(tmp_path, changes, expected):
    folder = write_data(tmp_path, {"table.csv": good_table(**changes)})
    with pytest.raises(DataError) as info:
        validate_all(folder)
    msg = str(info.value)
    for text in expected:
        assert text in msg, f"{text!r} not in:\n{msg}"
    for line in info.value.errors:
        assert line.startswith("table.csv row ") and "column '" in line, line


@pytest.mark.parametrize("drop, expected", [
    ("source", "table.csv header: column 'source' is missing"),
    ("grade", "table.csv header: column 'grade' is missing"),
])
def test_a_table_without_a_required_column(tmp_path, drop, expected):
    rows = [[c for c, h in zip(r, HEADER, strict=True) if h != drop] for r in good_table()]
    with pytest.raises(DataError, match=re.escape(expected)):
        load_table("table", data_dir=write_data(tmp_path, {"table.csv": rows}))


def test_a_table_out_of_column_order(tmp_path):
    rows = [r[:6] + r[7:-1] + [r[6], r[-1]] for r in good_table()]  # value moved to the end
    with pytest.raises(DataError, match="table.csv header: columns are out of order"):
        load_table("table", data_dir=write_data(tmp_path, {"table.csv": rows}))


def test_duplicate_id_across_tables(tmp_path):
    second = good_table(row_1={"id": "z_row"})[:2] + [good_table()[2]]
    folder = write_data(tmp_path, {"first.csv": good_table(), "second.csv": second})
    # Each table is fine alone ...
    load_table("first", data_dir=folder)
    load_table("second.csv", data_dir=folder)
    # ... but ids must be unique across the whole folder.
    with pytest.raises(DataError) as info:
        validate_all(folder)
    assert "second.csv row 2 (b_row): column 'id' duplicates first.csv row 2" in str(info.value)


def test_a_table_needs_its_schema(tmp_path):
    folder = write_data(tmp_path, {"table.csv": good_table()})
    (folder / "extra.csv").write_text((folder / "table.csv").read_text())
    with pytest.raises(DataError, match="extra.csv: not described in datapackage.json"):
        load_table("extra", data_dir=folder)
    (folder / "datapackage.json").unlink()
    with pytest.raises(DataError, match="datapackage.json: not found"):
        load_table("table", data_dir=folder)


def test_errors_are_collected_not_just_the_first(tmp_path):
    folder = write_data(tmp_path, {"t.csv": good_table(row_2={"grade": "x", "id": "B"})})
    with pytest.raises(DataError) as info:
        load_table("t", data_dir=folder)
    assert [e.split(": column ")[1].split()[0] for e in info.value.errors] == ["'id'", "'grade'"]
    folder = write_data(tmp_path / "2", {"t.csv": good_table(row_2={"unit": "bogus_unit_zz",
                                                                     "source": "nokey"})})
    with pytest.raises(DataError) as info:
        load_table("t", data_dir=folder)
    assert len(info.value.errors) == 2


# --------------------------------------------------------------------------- the schema cache


def test_a_table_that_passed_is_not_validated_again(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_CACHE", str(tmp_path / "cache"))
    folder = write_data(tmp_path / "data", {"table.csv": good_table()})
    table, package = folder / "table.csv", folder / "datapackage.json"
    assert schema.check_table(table, package) == []
    assert len(list((tmp_path / "cache" / "schema-valid").iterdir())) == 1

    def no_frictionless(*args):
        raise AssertionError("Frictionless ran on a table the cache knows")
    monkeypatch.setattr(schema, "_validate", no_frictionless)
    assert schema.check_table(table, package) == []            # same bytes: remembered
    broken = table.read_text().replace(",secondary,", ",tertiary,")
    table.write_text(broken)
    with pytest.raises(AssertionError, match="Frictionless ran"):  # new bytes: checked again
        schema.check_table(table, package)
    monkeypatch.undo()
    monkeypatch.setenv("CLAIMCHECK_CACHE", str(tmp_path / "cache"))
    assert schema.check_table(table, package)                 # broken, and never remembered
    assert len(list((tmp_path / "cache" / "schema-valid").iterdir())) == 1


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("CLAIMCHECK_CACHE", str(blocker))      # a file, not a folder
    folder = write_data(tmp_path / "data", {"table.csv": good_table()})
    assert schema.check_table(folder / "table.csv", folder / "datapackage.json") == []


def test_grades_come_from_the_schema():
    assert sources.GRADES == tuple(REAL_FIELDS["grade"]["constraints"]["enum"])


def test_data_error_is_a_value_error():
    assert issubclass(DataError, ValueError)


def test_unknown_table_and_claims_table(tmp_path):
    with pytest.raises(DataError, match="no such table"):
        load_table("nonexistent", data_dir=DATA)
    with pytest.raises(DataError, match="not a topic table"):
        load_table("claims", data_dir=DATA)


# --------------------------------------------------------------------------- locating data


def test_data_dir_env_var_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("CLAIMCHECK_DATA", str(tmp_path))
    assert sources.data_dir() == tmp_path.resolve()


def test_data_dir_searches_upward_from_cwd(monkeypatch, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "datapackage.json").write_text("{}", encoding="utf-8")
    deep = tmp_path / "notebooks" / "sub"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert sources.data_dir() == (tmp_path / "data").resolve()


def test_data_dir_falls_back_to_package_folder(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no data/ with a datapackage.json above a fresh tmp dir
    assert sources.data_dir() == Path(sources.__file__).resolve().parents[1] / "data"


def test_bibliography_beside_data_in_a_student_zip(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "references.bib").write_text("@misc{zipkey2026, title={x}}\n", encoding="utf-8")
    assert sources.bibliography_keys(data) == {"zipkey2026"}
    # Without it, book/references.bib next to the data folder is used.
    (data / "references.bib").unlink()
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "references.bib").write_text("@article{bookkey2026, title={y}}\n", encoding="utf-8")
    assert sources.bibliography_keys(data) == {"bookkey2026"}


def test_missing_bibliography_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="references.bib"):
        sources.bibliography_keys(tmp_path / "data")


def test_edits_invalidate_the_cache(tmp_path):
    write_data(tmp_path, {"table.csv": good_table()})
    table = tmp_path / "table.csv"
    os.utime(table, ns=(1_000_000_000, 1_000_000_000))
    assert figure("b_row", tmp_path).value == Q_(3, "W")
    table.write_text(table.read_text(encoding="utf-8").replace(",3,2,4,W,", ",4,2,4,W,"), encoding="utf-8")
    os.utime(table, ns=(2_000_000_000, 2_000_000_000))
    assert figure("b_row", tmp_path).value == Q_(4, "W")


# --------------------------------------------------------------------------- real tables


@pytest.fixture(scope="module")
def real_tables():
    return validate_all(DATA)


def test_every_real_table_validates(real_tables):
    names = set(real_tables)
    expected = {"accelerators.csv", "systems.csv", "supercomputers.csv", "money.csv",
                "environment.csv", "fleet.csv", "training.csv"}
    assert expected <= names
    assert "claims.csv" not in names
    for name, frame in real_tables.items():
        assert len(frame) > 0, name
        assert list(frame.columns[:2]) == ["id", "quantity"], name
        assert list(frame.columns[-9:]) == ["value", "low", "high", "unit", "source",
                                            "locator", "accessed", "grade", "note"], name


def test_every_real_row_is_a_figure_with_units(real_tables):
    figs = sources.figures(DATA)
    assert len(figs) == sum(len(f) for f in real_tables.values())
    for fig in figs.values():
        assert isinstance(fig.value, pint.Quantity)
        assert fig.value.units == ureg.Unit(fig.unit)
        if fig.low is not None:
            assert fig.low <= fig.value <= fig.high, fig.id


def test_every_source_resolves_in_references_bib(real_tables):
    # Parse the bibliography with pybtex (what sphinxcontrib-bibtex uses), independently
    # of the loader's own key reader.
    bib = pybtex.database.parse_file(str(BIB))
    keys = set(bib.entries)
    cited = set()
    for frame in real_tables.values():
        cited |= set(frame["source"])
    assert cited, "no sources cited"
    assert cited <= keys, f"undefined keys: {sorted(cited - keys)}"
    assert sources.bibliography_keys(DATA) == keys
    for key in cited:
        fields = bib.entries[key].fields
        assert "url" in fields or "howpublished" in fields, key


def test_rows_without_access_date_say_not_rechecked(real_tables):
    for name, frame in real_tables.items():
        for rec in frame.to_dict("records"):
            if not rec["accessed"]:
                assert "not re-checked" in rec["note"], (name, rec["id"])
                assert rec["grade"] != "primary", (name, rec["id"])  # nothing read, nothing primary
            else:
                # Not before the first edition's research, never in the future.
                assert "2026-11-29" <= rec["accessed"] <= _dt.date.today().isoformat(), (name, rec["id"])


def test_every_real_row_is_graded(real_tables):
    grades = set()
    for name, frame in real_tables.items():
        grades |= set(frame["grade"])
        for rec in frame.to_dict("records"):
            # A row read through a copy, a summary or a reprint cannot be primary.
            if rec["grade"] == "primary":
                note = rec["note"].lower()
                assert not any(w in note for w in ("read via", "secondary", "reproduced", "summar")), \
                    (name, rec["id"], rec["note"])
    assert grades == {"primary", "secondary", "assumption"}


def test_figure_carries_its_grade():
    assert figure("tva_co2_rate_2023").grade == "primary"            # TVA's own page
    assert figure("colossus_gpus_2025_05").grade == "secondary"       # a press report
    assert figure("vision_backbone_flop_per_frame").grade == "assumption"


def test_flops_rows_carry_precision_sparsity_and_kind():
    flops = [f for f in sources.figures(DATA).values() if f.value.check("[computation]/[time]")]
    assert len(flops) >= 40
    for fig in flops:
        assert fig.attrs.get("precision"), fig.id
        assert fig.attrs.get("sparsity") in {"dense", "sparse"}, fig.id
        assert fig.attrs.get("kind") in {"peak", "measured"}, fig.id


def test_sparse_peaks_are_twice_dense_peaks():
    """NVIDIA's 2:4 sparsity doubles the quoted peak; a dense/sparse mix-up breaks this."""
    figs = sources.figures(DATA).values()
    pairs = {}
    for f in figs:
        a = f.attrs
        if a.get("kind") == "peak" and a.get("sparsity") in {"dense", "sparse"} and f.table == "accelerators.csv":
            pairs.setdefault((a["entity"], a["precision"]), {})[a["sparsity"]] = f.value
    both = {k: v for k, v in pairs.items() if len(v) == 2}
    assert len(both) >= 8
    for key, v in both.items():
        assert v["sparse"].to("TFLOP/s").magnitude == pytest.approx(2 * v["dense"].to("TFLOP/s").magnitude, rel=2e-3), key


def test_figure_returns_a_frozen_figure():
    fig = figure("h100_bf16_dense")
    assert isinstance(fig, Figure)
    assert fig.table == "accelerators.csv"
    assert fig.source and fig.locator and fig.accessed
    assert fig.attrs["precision"] == "BF16" and fig.precision == "BF16"
    with pytest.raises(dataclasses.FrozenInstanceError):
        fig.value = Q_(1, "FLOP/s")
    with pytest.raises(TypeError):
        fig.attrs["precision"] = "FP8"
    assert fig.low is None and fig.high is None


def test_unknown_figure_is_a_key_error_and_a_data_error():
    with pytest.raises(UnknownFigure) as info:
        figure("h100_bf16")
    assert isinstance(info.value, KeyError) and isinstance(info.value, DataError)
    assert "h100_bf16_dense" in str(info.value)  # suggestions


# Figures from the source documents, with the dimension each must convert to.
# (id, expected value in the given unit, unit, relative tolerance)
SOURCE_VALUES = [
    ("h100_bf16_dense", 989.4, "TFLOP/s", 1e-3),          # Lockwood: BF16 matrix 989.4
    ("h100_bf16_sparse", 1979, "TFLOP/s", 1e-3),          # NVIDIA: BFLOAT16 1,979*
    ("a100_bf16_dense", 312, "TFLOP/s", 1e-3),            # NVIDIA A100: 312 TFLOPS
    ("d1_peak_bf16", 362, "TFLOP/s", 1e-3),               # Tesla AI Day: 362 TFLOPS BF16/CFP8
    ("d1_peak_fp32", 22.6, "TFLOP/s", 1e-3),
    ("h100_tdp", 0.7, "kW", 1e-3),                        # TDP 700 W
    ("dgx_h100_max_power", 10_200, "W", 1e-3),            # '~10.2kW max'
    ("dojo_tile_power", 15, "kW", 1e-3),
    ("dojo_exapod_peak_bf16_claim", 1.1e18, "FLOP/s", 1e-3),
    ("frontier_2024nov_rmax", 1.353e18, "FLOP/s", 1e-3),
    ("elcapitan_2024nov_rmax", 1742, "PFLOP/s", 1e-3),
    ("tva_co2_rate_2023", 283.5, "g/kWh", 2e-3),          # 624.94 lb/MWh = 283.5 g/kWh
    ("us_co2_rate_2023", 0.81, "lb/kWh", 1e-3),
    ("ng_co2_factor", 53.06, "kg/MMBtu", 1e-4),
    ("memphis_nox_permit_cap", 78.9, "tonne/year", 2e-3),  # 87 short tons = 78.9 t
    ("memphis_turbines_permitted_capacity", 247, "MW", 1e-3),
    ("xai_water_demand", 4.73e6, "L/day", 2e-3),           # 1.25 MGD midpoint of 1-1.5
    ("colossus_recycling_capacity", 13e6, "gallon/day", 1e-3),
    ("us_household_electricity_2022", 10.791, "MWh/household/year", 1e-3),
    ("lbnl_dc_electricity_2023", 176e6, "MWh", 1e-3),
    ("tesla_capex_2024", 11.339e9, "USD", 1e-4),
    ("ms_dojo_value_upside", 500e9, "USD", 1e-9),
    ("ms_tsla_price_target_new", 400, "USD/share", 1e-9),
    ("gpt3_training_compute", 3.14e23, "FLOP", 1e-3),
    ("gpt3_training_compute_pfdays", 3.14e23, "FLOP", 2e-3),  # 3,640 PF-days = 3.14e23 FLOP
    ("mfu_palm", 0.462, "dimensionless", 1e-3),
    ("tva_peak_demand_2024", 34.577, "GW", 1e-4),
]


@pytest.mark.parametrize("fid, expected, unit, rel", SOURCE_VALUES, ids=[s[0] for s in SOURCE_VALUES])
def test_real_figures_match_their_sources(fid, expected, unit, rel):
    q = value(fid)
    assert isinstance(q, pint.Quantity)
    assert q.to(unit).magnitude == pytest.approx(expected, rel=rel)


def test_ranges_from_sources():
    water = figure("xai_water_demand")                     # '1 - 1.5 million gallons per day'
    assert water.low.to("MGD").magnitude == pytest.approx(1.0)
    assert water.high.to("MGD").magnitude == pytest.approx(1.5)
    mfu = figure("mfu_llama3_405b")                        # Table 4: 38 %, 41 %, 43 %
    assert (mfu.low.to("percent").magnitude, mfu.high.to("percent").magnitude) == (38, 43)
    price = figure("h100_unit_price")                      # '$25,000 to $30,000'
    assert (price.low.to("USD").magnitude, price.high.to("USD").magnitude) == (25_000, 30_000)


def test_dojo_hierarchy_multiplies_out():
    """25 chips/tile x 6 tiles/tray x 2 trays/cabinet x 10 cabinets = 3,000 chips = 120 tiles."""
    chips = (value("dojo_tile_chips") * value("dojo_tray_tiles") * value("dojo_cabinet_trays")
             * value("dojo_exapod_cabinets"))
    assert chips.to("dimensionless").magnitude == value("dojo_exapod_chips").magnitude == 3000
    assert (value("dojo_tray_tiles") * value("dojo_cabinet_trays") * value("dojo_exapod_cabinets")).magnitude == \
        value("dojo_exapod_tiles").magnitude
    peak = (value("dojo_exapod_chips") * value("d1_peak_bf16")).to("EFLOP/s")
    assert peak.magnitude == pytest.approx(1.086, abs=1e-3)
    claim = value("dojo_exapod_peak_bf16_claim").to("EFLOP/s").magnitude
    assert abs(peak.magnitude - claim) / claim < 0.02       # Tesla's '1.1 EF' rounds 1.086


def test_colossus_phase_one_used_hopper_not_a100():
    """The article's '100,000 NVIDIA A100 GPUs' is what this data must let a chapter refute."""
    for fid in ("colossus_gpus_2024_09", "colossus_gpus_2024_10"):
        fig = figure(fid)
        assert fig.value.magnitude == 100_000
        assert "A100" not in fig.attrs["model"] and "H100" in fig.attrs["model"]


def test_dated_rows_have_iso_dates(real_tables):
    for name, frame in real_tables.items():
        if "date" in frame.columns:
            for d in frame["date"]:
                if d:
                    pd.Timestamp(d)  # parses (YYYY, YYYY-MM or YYYY-MM-DD)
                    assert len(d) in (4, 7, 10), (name, d)


def test_timeline_has_the_key_dates():
    assert figure("event_dojo_disbanded").attrs["date"] == "2025-08-07"
    assert figure("event_dojo3_restart").attrs["date"] == "2026-01-18"
    assert figure("event_ai_day_2021").attrs["date"] == "2021-08-19"


def test_load_table_returns_numeric_columns():
    frame = load_table("accelerators")
    assert frame["value"].dtype.kind == "f"
    assert frame["low"].dtype.kind == "f"
    assert math.isnan(frame.loc[frame["id"] == "h100_tdp", "low"].iloc[0])
    # A copy: mutating it does not touch the cache.
    frame.loc[:, "value"] = 0.0
    assert load_table("accelerators.csv")["value"].max() > 0


# --------------------------------------------------------------------------- reader tables

READER_BIB = r"""
@misc{orgkey2024, author = {{Tom's Hardware}}, title = {x}, year = {2024}, url = {https://example.org/a}}
@article{threekey2023, author = {Talpes, Emil and Das Sarma, Debjit and Williams, Doug},
  title = {y}, journal = {IEEE Micro}, year = {2023}, url = {https://example.org/b}}
@misc{outletkey2025, author = {Chow, Andrew R.}, title = {z}, journal = {TIME}, year = {2025}, url = {https://example.org/c}}
@misc{twokey2023, author = {Davis, Jacqueline and O'Brien, John}, title = {w}, year = {2023}, url = {https://example.org/d}}
@misc{escapedkey2025, author = {{R\&D World}}, title = {v}, url = {https://example.org/e}}
"""
READER_CSV = (
    "id,quantity,value,low,high,unit,source,locator,accessed,grade,note\n"
    "chip_power,Power of one chip,700,,,W,orgkey2024,p. 1,2026-12-04,primary,\n"
    "site_power,Power of the site,150,120,180,MW,threekey2023,Table 2,2026-11-29,secondary,\n"
    "gpu_count,GPUs in the cluster,230000,,,dimensionless,outletkey2025,\"'230,000'\",2026-12-04,secondary,\n"
    "pue_guess,PUE assumed,1.2,1.1,1.4,dimensionless,twokey2023,see text,2026-12-04,assumption,\n"
    "miles,Miles driven,6.5e9,,,mile,escapedkey2025,counter,2026-12-04,secondary,\n"
)


@pytest.fixture
def reader_data(tmp_path):
    rows = list(csv.reader(READER_CSV.splitlines()))
    return write_data(tmp_path, {"t.csv": rows}, bib=READER_BIB)


def test_source_name_as_a_reader_would_say_it(reader_data):
    name = lambda key: sources.source_name(key, reader_data)  # noqa: E731
    assert name("orgkey2024") == "Tom's Hardware, 2024"        # organisation as author
    assert name("threekey2023") == "Talpes et al., 2023"        # three or more people
    assert name("outletkey2025") == "TIME, 2025"               # a journalist's story: its outlet
    assert name("twokey2023") == "Davis and O'Brien, 2023"
    assert name("escapedkey2025") == "R&D World, n.d."          # LaTeX escape undone; no year
    with pytest.raises(DataError, match="no entry 'nosuchkey'"):
        name("nosuchkey")


def test_table_has_the_reader_columns_in_the_given_order(reader_data):
    frame = sources.table(["site_power", "chip_power", "gpu_count", "pue_guess"], reader_data)
    assert list(frame.columns) == ["figure", "value", "source", "grade", "accessed", "where"]
    assert list(frame["figure"]) == ["Power of the site", "Power of one chip",
                                     "GPUs in the cluster", "PUE assumed"]
    assert list(frame["value"]) == ["150 MW (120–180 MW)", "700 W", "230,000", "1.20 (1.10–1.40)"]
    assert list(frame["source"]) == ["Talpes et al., 2023", "Tom's Hardware, 2024", "TIME, 2025",
                                     "Davis and O'Brien, 2023"]
    assert list(frame["grade"]) == ["secondary", "primary", "secondary", "assumption"]
    assert list(frame["accessed"]) == ["2026-11-29", "2026-12-04", "2026-12-04", "2026-12-04"]
    assert list(frame["where"]) == ["Table 2", "p. 1", "'230,000'", "see text"]


def test_table_writes_a_value_in_the_unit_asked_for(reader_data):
    frame = sources.table(["site_power", "chip_power"], reader_data, units={"site_power": "GW"})
    assert list(frame["value"]) == ["0.150 GW (0.120–0.180 GW)", "700 W"]   # one unit for the range
    with pytest.raises(DataError, match="units given for ids not in the table: chip_power"):
        sources.table(["miles"], reader_data, units={"chip_power": "kW"})
    with pytest.raises(UnknownFigure):
        sources.table(["no_such_row"], reader_data)


def test_table_on_the_real_data_names_sources_not_keys():
    frame = sources.table(["h100_bf16_dense", "tva_co2_rate_2023"])
    assert list(frame["source"]) == ["Lockwood, 2024", "Tennessee Valley Authority, 2024"]
    assert frame["value"].iloc[0] == "989 TFLOP/s"


def test_weaker_rows_lists_secondary_and_assumption_rows(reader_data):
    frame = sources.weaker_rows(reader_data)
    assert list(frame.columns) == ["id", "table", "quantity", "grade", "source", "accessed", "note"]
    assert list(frame["id"]) == ["pue_guess", "gpu_count", "miles", "site_power"]  # assumptions first
    assert "chip_power" not in set(frame["id"])                                      # primary left out
    real = sources.weaker_rows(DATA)
    assert set(real["grade"]) == {"secondary", "assumption"}
    assert "vision_backbone_flop_per_frame" in set(real["id"])


def test_source_anchor_is_the_id_sphinx_gives_every_bibliography_entry():
    # claimcheck re-states docutils' make_id so it needs no docutils; the references page's
    # anchors are made by make_id itself, so the two must agree on every real key.
    from docutils.nodes import make_id

    keys = sorted(sources.bibliography_keys())
    assert len(keys) > 20
    for key in keys + ["2024_Odd--Key_", "Key With  Spaces"]:
        assert sources.source_anchor(key) == make_id(sources.CITE_ID.format(key=key)), key
