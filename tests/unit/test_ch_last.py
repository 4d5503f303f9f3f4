"""The helpers precision-and-peak, interconnect and colossus share (branch ch-last):
sources.qualifiers, charts.flops_rows, charts.flops_references and charts.count_rows.

Expected values are worked out by hand from the rows in data/*.csv or the inputs here,
not read back from the code."""

from __future__ import annotations

import pandas as pd
import pytest

from claimcheck import charts, sources
from claimcheck.units import Q_


def test_qualifiers_joins_the_filled_cells_in_the_order_asked():
    # data/accelerators.csv: d1_peak_bf16 is BF16, dense, peak
    assert sources.qualifiers("d1_peak_bf16") == "BF16, dense, peak"
    assert sources.qualifiers("d1_peak_bf16", ("kind", "precision")) == "peak, BF16"


def test_qualifiers_skips_empty_and_missing_cells():
    # data/systems.csv: colossus_gpus_2024_09 has model H100, date 2024-09-02, no precision
    assert sources.qualifiers("colossus_gpus_2024_09") == ""
    keys = ("model", "date", "precision", "sparsity", "kind", "no_such_column")
    assert sources.qualifiers("colossus_gpus_2024_09", keys) == "H100, 2024-09-02"


def test_qualifiers_names_an_unknown_figure():
    with pytest.raises(Exception, match="no_such_figure"):
        sources.qualifiers("no_such_figure")


def test_flops_rows_converts_to_flops_and_writes_notes_in_brackets():
    frame = charts.flops_rows([("A", "BF16 peak", Q_(1.25, "EFLOP/s")),
                               ("B", "FP64 measured", Q_(345, "PFLOP/s"), "November 2024 list")])
    assert list(frame.columns) == ["machine", "measure", "flops", "label"]
    assert frame["flops"].tolist() == pytest.approx([1.25e18, 3.45e17])
    assert frame.loc[0, "label"] == "1.25 EFLOP/s"
    assert frame.loc[1, "label"] == "345 PFLOP/s (November 2024 list)"
    chart = charts.flops_landscape(frame, machines=["A", "B"], measures=["BF16 peak", "FP64 measured"],
                                   title="T", subtitle="S").to_dict()
    points = chart["layer"][2]
    rows = chart["datasets"][points["data"]["name"]]
    assert [r["flops"] for r in rows] == pytest.approx([1.25e18, 3.45e17])


def test_flops_references_keeps_order_in_flops():
    frame = charts.flops_references([("first", Q_(3, "EFLOP/s")), ("second", Q_(40, "PFLOP/s"))])
    assert frame["reference"].tolist() == ["first", "second"]
    assert frame["value"].tolist() == pytest.approx([3e18, 4e16])


def test_count_rows_marks_plans_and_sorts_by_date():
    rows = pd.DataFrame({"id": ["c_gpus_2025_05", "c_gpus_planned_200k", "c_gpus_2024_09"],
                         "date": ["2025-05", "2024-09-02", "2024-09-02"],
                         "value": [150000, 200000, 100000], "model": ["H100", "H100/H200", "H100"],
                         "source": ["a", "b", "c"]})
    counts = charts.count_rows(rows)
    assert counts["when"].is_monotonic_increasing
    by_id = counts.assign(id=rows["id"]).set_index("id")
    assert by_id.loc["c_gpus_planned_200k", "status"] == "planned"
    assert by_id.loc["c_gpus_planned_200k", "label"] == "planned: 200,000 H100/H200"
    assert by_id.loc["c_gpus_2025_05", "status"] == "reported"
    assert by_id.loc["c_gpus_2025_05", "label"] == "150,000 H100"
    assert by_id.loc["c_gpus_2024_09", "gpus"] == 100000.0
    chart = charts.count_steps(counts, y_title="GPUs", domain=[0, 250000], reference=100000,
                               reference_text="r", title="T", description="D").to_dict()
    assert "planned: 200,000 H100/H200" in chart["description"]
