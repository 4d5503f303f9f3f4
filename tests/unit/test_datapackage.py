"""data/datapackage.json is a valid Frictionless Tabular Data Package that matches the CSVs."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from frictionless import validate

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
PACKAGE = DATA / "datapackage.json"
STYLE = ROOT / "STYLE.md"


def _package() -> dict:
    return json.loads(PACKAGE.read_text(encoding="utf-8"))


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as f:
        return next(csv.reader(f))


def _errors(report) -> str:
    return "\n".join(f"{e.type}: {e.message}" for task in report.tasks for e in task.errors)[:4000]


def test_package_validates():
    """Every table, the claims register included, against its schema in datapackage.json."""
    assert (DATA / "claims.csv").exists(), "data/claims.csv (the claims register) is missing"
    report = validate(str(PACKAGE))
    assert report.valid, _errors(report)


def test_package_metadata():
    pkg = _package()
    assert pkg["profile"] == "tabular-data-package"
    assert pkg["name"] and pkg["title"]
    assert any(lic["name"] == "CC-BY-4.0" for lic in pkg["licenses"])
    assert pkg["sources"]
    names = [r["name"] for r in pkg["resources"]]
    assert len(names) == len(set(names))


def test_every_csv_is_a_resource_with_matching_fields():
    pkg = _package()
    by_path = {r["path"]: r for r in pkg["resources"]}
    csvs = sorted(p.name for p in DATA.glob("*.csv"))
    assert "claims.csv" in csvs, "data/claims.csv (the claims register) is missing"
    assert set(csvs) <= set(by_path), "a CSV in data/ is missing from datapackage.json"
    for name, res in by_path.items():
        assert res["profile"] == "tabular-data-resource"
        assert res.get("licenses"), name
        fields = [f["name"] for f in res["schema"]["fields"]]
        for f in res["schema"]["fields"]:
            assert f.get("description"), (name, f["name"])
        if name == "claims.csv":
            assert fields == _header(DATA / name)
            assert res["schema"]["primaryKey"] == ["claim_id"]
            continue
        if name == "headlines.csv":  # new claims: the claims register's columns, its own table
            assert fields == _header(DATA / name) == _header(DATA / "claims.csv")
            assert res["schema"]["primaryKey"] == ["claim_id"]
            continue
        assert (DATA / name).exists(), name
        assert fields == _header(DATA / name), f"{name}: schema fields differ from the CSV header"
        assert res["schema"]["primaryKey"] == ["id"]
        types = {f["name"]: f["type"] for f in res["schema"]["fields"]}
        assert types["value"] == types["low"] == types["high"] == "number"
        assert types["accessed"] == "date"


def style_guide_verdicts() -> list[str]:
    """The verdicts in the first column of STYLE.md's verdict table, in its order."""
    section = STYLE.read_text(encoding="utf-8").split("## Verdicts", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| ")]
    return [r for r in rows if r not in ("verdict", "---")]


def test_claims_verdicts_are_the_style_guides_six():
    """datapackage.json is the machine copy of the style guide's verdict list."""
    pkg = _package()
    claims = next(r for r in pkg["resources"] if r["path"] == "claims.csv")
    verdict = next(f for f in claims["schema"]["fields"] if f["name"] == "verdict")
    assert len(style_guide_verdicts()) == 6
    assert verdict["constraints"]["enum"] == style_guide_verdicts()


def test_topic_tables_define_their_shared_fields_identically():
    """A rule on a column every topic table has (the grade list, the id pattern, ...) must
    say the same in each resource, so there is one rule however many copies the format needs."""
    pkg = _package()
    topic = [r for r in pkg["resources"] if r["path"] not in {"claims.csv", "headlines.csv"}]
    definitions: dict[str, dict[str, list[str]]] = {}
    for res in topic:
        for f in res["schema"]["fields"]:
            definitions.setdefault(f["name"], {}).setdefault(json.dumps(f, sort_keys=True), []).append(res["path"])
    differing = {name: list(defs.values()) for name, defs in definitions.items() if len(defs) > 1}
    assert differing == {}


def _copy_package(tmp: Path, claims_rows: list[list[str]]) -> Path:
    for f in DATA.iterdir():
        if f.is_file() and f.suffix in {".csv", ".json"}:
            shutil.copy(f, tmp)
    with open(tmp / "claims.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(_header(DATA / "claims.csv"))
        w.writerows(claims_rows)
    return tmp / "datapackage.json"


GOOD_CLAIM = ["C01", "capable of 1.1 exaflops", "compute", "imprecise", "2026-12-04", "notebooks/dojo", "BF16 peak.", ""]


@pytest.mark.parametrize("table, column, text, error", [
    ("claims.csv", "verdict", "maybe", "constraint-error"),        # off the six-word scale
    ("claims.csv", "topic", "gossip", "constraint-error"),
    ("claims.csv", "reviewed", "4 Dec 2026", "type-error"),
    ("claims.csv", "claim_id", "claim one", "constraint-error"),
    ("fleet.csv", "value", "seven million", "type-error"),
    ("fleet.csv", "grade", "tertiary", "constraint-error"),
    ("fleet.csv", "date", "2024-13", "constraint-error"),
])
def test_validation_catches_a_broken_cell(tmp_path, table, column, text, error):
    """The package check is not a rubber stamp: one broken cell makes it fail."""
    pkg = _copy_package(tmp_path, [GOOD_CLAIM])
    assert validate(str(pkg)).valid, "the copied package should be valid before breaking it"
    with open(tmp_path / table, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    row = next(r for r in rows[1:] if r[rows[0].index(column)])  # the first row with this cell filled
    row[rows[0].index(column)] = text
    with open(tmp_path / table, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    report = validate(str(pkg))
    assert not report.valid
    assert f"{error}: " in _errors(report) and text in _errors(report)
