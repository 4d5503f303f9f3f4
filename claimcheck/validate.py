"""Argument checking shared by ``compute``, ``footprint``, ``money`` and ``uncertainty``.

Every formula in the book checks its inputs the same way, so that a mistake in a
notebook fails loudly, at the call, with a message naming the parameter and what it
expected:

* a bare number where a unit is needed, or the wrong dimension, raises
  :class:`~claimcheck.units.UnitError` ("power_per_chip must be a power (e.g.
  Q_(700, 'W')), got a bare number 700");
* a value outside its allowed range (negative power, zero chips, PUE below 1,
  utilisation outside (0, 1], NaN) raises :class:`InputError`.

Both are ``ValueError`` subclasses. Arrays are checked element-wise, so Monte Carlo
samples pass through the same checks as single values.
"""

from __future__ import annotations

import numbers

import numpy as np
import pint

from .units import Q_, UnitError, ureg

__all__ = ["InputError", "UnitError", "KINDS", "quantity", "count", "ratio", "zero_or_quantity"]


class InputError(ValueError):
    """A value has the right unit but is outside what the parameter allows (or is NaN)."""


# What each kind of quantity is, for checks and for messages: dimensionality and an example.
KINDS: dict[str, tuple[str, str]] = {
    "power": ("W", "Q_(700, 'W')"),
    "energy": ("kWh", "Q_(85.7, 'MWh')"),
    "time": ("s", "Q_(30, 'day')"),
    "computation": ("FLOP", "Q_(3.14e23, 'FLOP')"),
    "compute rate": ("FLOP/s", "Q_(989e12, 'FLOP/s')"),
    "mass": ("kg", "Q_(552, 'tonne')"),
    "volume": ("L", "Q_(1e6, 'L')"),
    "mass per energy": ("kg/kWh", "Q_(429, 'g/kWh')"),
    "volume per energy": ("L/kWh", "Q_(1.8, 'L/kWh')"),
    "heat rate": ("Btu/kWh", "Q_(9000, 'Btu/kWh')"),
    "sum of money": ("USD", "Q_(1e9, 'USD')"),
    "share count": ("share", "Q_(3.2e9, 'share')"),
    "data size": ("byte", "Q_(350, 'GB')"),
    "bandwidth": ("byte/s", "Q_(50, 'GB/s')"),
}


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def _magnitude(x) -> np.ndarray:
    return np.asarray(x.magnitude if isinstance(x, pint.Quantity) else x, dtype=float)


def _describe(x) -> str:
    """A short description of a value for an error message."""
    mag = x.magnitude if isinstance(x, pint.Quantity) else x
    arr = np.asarray(mag)
    if arr.ndim > 0:
        text = f"an array of {arr.size} values"
    else:
        text = f"{arr.item()!r}" if not isinstance(mag, numbers.Real) else f"{mag:g}"
    if isinstance(x, pint.Quantity):
        return f"{text} {x.units:~P}".strip()
    return text


