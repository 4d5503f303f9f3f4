"""data/README.md's counts are generated from the tables (scripts/data_readme.py) and
must not go stale: counting the rows here independently, with the csv module."""

from __future__ import annotations

import csv
import importlib.util
import shutil
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
README = DATA / "README.md"

_spec = importlib.util.spec_from_file_location("data_readme", ROOT / "scripts" / "data_readme.py")
data_readme = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(data_readme)


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _section(text: str) -> str:
    return text.split(data_readme.START, 1)[1].split(data_readme.END, 1)[0]


def test_readme_counts_match_the_tables():
    section = _section(README.read_text(encoding="utf-8"))
    total = Counter()
    for path in sorted(DATA.glob("*.csv")):
        if path.name in ("claims.csv", "headlines.csv"):  # registers, not figures
            continue
        rows = _rows(path)
        grades = Counter(r["grade"] for r in rows)
        unread = sum(1 for r in rows if not r["accessed"])
        total.update(grades)
        total["rows"] += len(rows)
        expected = (f"| `{path.name}` | {len(rows)} | {grades['primary']} | {grades['secondary']} | "
                    f"{grades['assumption']} | {unread} |")
        assert expected in section, f"README row for {path.name} is stale: run scripts/data_readme.py"
    assert f"{total['rows']} figures in" in section
    assert f"{total['primary']} primary, {total['secondary']} secondary" in section
    assert data_readme.update(README, DATA, check=True), "run python scripts/data_readme.py"


def test_readme_makes_no_single_date_claim():
    text = README.read_text(encoding="utf-8")
    assert "were read on **29 November 2026**" not in text


@pytest.fixture
def copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    shutil.copy(ROOT / "book" / "references.bib", data / "references.bib")
    return data


def test_a_table_edit_makes_the_readme_stale_until_regenerated(copy, capsys):
    fleet = copy / "fleet.csv"
    lines = fleet.read_text(encoding="utf-8").splitlines(keepends=True)
    before = len(lines) - 1
    fleet.write_text("".join(lines[:-1]), encoding="utf-8")  # drop the last row

    readme = copy / "README.md"
    assert data_readme.main(["--check", "--readme", str(readme), "--data", str(copy)]) == 1
    assert "stale" in capsys.readouterr().err
    assert data_readme.main(["--readme", str(readme), "--data", str(copy)]) == 0
    assert data_readme.main(["--check", "--readme", str(readme), "--data", str(copy)]) == 0
    assert f"| `fleet.csv` | {before - 1} |" in _section(readme.read_text(encoding="utf-8"))


def test_missing_markers_is_a_clear_error(copy):
    readme = copy / "README.md"
    readme.write_text("# no markers here\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="needs exactly one pair of markers"):
        data_readme.update(readme, copy)
