"""Self-checks, the teacher's answer key and offline grading for the classroom kit (issue 15).

``classroom/checks.yml`` lists the checks of each chapter. From it and the build's glued
values (``_build/plain/book.json``) this script's functions, called by
``scripts/make_student.py``, put into each student notebook an answer cell and a
``grader.check(...)`` cell after the exercise (Otter-Grader's student-side check), write
the Otter tests, the answer-key notebooks (every answer filled in) and one Otter
autograder zip per chapter under ``_build/teacher/``.

Grading (``make grade SUBMISSIONS=DIR``, or ``python scripts/classroom.py grade DIR``)
runs every ``.ipynb`` in DIR with ``otter.api.grade_submission``: no network, no Docker.
It writes ``DIR/grades.csv`` with the columns ``notebook,question,score,possible``; a
notebook that cannot be graded gets one row whose question says why (score 0).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import math
import os
import pprint
import re
import shutil
import sys
import zipfile
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from claimcheck.register import figure_text  # noqa: E402
from classroom import selfcheck  # noqa: E402

CHECKS = ROOT / "classroom" / "checks.yml"
TEACHER = ROOT / "_build" / "teacher"
DEFAULT_TOL = 0.02
COLUMNS = ["notebook", "question", "score", "possible"]
FIXED_TIME = (2024, 1, 1, 0, 0, 0)
# The first code cell of a kit notebook: Otter's checker, reading this chapter's tests.
SETUP = ('# Self-checks: run this cell once. Each grader.check cell below then says whether\n'
         '# the answer above it is right, or which section to reread (never the answer).\n'
         'import otter\n\ngrader = otter.Notebook(tests_dir="tests/{stem}")')


class CheckError(SystemExit):
    """A check in checks.yml that does not match its chapter or the build (the book
    build's kit step reports it as a warning, which fails a strict build)."""


def load_checks(path: Path = CHECKS) -> dict[str, list[dict]]:
    if not path.is_file():
        return {}  # a book without a classroom (the tests' small fixture books)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    seen = set()
    for stem, checks in data.items():
        for check in checks:
            for key in ("id", "exercise", "ask", "reread"):
                if not check.get(key):
                    raise CheckError(f"{path.name}: a check in {stem} has no {key!r}: {check}")
            if not re.fullmatch(r"[a-z][a-z0-9_]*", check["id"]) or check["id"] in seen:
                raise CheckError(f"{path.name}: check id {check['id']!r} is not a unique snake_case name")
            seen.add(check["id"])
            if sum(key in check for key in ("glue", "datum", "choices")) != 1:
                raise CheckError(f"{path.name}: check {check['id']} needs one of 'glue', 'datum' or 'choices'")
    return data


def _headings(md_text: str) -> set[str]:
    return {m.group(1).strip() for m in re.finditer(r"^#{2,4} (.+)$", md_text, re.M)}


def resolve(stem: str, check: dict, book, root: Path = ROOT) -> dict:
    """The check's spec for :func:`selfcheck.compare` plus ``key`` (the answer key's text)."""
    md = (root / "notebooks" / f"{stem}.md").read_text(encoding="utf-8")
    where = f"checks.yml: {check['id']} ({stem})"
    if not re.search(rf":label:\s*{re.escape(check['exercise'])}\s*$", md, re.M):
        raise CheckError(f"{where}: no exercise labelled {check['exercise']!r} in the chapter")
    if check["reread"] not in _headings(md):
        raise CheckError(f"{where}: the chapter has no section {check['reread']!r} to reread")
    hint = f"Reread the section “{check['reread']}” of this chapter, then try again."
    if "choices" in check:
        choices = [str(c).lower() for c in check["choices"]]
        answer = str(check.get("answer", "")).lower()
        if answer not in choices:
            raise CheckError(f"{where}: the answer {answer!r} is not one of its choices {choices}")
        return {"kind": "choice", "choices": choices, "answer": answer, "hint": hint, "key": answer}
    if "datum" in check:
        # An input figure the chapter prints with {datum}: the answer is its central value.
        if not re.search(rf"\{{datum\}}`{re.escape(check['datum'])}[`< ]", md):
            raise CheckError(f"{where}: the chapter shows no figure {check['datum']!r} with {{datum}}")
        text = figure_text(check["datum"], central_only=True)
    else:
        glued = book.glue.get(f"notebooks/{stem}", {})
        if check["glue"] not in glued:
            raise CheckError(f"{where}: the chapter glues no value {check['glue']!r}")
        text = glued[check["glue"]]
    try:
        quantity = selfcheck.to_quantity(text)
    except selfcheck.AnswerError as err:
        raise CheckError(f"{where}: the glued text {text!r} is not a number with a unit: {err}") from None
    if check.get("unit"):
        quantity = quantity.to(check["unit"])
    # The glued text is rounded: the tolerance is never tighter than its last digit.
    rel_tol = max(float(check.get("rel_tol", DEFAULT_TOL)), rounding(text, check.get("sig")))
    return {"kind": "number", "value": float(quantity.magnitude), "unit": f"{quantity.units}",
            "rel_tol": round(rel_tol, 4), "hint": hint, "key": text}


def rounding(text: str, sig: int | None = None) -> float:
    """Half the last significant digit of the number in ``text``, relative to it.
    ``sig`` (from checks.yml) says how many figures the chapter glued where the text
    cannot: a whole number's trailing zeros are otherwise taken as not significant."""
    m = re.search(r"\d[\d,]*(\.\d+)?", text)
    number = m.group(0).replace(",", "")
    x = float(number)
    if x == 0:
        return 0.0
    if sig is None:
        digits = number.replace(".", "").lstrip("0") if "." in number else number.rstrip("0")
        sig = max(len(digits), 1)
    exponent = math.floor(math.log10(abs(x)))
    return 0.5 * 10 ** (exponent - sig + 1) / abs(x)


def chapter_checks(stem: str, book, root: Path = ROOT, checks: dict | None = None) -> list[dict]:
    """The chapter's checks, each with its resolved ``spec``."""
    checks = load_checks(root / "classroom" / "checks.yml") if checks is None else checks
    return [{**c, "spec": resolve(stem, c, book, root)} for c in checks.get(stem, [])]


# --------------------------------------------------------------------------- notebooks


def _token(spec: dict) -> str:
    return selfcheck.pack({k: v for k, v in spec.items() if k != "key"})


def add_checks(nb, stem: str, checks: list[dict], book, key: bool = False):
    """Insert the setup cell and, after each exercise, an answer cell and a check cell.
    With ``key``, the answer cells hold the right answers (the teacher's answer key)."""
    if not checks:
        return nb
    cells = list(nb.cells)
    for check in reversed(checks):  # later exercises first, so indices stay right
        label = check["exercise"]
        at = next((i for i, c in enumerate(cells)
                   if c.cell_type == "markdown" and f'<a id="{label}"></a>' in c.source), None)
        if at is None:
            raise CheckError(f"{stem}: exercise {label} is not in the notebook")
        # After the exercise and any checks already placed for it.
        while at + 1 < len(cells) and cells[at + 1].metadata.get("classroom"):
            at += 1
        number = book.numbers.get(label, "Exercise")
        answer = repr(check["spec"]["key"]) if key else "..."
        kind = ("one of the words in quotes" if check["spec"]["kind"] == "choice"
                else 'a number, or text with its unit such as "2 MW"')
        source = (f"# {number}: {check['ask']}.\n# Your answer ({kind}):\n"
                  f"answer_{check['id']} = {answer}")
        cells[at + 1:at + 1] = [
            nbformat.v4.new_code_cell(source, metadata={"classroom": "answer"}),
            nbformat.v4.new_code_cell(f'grader.check("{check["id"]}")', metadata={"classroom": "check"}),
        ]
    first_code = next(i for i, c in enumerate(cells) if c.cell_type == "code")
    cells.insert(first_code, nbformat.v4.new_code_cell(SETUP.format(stem=stem), metadata={"classroom": "setup"}))
    nb.cells = cells
    nb.metadata["otter"] = {"assignment_name": stem}
    return nb


def otter_test(check: dict) -> str:
    """An OK-format Otter test: the code a failing check prints holds no answer, only a token."""
    code = (f">>> from classroom.selfcheck import check\n"
            f">>> check(globals().get('answer_{check['id']}'), '{_token(check['spec'])}')\n"
            f"correct\n")
    test = {"name": check["id"], "points": 1,
            "suites": [{"type": "doctest", "scored": True, "setup": "", "teardown": "",
                        "cases": [{"code": code, "hidden": False, "locked": False,
                                   "failure_message": check["spec"]["hint"]}]}]}
    return "OK_FORMAT = True\n\ntest = " + pprint.pformat(test, width=100, sort_dicts=True) + "\n"


def write_tests(folder: Path, checks: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for check in checks:
        (folder / f"{check['id']}.py").write_text(otter_test(check), encoding="utf-8")


def copy_selfcheck(folder: Path, root: Path = ROOT) -> None:
    """``classroom/`` (the package the tests import) without checks.yml or caches."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("__init__.py", "selfcheck.py"):
        shutil.copy2(root / "classroom" / name, folder / name)


def autograder_zip(path: Path, stem: str, checks: list[dict], root: Path = ROOT) -> Path:
    """Otter's autograder for one chapter: its tests, the checker, and the configuration."""
    path.parent.mkdir(parents=True, exist_ok=True)
    config = {"assignment_name": stem, "logo": False, "print_summary": False, "print_score": False}
    entries = {"otter_config.json": json.dumps(config, indent=1) + "\n"}
    for check in checks:
        entries[f"tests/{check['id']}.py"] = otter_test(check)
    for name in ("__init__.py", "selfcheck.py"):
        entries[f"files/classroom/{name}"] = (root / "classroom" / name).read_text(encoding="utf-8")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[name])
    return path


# --------------------------------------------------------------------------- grading


def chapter_of(path: Path, chapters: list[str]) -> str | None:
    """The chapter a submission answers: Otter's assignment name in its metadata, else its file name."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        name = nb.get("metadata", {}).get("otter", {}).get("assignment_name")
        if name in chapters:
            return name
    except (ValueError, OSError, AttributeError):
        pass
    matches = [c for c in chapters if c in path.stem]
    return max(matches, key=len) if matches else None


def grade_one(path: Path, autograders: Path, chapters: list[str]) -> list[dict]:
    """Rows for one notebook: one per question, or one saying why it could not be graded."""
    from otter.api import grade_submission

    stem = chapter_of(path, chapters)
    if stem is None:
        return [{"notebook": path.name, "question": "ERROR: not a notebook of the kit (no chapter found)",
                 "score": 0, "possible": 0}]
    ag = autograders / f"{stem}.zip"
    with zipfile.ZipFile(ag) as zf:
        questions = sorted(n[len("tests/"):-3] for n in zf.namelist() if n.startswith("tests/"))
    try:
        nbformat.read(path, as_version=4)  # a broken file is a clear row, not Otter's traceback
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            results = grade_submission(str(path), str(ag), quiet=True)
        error = getattr(results, "_catastrophic_error", None)
        if error is not None:
            raise RuntimeError(error)
    except Exception as err:  # noqa: BLE001 - any failure becomes the notebook's row
        reason = " ".join(str(err).split())[:200] or type(err).__name__
        return [{"notebook": path.name, "question": f"ERROR: the notebook did not run: {reason}",
                 "score": 0, "possible": len(questions)}]
    rows = []
    for q in questions:
        test = results.results.get(q)
        rows.append({"notebook": path.name, "question": q,
                     "score": test.score if test is not None else 0,
                     "possible": test.possible if test is not None else 1})
    return rows


def grade(submissions: Path, autograders: Path = TEACHER / "autograder", data: Path = ROOT / "data") -> Path:
    """Grade every ``.ipynb`` in ``submissions``; write and return ``submissions/grades.csv``."""
    submissions = Path(submissions).resolve()
    if not submissions.is_dir():
        raise SystemExit(f"SUBMISSIONS={submissions} is not a folder")
    if not autograders.is_dir():
        raise SystemExit(f"{autograders} is missing: make the kit first (make student)")
    chapters = sorted(p.stem for p in autograders.glob("*.zip"))
    # The notebooks run in Otter's temporary folder: point claimcheck at the data.
    os.environ["CLAIMCHECK_DATA"] = str(Path(data).resolve())
    rows = []
    for path in sorted(submissions.glob("*.ipynb")):
        rows.extend(grade_one(path, autograders, chapters))
    out = submissions / "grades.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "score": _num(row["score"]), "possible": _num(row["possible"])})
    return out


def _num(x) -> str:
    return f"{float(x):g}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grade", help="grade every .ipynb in a folder; write grades.csv there")
    g.add_argument("submissions", type=Path)
    g.add_argument("--autograders", type=Path, default=TEACHER / "autograder")
    args = parser.parse_args(argv)
    out = grade(args.submissions, args.autograders)
    print(f"Grades: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
