"""claimcheck.changes (what moved between editions) and the versioned results.json."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT, SITE

from claimcheck import changes
from claimcheck.register import Claim


def record(rid, value, low=None, high=None, unit="W", text="x"):
    return {"id": rid, "label": rid, "page": "notebooks/p", "value": value, "low": low, "high": high,
            "unit": unit, "text": text, "central_text": text}


def test_results_that_moved_are_listed_with_their_reason():
    before = {"a": record("a", 1.0, text="1 W"), "b": record("b", 2.0, 1.0, 3.0), "c": record("c", 5.0),
              "gone": record("gone", 1.0, text="1 W")}
    after = {"a": record("a", 1.0 + 1e-13, text="1 W"),   # float noise: not a change
             "b": record("b", 2.0, 1.0, 3.5),            # the range moved
             "c": record("c", 5.0, unit="kW"),           # the unit changed
             "new": record("new", 7.0, text="7 W")}
    found = changes.result_changes(before, after, {"b": "wider range"})
    assert [(c.id, c.kind) for c in found] == [("b", "moved"), ("c", "moved"), ("gone", "withdrawn"),
                                               ("new", "new")]
    assert found[0].reason == "wider range" and found[1].reason == ""
    assert found[2].after is None and found[3].before is None


def claim(cid, verdict, correction=""):
    return Claim(cid, "q", "compute", verdict, "2026-12-04", "p", "s", correction)


def test_verdict_changes_and_new_claims_in_register_order():
    found = changes.verdict_changes({"C01": "wrong", "C02": "supported"},
                                    [claim("C01", "imprecise", "a name"), claim("C02", "supported"),
                                     claim("C03", "unverifiable")])
    assert [(v.claim_id, v.before, v.after, v.reason) for v in found] == [
        ("C01", "wrong", "imprecise", "a name"), ("C03", None, "unverifiable", "")]


def test_latest_edition_is_the_newest_older_release(tmp_path):
    for version, date in (("1.0", "2026-11-29"), ("1.10", "2026-12-01"), ("1.9", "2026-11-30")):
        folder = tmp_path / version
        folder.mkdir()
        (folder / "results.json").write_text(json.dumps({"version": version, "date": date, "results": []}))
        (folder / "claims.csv").write_text("claim_id,verdict\nC01,wrong\n")
    assert changes.latest_edition(tmp_path).version == "1.10"       # numeric, not alphabetical
    assert changes.latest_edition(tmp_path, before="1.10").version == "1.9"
    assert changes.latest_edition(tmp_path / "none") is None


def test_reasons_are_read_for_one_edition(tmp_path):
    path = tmp_path / "reasons.csv"
    path.write_text("edition,id,reason\n2.0,a,fixed a unit\n1.1,a,old reason\n")
    assert changes.load_reasons(path, "2.0") == {"a": "fixed a unit"}
    path.write_text("edition,reason\n2.0,x\n")
    with pytest.raises(ValueError, match="missing column"):
        changes.load_reasons(path, "2.0")


def test_first_release_is_kept_with_its_metadata():
    release = json.loads((ROOT / "releases" / "1.0" / "results.json").read_text())
    assert release["version"] == "1.0" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", release["date"])
    assert re.fullmatch(r"[0-9a-f]{40}", release["commit"]) and len(release["results"]) > 30


def test_built_results_carry_version_date_and_commit():
    built = json.loads((SITE / "results.json").read_text())
    config = (ROOT / "_config.yml").read_text()
    version = re.search(r'claimcheck_edition: \{version: "([^"]+)", date: "([^"]+)"\}', config)
    assert (built["version"], built["date"]) == version.groups()
    assert re.fullmatch(r"([0-9a-f]{40}(\+changes)?|unknown)", built["commit"])
    assert built["version"] not in [p.name for p in (ROOT / "releases").iterdir()], \
        "this edition's version is already released: bump claimcheck_edition"


def test_what_changed_page_lists_every_changed_verdict():
    import csv

    released = {r["claim_id"]: r["verdict"] for r in csv.DictReader((ROOT / "releases" / "1.0" / "claims.csv").open())}
    now = {r["claim_id"]: r["verdict"] for r in csv.DictReader((ROOT / "data" / "claims.csv").open())}
    page = (SITE / "book" / "changes.html").read_text()
    table = page[page.index("verdict-changes"):page.index("</table>", page.index("verdict-changes"))]
    listed = re.findall(r"#claim-(c\d+)", table)
    assert sorted(listed) == sorted(k.lower() for k in now if released.get(k) != now[k])


def test_rewritten_summaries_are_listed_against_the_published_text():
    claims = [Claim("C01", "q", "compute", "supported", "2026-12-04", "p", "Said {x} in 2019.", ""),
              Claim("C02", "q", "compute", "supported", "2026-11-29", "p", "Unchanged  text.", ""),
              Claim("C03", "q", "compute", "supported", "2026-12-04", "p", "New claim.", "")]
    before = {"C01": "Said 5 W in 2020.", "C02": "Unchanged text."}
    found = changes.summary_changes(before, claims, {"C01": "Said 5 W in 2019."})
    # C02 differs only in spacing and is read as written; C03 is new, listed with the verdicts.
    assert [(c.claim_id, c.before, c.after, c.reviewed) for c in found] == [
        ("C01", "Said 5 W in 2020.", "Said 5 W in 2019.", "2026-12-04")]
    # The same number filled in from the results is not a rewrite.
    assert changes.summary_changes({"C01": "Said 5 W in 2019."}, claims[:1], {"C01": "Said 5 W in 2019."}) == []


def test_released_edition_keeps_its_summaries():
    edition = changes.load_edition(ROOT / "releases" / "1.0")
    assert edition.summaries["C11"].startswith("Musk first mentioned Dojo")


def test_what_changed_page_lists_the_rewritten_summary_of_c05():
    page = (SITE / "book" / "changes.html").read_text()
    assert "summary-changes" in page, "no 'Summaries rewritten' table on the What changed page"
    table = page[page.index("summary-changes"):page.index("</table>", page.index("summary-changes"))]
    assert "#claim-c05" in table and "since August 2020" in table
