"""Self-checks and offline grading (issue 15): ``make grade SUBMISSIONS=DIR`` writes grades.csv.

The kit and the teacher's folder are built into a temporary folder from the last build's
record (``_build/plain/book.json``), as in ``test_student.py``. One grading run over one
folder (a chapter's answer key, its blank notebook, one wrong answer, a damaged file, a
notebook that stops Python, and the teacher's guide's two fictional students) keeps the
file near a minute: each notebook is run from the top by Otter.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys

import nbformat
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT))
from classroom import selfcheck  # noqa: E402

_spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts" / "make_student.py")
make_student = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_student)
classroom = make_student.classroom

CHAPTER = "exapod-arithmetic"  # graded end to end: three checks, quick to run
GUIDE = ROOT / "book" / "teachers-guide.md"
ANSWER = re.compile(r"^(answer_(\w+)) = .*$", re.M)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The kit and the teacher's folder (answer key, autograders), built apart from _build."""
    base = tmp_path_factory.mktemp("classroom")
    make_student.build(base / "student", make_student.toc_chapters(), teacher=base / "teacher")
    return base / "student", base / "teacher"


def answer_lines(nb) -> dict[str, str]:
    """question -> the line that sets its answer, from a notebook's answer cells."""
    return {m.group(2): m.group(0) for cell in nb.cells if cell.metadata.get("classroom") == "answer"
            for m in ANSWER.finditer(cell.source)}


def with_answers(nb, lines: dict[str, str]):
    """A copy of ``nb`` whose answer cells set the given answers (``answer_x = ...`` lines)."""
    nb = nbformat.from_dict(nbformat.from_dict(nb))
    for cell in nb.cells:
        if cell.metadata.get("classroom") == "answer":
            cell.source = ANSWER.sub(lambda m: lines.get(m.group(2), m.group(0)), cell.source)
    return nb


