"""Numbers flow from the data: change one input and exactly the results that depend on it move,
by the factor the physics says, in results.json and in the page's glued prose.

The input is Colossus's GPU count at launch (``colossus_gpus_2024_09`` in data/systems.csv).
A copy of the data folder ($CLAIMCHECK_DATA) gets 0.8 times as many GPUs, and the chapters
that read it are executed again (jupytext + nbclient, like test_results_json.py). The
baseline is the built site's results.json, which test_results_json.py proves a fresh run
reproduces exactly.
"""

from __future__ import annotations

import csv
import json
import re
import shutil

import jupytext
import numpy as np
import pytest
from conftest import ROOT, SITE
from myst_nb.core.variables import format_plain_text
from myst_nb.ext.glue import GLUE_PREFIX
from nbclient import NotebookClient
from prose import parse_prose

from claimcheck.results import merge
from claimcheck.units import ureg

INPUT = "colossus_gpus_2024_09"
FACTOR = 0.8   # 100,000 -> 80,000: still whole 8-GPU servers, and 2025's 200,000 is still a doubling
# The chapters that read the input: found by reading them (test_readers_are_the_chapters_re_executed
# keeps this list honest). Each takes about 4 s to execute.
READERS = ["carbon", "check-the-next-headline", "colossus", "interconnect", "power-and-energy",
           "training-time", "water"]

# Results proportional to the GPU count, and why.
LINEAR = {
    "colossus_peak_bf16_h100": "peak = GPUs x per-GPU peak",
    "colossus_peak_bf16_a100": "the article's A100 claim, for the same number of GPUs",
    "colossus_exapod_ratio": "Colossus's peak over one ExaPOD's: the numerator is GPUs x peak",
    "colossus_facility_power": "servers (GPUs / 8) x server power x PUE",
    "colossus_annual_energy": "facility power x a year x load factor",
    "colossus_annual_co2_tva": "energy x TVA's carbon intensity",
    "colossus_annual_co2_us_average": "energy x the US average intensity",
    "colossus_annual_co2_turbines": "energy x heat rate x gas emission factor",
    "colossus_water_daily": "IT energy x WUE",
    "colossus_water_offsite_daily": "facility energy x the power stations' water intensity",
    "calculator_water_total_colossus": "the calculator's Colossus: IT energy x WUE + facility energy x EWIF",
}
# Results inversely proportional to the GPU count, and why.
INVERSE = {
    "colossus_water_claim_wue": "xAI's stated water over Colossus's IT energy, which is GPUs x power",
    "calculator_llama3_days_colossus": "a fixed training budget over Colossus's throughput, GPUs x peak",
}
# The ring all-reduce over every Colossus GPU takes 2(N-1)/N x S/B (bandwidth: barely moves)
# + 2(N-1) x alpha (latency: grows with N - 1); allreduce_seconds_400gbe is the same all-reduce
# over a fixed 1,024 GPUs, so the two results give S/B and alpha without reading the notebook.
RING = "allreduce_seconds_colossus"
RING_FIXED = ("allreduce_seconds_400gbe", 1024)


def _results_file():
    path = SITE / "results.json"
    if not path.exists():
        pytest.fail("no results.json: build the book first (make test does)")
    return {r["id"]: r for r in json.loads(path.read_text())["results"]}


