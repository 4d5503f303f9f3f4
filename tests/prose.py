"""Read a number back from the book's prose, as a reader would: "150 MW (120–180 MW)".

Written from the house style (book/style.md), not from claimcheck.units' formatter, so that
a test can check the formatter against it: every label the book writes is mapped here to
the pint unit it means, and every printed number carries its own rounding (half a unit in
its last significant digit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pint

from claimcheck.units import ureg

_NUMBER = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?"
_MONEY_WORDS = {"million": 1e6, "billion": 1e9, "trillion": 1e12}
_ONE = (rf"(?P<cur>\$)?(?P<num>{_NUMBER})(?: (?P<word>{'|'.join(_MONEY_WORDS)}))?"
        r"(?: (?P<label>[^()]+))?")
_RANGE = (rf"(?P<cur>\$)?(?P<lo>{_NUMBER})–(?P<hi>{_NUMBER})(?: (?P<word>{'|'.join(_MONEY_WORDS)}))?"
          r"(?: (?P<label>[^()]+))?")
_TEXT = re.compile(r"^(?P<central>[^()]+?)(?: \((?P<range>[^()]+)\))?$")

# Prose labels that pint would not read as the book means them ("kt" is pint's knot).
_LABELS = {
    "%": "percent", "‰": "permille",
    "short tons": "short_ton", "short tons/year": "short_ton/year",
    "gallons/day": "gallon/day",
    "s": "second", "minute": "minute", "minutes": "minute", "hour": "hour", "hours": "hour",
    "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
    "months": "month", "year": "year", "years": "year",
}
# Labels that carry a factor as a word.
_SCALED_LABELS = {"million gallons/day": (1e6, "gallon/day")}
_TONNES = re.compile(r"^(?P<prefix>[kMG]?)t(?P<per>/.+)?$")   # t, kt/year, Mt: metric tonnes
_TONNE_PREFIX = {"": "", "k": "kilo", "M": "mega", "G": "giga"}


@dataclass(frozen=True)
class Reading:
    """One number read from prose, and how far the unrounded value may lie from it."""
    value: pint.Quantity
    tolerance: pint.Quantity

    def agrees_with(self, other: pint.Quantity) -> bool:
        # a whisker of relative slack for float noise in values like 0.1 + 0.2
        gap = abs((other - self.value).to(self.value.units).magnitude)
        return gap <= self.tolerance.magnitude * (1 + 1e-9) + 1e-12 * abs(self.value.magnitude)


@dataclass(frozen=True)
class Prose:
    central: Reading
    low: Reading | None = None
    high: Reading | None = None


def half_unit_in_last_place(number: str) -> float:
    """The rounding a printed number shows: "1.09" ± 0.005, "14.0" ± 0.05, "742,000" ± 500.

    Trailing zeros of a whole number are ambiguous ("742,000" for 742,100). The house style
    prints three significant figures unless the source has fewer, so they count as
    significant up to the third figure: "150" ± 0.5, "3,000" ± 5, "87" ± 0.5.
    """
    digits = number.replace(",", "").lstrip("-")
    if "." in digits:
        return 0.5 * 10.0 ** -len(digits.split(".")[1])
    significant = max(len(digits.rstrip("0")), min(3, len(digits)))
    return 0.5 * 10.0 ** (len(digits) - significant)


def unit_of_label(label: str | None, dollars: bool = False) -> pint.Unit:
    """The pint unit a prose label means: "EFLOP/s", "kt/year", "%", "per share" (after $)."""
    if dollars:
        if label in (None, "per share"):
            return ureg.Unit("USD" if label is None else "USD/share")
        raise ValueError(f"unexpected label {label!r} after a sum of dollars")
    if label is None:
        return ureg.Unit("dimensionless")
    if label in _LABELS:
        return _unit(_LABELS[label])
    tonnes = _TONNES.match(label)
    if tonnes:
        return _unit(f"{_TONNE_PREFIX[tonnes['prefix']]}tonne{tonnes['per'] or ''}")
    return _unit(label)


def _unit(spelling: str) -> pint.Unit:
    try:
        return ureg.Unit(spelling)
    except (pint.errors.UndefinedUnitError, AttributeError, TypeError, ValueError) as exc:
        raise ValueError(f"prose unit {spelling!r} is not a unit pint knows") from exc


def _scaled_unit(label: str | None, dollars: bool) -> tuple[float, pint.Unit]:
    """A label may carry a factor ("million gallons/day"): return (factor, unit)."""
    if label in _SCALED_LABELS and not dollars:
        factor, spelling = _SCALED_LABELS[label]
        return factor, _unit(spelling)
    return 1.0, unit_of_label(label, dollars)


def _reading(number: str, word: str | None, factor: float, unit: pint.Unit) -> Reading:
    scale = factor * (_MONEY_WORDS[word] if word else 1.0)
    value = float(number.replace(",", "")) * scale
    return Reading(ureg.Quantity(value, unit), ureg.Quantity(half_unit_in_last_place(number) * scale, unit))


def parse_prose(text: str) -> Prose:
    """Read "central" or "central (low–high)" as the book writes it; ValueError if it cannot.

    A range without a unit is a plain number (or dollars), so it is refused beside a central
    value that has one: "3.49 % (0.277–8.43)" is ambiguous.
    """
    match = _TEXT.match(text.strip())
    if not match:
        raise ValueError(f"cannot read {text!r} as 'central' or 'central (low–high)'")
    one = re.fullmatch(_ONE, match["central"])
    if not one:
        raise ValueError(f"cannot read the number in {match['central']!r}")
    factor, unit = _scaled_unit(one["label"], bool(one["cur"]))
    central = _reading(one["num"], one["word"], factor, unit)
    if match["range"] is None:
        return Prose(central)
    rng = re.fullmatch(_RANGE, match["range"])
    if not rng:
        raise ValueError(f"cannot read the range {match['range']!r} as 'low–high'")
    if bool(rng["cur"]) != bool(one["cur"]):
        raise ValueError(f"{text!r}: the range and the central value are not both in dollars")
    if rng["label"] is None and one["label"] is not None:
        raise ValueError(f"{text!r}: the range has no unit but the central value is in {one['label']!r}")
    factor, unit = _scaled_unit(rng["label"], bool(rng["cur"]))
    return Prose(central, _reading(rng["lo"], rng["word"], factor, unit),
                 _reading(rng["hi"], rng["word"], factor, unit))