def guide_example() -> tuple[dict[str, dict[str, str]], list[dict[str, str]]]:
    """The worked example in the teacher's guide: each fictional notebook's answer lines,
    and the grades table it prints, read from the guide's source."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("### A worked example"):]
    section = section[:section.index("\n## ")]
    students = {name: {m.group(2): m.group(0) for m in ANSWER.finditer(body)}
                for name, body in re.findall(r"```python\n# (\S+\.ipynb)\n(.*?)```", section, re.S)}
    table = [dict(zip(classroom.COLUMNS, row, strict=True)) for row in
             re.findall(r"^\| (\S+\.ipynb) \| (\w+) \| (\d+) \| (\d+) \|$", section, re.M)]
    return students, table


@pytest.fixture(scope="module")
def grades(built, tmp_path_factory) -> dict[str, list[dict]]:
    kit, teacher = built
    folder = tmp_path_factory.mktemp("submissions")
    key = nbformat.read(teacher / "answer-key" / f"{CHAPTER}.ipynb", as_version=4)
    blank = nbformat.read(kit / "notebooks" / f"{CHAPTER}.ipynb", as_version=4)
    nbformat.write(key, folder / "key.ipynb")
    nbformat.write(blank, folder / "blank.ipynb")
    first = sorted(answer_lines(key))[0]
    nbformat.write(with_answers(key, {first: f"answer_{first} = '12345 dimensionless'"}), folder / "one-wrong.ipynb")
    dies = with_answers(key, {})
    dies.cells.insert(2, nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    nbformat.write(dies, folder / "stops-python.ipynb")
    (folder / f"damaged-{CHAPTER}.ipynb").write_text('{"cells": [', encoding="utf-8")
    students, _ = guide_example()
    for name, lines in students.items():
        nbformat.write(with_answers(blank, lines), folder / name)
    out = classroom.grade(folder, teacher / "autograder")
    assert out == folder / "grades.csv"
    with out.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == classroom.COLUMNS
        rows = list(reader)
    by_notebook: dict[str, list[dict]] = {}
    for row in rows:
        by_notebook.setdefault(row["notebook"], []).append(row)
    return by_notebook


def total(rows) -> tuple[float, float]:
    return sum(float(r["score"]) for r in rows), sum(float(r["possible"]) for r in rows)


def test_the_answer_key_gets_full_marks(grades):
    score, possible = total(grades["key.ipynb"])
    assert possible >= 2 and score == possible, grades["key.ipynb"]


def test_the_blank_kit_gets_at_most_a_fifth(grades):
    score, possible = total(grades["blank.ipynb"])
    assert possible >= 2 and score <= possible / 5, grades["blank.ipynb"]


def test_one_wrong_answer_costs_exactly_that_question(grades):
    key = {r["question"]: float(r["score"]) for r in grades["key.ipynb"]}
    wrong = {r["question"]: float(r["score"]) for r in grades["one-wrong.ipynb"]}
    first = sorted(key)[0]
    assert wrong.keys() == key.keys()
    assert wrong[first] == 0 and all(wrong[q] == key[q] for q in key if q != first), wrong


@pytest.mark.parametrize("name", [f"damaged-{CHAPTER}.ipynb", "stops-python.ipynb"])
def test_a_notebook_that_fails_to_run_gets_its_row(grades, name):
    """The others are still graded (the key's full marks above come from the same run)."""
    rows = grades[name]
    assert len(rows) == 1 and rows[0]["question"].startswith("ERROR:"), rows
    assert float(rows[0]["score"]) == 0 and float(rows[0]["possible"]) > 0


def test_the_guides_worked_example_is_what_the_grader_gives(grades):
    students, table = guide_example()
    assert len(students) == 2 and table, "the guide's worked example has two notebooks and a table"
    graded = [{k: (f"{float(v):g}" if k in ("score", "possible") else v) for k, v in row.items()}
              for name in sorted(students) for row in grades[name]]
    assert graded == table


# --------------------------------------------------------------------------- every check


CHECKS = classroom.load_checks()


def test_enough_checks():
    assert len(CHECKS) == len(make_student.toc_chapters()), "every chapter has self-checks"
    assert all(len(checks) >= 2 for checks in CHECKS.values())
    assert sum(len(checks) for checks in CHECKS.values()) >= 24


@pytest.mark.parametrize("stem", sorted(CHECKS))
def test_every_key_answer_passes_and_every_blank_fails(built, stem):
    """The key's answer to every check in the kit passes the test the students run (the
    test file's token), and the blank answer does not; failing, it shows no answer."""
    kit, teacher = built
    key = answer_lines(nbformat.read(teacher / "answer-key" / f"{stem}.ipynb", as_version=4))
    assert sorted(key) == sorted(c["id"] for c in CHECKS[stem])
    for question, line in key.items():
        spec: dict = {}
        exec((kit / "notebooks" / "tests" / stem / f"{question}.py").read_text(encoding="utf-8"), spec)  # noqa: S102
        case = spec["test"]["suites"][0]["cases"][0]
        token = re.search(r"check\(globals\(\)\.get\('answer_\w+'\), '([^']+)'\)", case["code"]).group(1)
        test = (case["code"] + case["failure_message"]).replace(f"answer_{question}", "")
        env: dict = {}
        exec(line, env)  # noqa: S102 - the key's own answer line
        answer = env[f"answer_{question}"]
        assert selfcheck.check(answer, token).passed, f"{stem}: the key fails {question}"
        blank = selfcheck.check(..., token)
        assert not blank.passed
        assert str(answer) not in repr(blank) and str(answer) not in test.replace(token, ""), \
            f"{stem}: {question} shows its answer"


@pytest.mark.parametrize("answer", ["2 MW", "2000 kW", "2,000 kW", "2e6 W", "about 2.01 MW"])
def test_numbers_pass_in_any_unit_of_the_right_dimension(answer):
    spec = {"kind": "number", "value": 2.0, "unit": "megawatt", "rel_tol": 0.02, "hint": "Reread X."}
    assert selfcheck.compare(answer, spec).passed


@pytest.mark.parametrize("answer", ["2 MWh", "2 GW", "2", "two", "2.1 MW"])
def test_wrong_numbers_or_dimensions_fail_with_the_hint_only(answer):
    spec = {"kind": "number", "value": 2.0, "unit": "megawatt", "rel_tol": 0.02, "hint": "Reread X."}
    result = selfcheck.compare(answer, spec)
    assert not result.passed and "Reread X." in repr(result) and "2.0" not in repr(result)


def test_choices_ignore_case_and_reject_other_words():
    spec = {"kind": "choice", "choices": ["dense", "sparse"], "answer": "sparse", "hint": "Reread X."}
    assert selfcheck.compare(" Sparse", spec).passed
    assert not selfcheck.compare("dense", spec).passed
    assert "one of" in repr(selfcheck.compare("peak", spec))


def test_a_check_can_take_its_answer_from_a_figure_the_chapter_prints(tmp_path):
    # measure-your-machine prints the H100's FP32 peak with {datum}: the check's expected
    # value is the data figure's central value, and a figure the chapter never shows is refused.
    from claimcheck import sources

    book = type("Book", (), {"glue": {}})()
    check = {"id": "x", "exercise": "ex-measure-precision", "ask": "?", "reread": "The numbers",
             "datum": "h100_fp32"}
    spec = classroom.resolve("measure-your-machine", check, book)
    assert spec["kind"] == "number"
    assert spec["value"] == pytest.approx(sources.value("h100_fp32").to(spec["unit"]).magnitude, rel=0.005)
    with pytest.raises(classroom.CheckError, match="shows no figure .colossus_gpus_2024_09."):
        classroom.resolve("measure-your-machine", {**check, "datum": "colossus_gpus_2024_09"}, book)