def _set_value(table, row_id, factor) -> tuple[float, float]:
    with open(table, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, col = rows[0], rows[0].index("value")
    (row,) = [r for r in rows[1:] if r[header.index("id")] == row_id]
    old = float(row[col])
    row[col] = f"{old * factor:g}"
    with open(table, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return old, old * factor


def _glued_text(nb) -> dict[str, str]:
    """What {glue:text} shows on the page: myst-nb literal-evaluates the glued text/plain."""
    glued = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            plain = out.get("data", {}).get(GLUE_PREFIX + "text/plain")
            if name and plain is not None:
                glued[name] = format_plain_text(plain, "")
    return glued


def _ring_expected(old, new_n, old_n) -> dict[str, float]:
    """The all-reduce at ``new_n`` GPUs, for its central value and each bound."""
    fixed, fixed_n = old[RING_FIXED[0]], RING_FIXED[1]
    # Central: solve t = b(N) * S/B + l(N) * alpha at N = 1024 and N = old_n.
    b = lambda n: 2 * (n - 1) / n   # noqa: E731  (share of the gradient each GPU sends)
    lat = lambda n: 2 * (n - 1)     # noqa: E731  (messages each GPU waits for)
    s_over_b, alpha = np.linalg.solve([[b(fixed_n), lat(fixed_n)], [b(old_n), lat(old_n)]],
                                      [fixed["value"], old[RING]["value"]])
    expected = {}
    for key in ("value", "low", "high"):
        # The Monte Carlo varies alpha only, and t rises with alpha, so each bound is t at
        # that bound's alpha; recover it from the old bound.
        alpha_k = (old[RING][key] - b(old_n) * s_over_b) / lat(old_n)
        expected[key] = b(new_n) * s_over_b + lat(new_n) * alpha_k
    assert alpha > 0 and s_over_b > 0
    return expected


def test_readers_are_the_chapters_re_executed():
    """Every chapter that reads the input, itself or through claimcheck, is re-executed."""
    # claimcheck reads it in two places: the shared Colossus model (scenarios) and the
    # headline calculator (Colossus as a yardstick). A chapter that calls either reads it.
    modules = sorted(p.stem for p in (ROOT / "claimcheck").glob("*.py")
                     if INPUT in p.read_text(encoding="utf-8"))
    assert modules == ["headline", "scenarios"]
    through = re.compile(r"\bscenarios\.colossus_phase1\(|\bheadline\.(profile|yardsticks)\(")
    table = re.compile(r"load_table\(\s*['\"]systems")
    readers = sorted(p.stem for p in (ROOT / "notebooks").glob("*.md")
                     if INPUT in (text := p.read_text(encoding="utf-8")) or table.search(text)
                     or through.search(text))
    assert readers == sorted(READERS)
    users = [p.stem for p in (ROOT / "notebooks").glob("*.md") if "headline" in p.read_text(encoding="utf-8")
             and "from claimcheck import" in p.read_text(encoding="utf-8")
             and re.search(r"\bheadline\.profile\(", p.read_text(encoding="utf-8"))]
    assert set(users) <= set(READERS)


@pytest.mark.build
def test_changing_the_gpu_count_moves_exactly_the_results_that_depend_on_it(tmp_path, monkeypatch):
    old = _results_file()
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    shutil.copy(ROOT / "book" / "references.bib", data / "references.bib")
    old_n, new_n = _set_value(data / "systems.csv", INPUT, FACTOR)
    results = tmp_path / "results"
    monkeypatch.setenv("CLAIMCHECK_DATA", str(data))
    monkeypatch.setenv("CLAIMCHECK_RESULTS_DIR", str(results))
    monkeypatch.setenv("CLAIMCHECK_BOOK_BUILD", "1")
    glued = {}
    for chapter in READERS:
        source = ROOT / "notebooks" / f"{chapter}.md"
        nb = jupytext.read(source)
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(source.parent)}}).execute()
        glued.update(_glued_text(nb))
    new = {r["id"]: r for r in merge(results)}

    pages = {f"notebooks/{c}" for c in READERS}
    assert set(new) == {i for i, r in old.items() if r["page"] in pages}
    assert set(LINEAR) | set(INVERSE) | {RING} <= set(new)
    ring = _ring_expected(old, new_n, old_n)
    for result_id, record in sorted(new.items()):
        before = old[result_id]
        assert glued.get(result_id) == record["text"], f"{result_id}: the page shows other text"
        if result_id in LINEAR or result_id in INVERSE or result_id == RING:
            scale = FACTOR if result_id in LINEAR else 1 / FACTOR
            expected = {k: (None if before[k] is None else
                            ring[k] if result_id == RING else before[k] * scale)
                        for k in ("value", "low", "high")}
            for key, want in expected.items():
                got = record[key]
                assert (got is None) == (want is None), f"{result_id}: {key} appeared or vanished"
                if want is not None:
                    assert got == pytest.approx(want, rel=1e-6), (
                        f"{result_id}: {key} {before[key]} -> {got}, expected {want} "
                        f"({LINEAR.get(result_id) or INVERSE.get(result_id, 'ring')})")
            # The prose moved too: it reads back as the expected value, within its rounding.
            unit = "dimensionless" if record["unit"] == "count" else record["unit"]
            prose = parse_prose(glued[result_id])
            assert prose.central.agrees_with(ureg.Quantity(expected["value"], unit)), \
                f"{result_id}: the page says {glued[result_id]!r}, expected {expected['value']} {unit}"
            if expected["low"] is not None:
                assert prose.low.agrees_with(ureg.Quantity(expected["low"], unit))
                assert prose.high.agrees_with(ureg.Quantity(expected["high"], unit))
            assert record["text"] != before["text"], f"{result_id}: the prose did not move"
        else:
            moved = {k: (before[k], record[k]) for k in ("value", "low", "high", "text", "unit")
                     if before[k] != record[k]}
            assert not moved, f"{result_id} does not depend on {INPUT} but moved: {moved}"
