"""data/datapackage.json is a valid Frictionless Tabular Data Package that matches the CSVs."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from frictionless import validate

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PACKAGE = DATA / "datapackage.json"
VERDICTS = ["supported", "imprecise", "misleading", "wrong", "unverifiable", "opinion"]
CLAIMS_HEADER = ["claim_id", "quote", "topic", "verdict", "reviewed", "page", "summary", "correction"]


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
            assert fields == CLAIMS_HEADER == _header(DATA / name)
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


def test_claims_verdicts_are_the_house_style_six():
    pkg = _package()
    claims = next(r for r in pkg["resources"] if r["path"] == "claims.csv")
    verdict = next(f for f in claims["schema"]["fields"] if f["name"] == "verdict")
    assert verdict["constraints"]["enum"] == VERDICTS


def _copy_package(tmp: Path, claims_rows: list[list[str]]) -> Path:
    for f in DATA.iterdir():
        if f.is_file() and f.suffix in {".csv", ".json"}:
            shutil.copy(f, tmp)
    with open(tmp / "claims.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(CLAIMS_HEADER)
        w.writerows(claims_rows)
    return tmp / "datapackage.json"


GOOD_CLAIM = ["C01", "capable of 1.1 exaflops", "compute", "imprecise", "2026-12-04", "notebooks/dojo", "BF16 peak.", ""]


def test_validation_catches_a_bad_verdict(tmp_path):
    """The package check is not a rubber stamp: a verdict off the six-word scale fails."""
    pkg = _copy_package(tmp_path, [GOOD_CLAIM[:3] + ["maybe"] + GOOD_CLAIM[4:]])
    report = validate(str(pkg))
    assert not report.valid
    assert "constraint" in _errors(report)


def test_validation_catches_a_review_date_that_is_not_a_date(tmp_path):
    pkg = _copy_package(tmp_path, [GOOD_CLAIM[:4] + ["4 Dec 2026"] + GOOD_CLAIM[5:]])
    report = validate(str(pkg))
    assert not report.valid
    assert "type-error" in _errors(report)


def test_validation_catches_a_value_that_is_not_a_number(tmp_path):
    pkg = _copy_package(tmp_path, [GOOD_CLAIM])
    assert validate(str(pkg)).valid, "the copied package should be valid before breaking it"
    with open(tmp_path / "fleet.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows[1][rows[0].index("value")] = "seven million"
    with open(tmp_path / "fleet.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    report = validate(str(pkg))
    assert not report.valid
    assert "type-error" in _errors(report)
