"""Compare a student's answer with the expected one, in any unit of the right dimension.

The Otter tests in the student kit call :func:`check` with the student's answer and a
*token*: the expected answer, its tolerance and the hint, packed (:func:`pack`) so that
a failing check, which prints the test's code, shows the hint and never the answer.

Answers may be a pint quantity, a number (a count or a ratio), or text such as
``"2 MW"``, ``"2,000 kW"``, ``"52 %"``, ``"$1.5 billion"`` or ``"about 3,000 GPUs"``.
"""

from __future__ import annotations

import base64
import json
import math
import re
import zlib
from dataclasses import dataclass

from claimcheck.units import (
    Q_,
    _label_to_pint,  # prose label -> pint unit ("EFLOP/s")
    ureg,
)

# Words that scale a number ("1.5 billion") and words that only name what is counted.
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


class AnswerError(ValueError):
    """An answer that is not a number, a quantity, or one of the choices."""


def pack(spec: dict) -> str:
    """The expected answer as an opaque token (zlib + base64 of its JSON)."""
    raw = json.dumps(spec, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def unpack(token: str) -> dict:
    return json.loads(zlib.decompress(base64.b64decode(token)).decode("utf-8"))


def to_quantity(answer) -> ureg.Quantity:
    """``answer`` as a pint quantity; a bare number or a count ("120 tiles") is dimensionless."""
    if isinstance(answer, ureg.Quantity):
        return answer
    if isinstance(answer, bool) or answer is None or answer is Ellipsis:
        raise AnswerError("no number in the answer")
    if isinstance(answer, (int, float)):
        return Q_(float(answer), "dimensionless")
    if not isinstance(answer, str):
        try:
            return Q_(float(answer), "dimensionless")  # numpy scalars
        except (TypeError, ValueError):
            raise AnswerError(f"an answer of type {type(answer).__name__} is not a number") from None
    text = answer.strip()
    text = re.sub(r"^(about|around|roughly|approximately|nearly|almost|≈|~)\s*", "", text, flags=re.I)
    text = re.split(r"\s\(|\s–|–(?=\d)", text)[0].strip()  # a central value before its range
    dollars = text.startswith("$")
    text = text.lstrip("$").replace(",", "").replace("\u202f", "").replace("\u2009", "")
    m = _NUMBER.match(text)
    if not m:
        raise AnswerError(f"no number at the start of {answer!r}")
    number, rest = float(m.group(0)), text[m.end():].strip()
    words = rest.split()
    if words and words[0].lower() in _SCALE:
        number *= _SCALE[words.pop(0).lower()]
        rest = " ".join(words)
    if dollars:
        return Q_(number, "USD")
    if rest in ("%", "percent", "per cent"):
        return Q_(number / 100, "dimensionless")
    if rest in ("", "×", "x", "times"):
        return Q_(number, "dimensionless")
    rest = rest.replace("²", "**2").replace("³", "**3").replace("·", "*")
    for unit in (_label_to_pint(rest), rest, rest.rstrip("s")):
        try:
            return Q_(number, unit)
        except Exception:  # pint raises several kinds for an unknown word
            continue
    if re.fullmatch(r"[A-Za-z][\w-]*( [A-Za-z][\w-]*)?", rest):
        return Q_(number, "dimensionless")  # "120 tiles", "3,000 GPUs": a count
    raise AnswerError(f"the unit in {answer!r} is not one I know")


@dataclass
class Result:
    """What a check says: ``correct``, or why not and where to look (never the answer)."""

    passed: bool
    message: str

    def __repr__(self) -> str:
        return self.message

    def __bool__(self) -> bool:
        return self.passed


def _dimension_name(q) -> str:
    dim = q.dimensionality
    return "a pure number (a count or a ratio)" if not dim else f"a quantity of dimension {dim}"


def compare(answer, spec: dict) -> Result:
    """Check ``answer`` against ``spec`` (``kind``: ``number`` or ``choice``; ``hint``)."""
    hint = spec.get("hint", "")
    if answer is None or answer is Ellipsis:
        return Result(False, f"Not answered yet: replace the ... in the answer cell, run it, "
                             f"then this check. {hint}")
    if spec["kind"] == "choice":
        said = str(answer).strip().lower()
        if said not in spec["choices"]:
            return Result(False, f"Answer with one of: {', '.join(spec['choices'])}.")
        ok = said == spec["answer"]
        return Result(ok, "correct" if ok else f"Not yet. {hint}")
    try:
        got = to_quantity(answer)
    except AnswerError as err:
        return Result(False, f"Not a number with a unit: {err}. Write it like \"2 MW\" or 2000. {hint}")
    want = Q_(spec["value"], spec["unit"])
    if got.dimensionality != want.dimensionality:
        return Result(False, f"Check the unit: the answer is {_dimension_name(want)}, "
                             f"yours is {_dimension_name(got)}. {hint}")
    value = float(got.to(want.units).magnitude)
    ok = math.isclose(value, spec["value"], rel_tol=spec["rel_tol"])
    return Result(ok, "correct" if ok else f"Not yet (a {spec['rel_tol']:.0%} tolerance). {hint}")


def check(answer, token: str) -> Result:
    """The Otter tests' entry point: ``check(answer_x, TOKEN)`` shows ``correct`` or a hint."""
    return compare(answer, unpack(token))