def _check_numeric(name: str, value) -> np.ndarray:
    try:
        mag = _magnitude(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number or a quantity, got {value!r}") from None
    if np.isnan(mag).any():
        raise InputError(f"{name} is NaN (not a number): {_describe(value)}")
    return mag


def _check_sign(name: str, value, mag: np.ndarray, positive: bool, nonnegative: bool) -> None:
    if positive and (mag <= 0).any():
        raise InputError(f"{name} must be greater than zero, got {_describe_bad(value, mag <= 0)}")
    if nonnegative and (mag < 0).any():
        raise InputError(f"{name} must not be negative, got {_describe_bad(value, mag < 0)}")


def _describe_bad(value, bad: np.ndarray) -> str:
    mag = _magnitude(value)
    if mag.ndim == 0:
        return _describe(value)
    first = mag[bad][0]
    unit = f" {value.units:~P}" if isinstance(value, pint.Quantity) else ""
    return f"{first:g}{unit} (one of {mag.size} values)"


def quantity(name: str, value, kind: str, *, positive: bool = False,
             nonnegative: bool = True) -> pint.Quantity:
    """Check that ``value`` is a pint Quantity of ``kind`` (a key of :data:`KINDS`).

    Raises UnitError for a bare number or the wrong dimension, InputError for NaN and
    for negative (or, with ``positive=True``, zero) values. Returns the quantity.
    """
    unit, example = KINDS[kind]
    expected = f"{name} must be {_article(kind)} {kind} (e.g. {example})"
    if not isinstance(value, pint.Quantity):
        if isinstance(value, (numbers.Number, np.ndarray, list, tuple)):
            raise UnitError(f"{expected}, got a bare number {_describe(value)}")
        raise UnitError(f"{expected}, got {type(value).__name__} {value!r}")
    if value._REGISTRY is not ureg:
        raise UnitError(f"{name} was made with another pint registry; use claimcheck.units.Q_")
    if not value.check(ureg.Unit(unit).dimensionality) or (
            kind == "heat rate" and not value._units):
        raise UnitError(f"{expected}, got {_describe(value)}, which is "
                        f"{_dimension_name(value)}")
    mag = _check_numeric(name, value)
    _check_sign(name, value, mag, positive, nonnegative)
    if kind == "heat rate":
        # 3,412 Btu/kWh is 100 % conversion: no real plant can do better.
        if (np.asarray(value.to("dimensionless").magnitude) < 1 - 1e-9).any():
            raise InputError(f"{name} must be at least 3,412 Btu/kWh (100 % efficiency), "
                             f"got {_describe(value)}")
    return value


def _dimension_name(q: pint.Quantity) -> str:
    for kind, (unit, _) in KINDS.items():
        if kind != "heat rate" and q.check(ureg.Unit(unit).dimensionality):
            return f"{_article(kind)} {kind}"
    if q.dimensionless:
        return "dimensionless"
    return f"of dimension {q.dimensionality}"


def _bare(name: str, value, what: str):
    """A count or ratio: a bare number, a numpy array, or a dimensionless Quantity."""
    if isinstance(value, pint.Quantity):
        if not value.dimensionless:
            raise UnitError(f"{name} must be {what} (a bare number), got {_describe(value)}")
        return value.to("dimensionless").magnitude
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.ndarray, np.generic)):
        raise InputError(f"{name} must be {what} (a number), got {type(value).__name__} {value!r}")
    return value


def count(name: str, value, *, positive: bool = True):
    """Check a count (chips, units): a bare number or array, not NaN, > 0 (or >= 0).

    Non-integer values are allowed so that sampled counts (Monte Carlo) flow through.
    Returns the bare magnitude.
    """
    value = _bare(name, value, "a count")
    mag = _check_numeric(name, value)
    if not np.isfinite(mag).all():
        raise InputError(f"{name} must be finite, got {_describe(value)}")
    _check_sign(name, value, mag, positive, not positive)
    return value


def ratio(name: str, value, *, low: float | None = None, high: float | None = None,
          low_inclusive: bool = True, high_inclusive: bool = True, meaning: str = ""):
    """Check a dimensionless ratio lies in an interval, e.g. utilisation in (0, 1], PUE >= 1.

    Returns the bare magnitude.
    """
    value = _bare(name, value, "a ratio")
    mag = _check_numeric(name, value)
    lo_ok = True if low is None else ((mag >= low) if low_inclusive else (mag > low)).all()
    hi_ok = True if high is None else ((mag <= high) if high_inclusive else (mag < high)).all()
    if not (lo_ok and hi_ok):
        left = "-inf" if low is None else f"{low:g}"
        right = "inf" if high is None else f"{high:g}"
        interval = (("[" if low_inclusive and low is not None else "(") + f"{left}, {right}"
                    + ("]" if high_inclusive and high is not None else ")"))
        bad = ~((mag >= (low if low is not None else -np.inf)) & (mag <= (high if high is not None else np.inf)))
        if low is not None and not low_inclusive:
            bad |= mag <= low
        if high is not None and not high_inclusive:
            bad |= mag >= high
        extra = f" ({meaning})" if meaning else ""
        raise InputError(f"{name} must be in {interval}{extra}, got {_describe_bad(value, bad)}")
    return value


def zero_or_quantity(name: str, value, kind: str) -> pint.Quantity:
    """A quantity of ``kind``, or a bare 0 meaning 'none' (returned as a zero Quantity)."""
    if not isinstance(value, pint.Quantity) and isinstance(value, numbers.Real) and value == 0:
        return Q_(0.0, KINDS[kind][0])
    return quantity(name, value, kind)
