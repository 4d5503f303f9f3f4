"""One pint registry for the whole book, with FLOP, money and US units defined.

Every quantity in the book is a ``Q_`` made from ``ureg``; mixing registries
would make pint refuse to add them, so there is exactly one.

The formatting helpers turn a single quantity into prose with a fixed number of
significant figures (three by default, the house style): ``1.09 EFLOP/s``,
``150 MW``, ``1.31 TWh``, ``373 kt``, ``$1.00 billion``, ``3,000``. Arrays are
refused: summarise Monte Carlo samples first (``claimcheck.uncertainty.Estimate``).
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pint

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
Q_ = ureg.Quantity
pint.set_application_registry(ureg)

# A floating-point operation is a count with its own dimension, so that
# FLOP/s can never be silently added to Hz or to a plain rate.
ureg.define("FLOP = [computation] = flop")
ureg.define("FLOPS = FLOP / second")
# Money: US dollars as their own dimension (no exchange rates in this book).
ureg.define("USD = [currency] = dollar = usd")
ureg.define("share = [share]")
# US energy and water units used by EIA, EPA and Memphis reporting.
ureg.define("MMBtu = 1e6 * british_thermal_unit")
ureg.define("MGD = 1e6 * gallon / day")
ureg.define("short_ton_ = short_ton")  # pint's "ton" is the short ton; say it in full
ureg.define("household = [household]")
# Beware: in pint "kt" is the knot. Write metric kilotonnes as "kilotonne".

_PREFIXES = [
    (1e24, "Y"), (1e21, "Z"), (1e18, "E"), (1e15, "P"), (1e12, "T"),
    (1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, ""),
]
_PREFIX_NAMES = {"Y": "yotta", "Z": "zetta", "E": "exa", "P": "peta", "T": "tera", "G": "giga",
                 "M": "mega", "k": "kilo", "": ""}

# Base unit for prose, by dimension; SI prefixes are chosen automatically.
_PINT_SPELLING = {"FLOP/s": "FLOP/s", "FLOP": "FLOP", "W": "W", "Wh": "W*h", "L": "L",
                  "L/day": "L/day", "t": "tonne", "t/year": "tonne/year", "FLOP/s/W": "FLOP/s/W"}


# Units whose pint symbol would mislead a reader (pint's "ton" is the US short ton),
# and durations, which prose spells as words.
_UNIT_WORDS = {"short_ton": "short tons", "short_ton/year": "short tons/year",
               "ton/year": "short tons/year", "MGD": "million gallons/day",
               "gallon/day": "gallons/day", "lb/MWh": "lb/MWh", "g/kWh": "g/kWh",
               "kilotonne/year": "kt/year", "tonne/year": "t/year", "Btu/kWh": "Btu/kWh",
               "USD/share": "USD/share"}
_TIME_WORDS = {"s": "s", "second": "s", "seconds": "s",
               "min": "minutes", "minute": "minutes", "minutes": "minutes",
               "h": "hours", "hr": "hours", "hour": "hours", "hours": "hours",
               "d": "days", "day": "days", "days": "days",
               "week": "weeks", "weeks": "weeks", "month": "months", "months": "months",
               "a": "years", "yr": "years", "year": "years", "years": "years"}


class UnitError(ValueError):
    """A quantity has no unit, or the wrong dimension, for the parameter it was given to."""


def _scalar(x, what: str = "value") -> float:
    """``x`` as a Python float; arrays (other than 0-d) and non-numbers are refused."""
    if isinstance(x, pint.Quantity):
        x = x.magnitude
    arr = np.asarray(x)
    if arr.ndim > 0:
        raise ValueError(
            f"cannot format an array of {arr.size} values as one {what}; summarise the samples "
            "first (for example with claimcheck.uncertainty.Estimate) or format each element")
    if not isinstance(arr.item(), numbers.Real) or isinstance(arr.item(), bool):
        raise ValueError(f"cannot format {x!r}: expected a number")
    return float(arr.item())


def round_sig(x: float, sig: int = 3) -> float:
    """Round ``x`` to ``sig`` significant figures (0, inf and NaN are returned unchanged)."""
    if sig < 1:
        raise ValueError(f"sig must be at least 1, got {sig}")
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, sig - 1 - int(math.floor(math.log10(abs(x)))))


def format_count(x, sig: int | None = None) -> str:
    """A whole number of things with thousands separators: ``25``, ``3,000``, ``44,544``.

    Counts are exact, so every digit is kept; give ``sig`` for an estimated count
    (``33,300`` for 33,333 with ``sig=3``). Never any decimals.
    """
    x = _scalar(x, "count")
    if not math.isfinite(x):
        raise ValueError(f"cannot format {x}: the value is not a finite number")
    n = round(x) if sig is None else round_sig(round(x), sig)
    return f"{int(n):,}"


def format_percent(x, sig: int = 3) -> str:
    """A fraction as a percentage for prose: ``0.0249`` or ``Q_(2.49, 'percent')`` → ``2.49 %``."""
    value = x.to("percent").magnitude if isinstance(x, pint.Quantity) else 100 * _scalar(x, "fraction")
    return f"{format_number(float(value), sig)} %"


def format_figure(fig, unit: str | None = None, sig: int = 3) -> str:
    """A data figure (``claimcheck.sources.Figure``) as prose, with its range if it has one.

    Percentages stay percentages (``1.56 (1.1–2.0 %)``) and a dimensionless ratio of units
    keeps them (``10,000 Btu/kWh``) unless ``unit`` says otherwise.
    """
    value, low, high = fig.value, fig.low, fig.high
    own = str(value.units)
    if unit is None and (own == "percent" or (value.dimensionless and own != "dimensionless")):
        unit = own
    if low is not None and high is not None:
        return format_range(value, low, high, unit=unit, sig=sig)
    return format_quantity(value, unit=unit, sig=sig)


def format_number(x: float, sig: int = 3) -> str:
    """A number with ``sig`` significant figures and thousands separators: 3,000 · 1.09 · 0.0432.

    Integers (Python or numpy ints) are counts: every digit, no decimals (``25``, ``44,544``).
    Negative numbers keep their sign (``-150``); zero is ``0``; NaN and infinities are
    refused with a ValueError, because a non-number has no place in prose.
    """
    if isinstance(x, numbers.Integral) and not isinstance(x, bool):
        return format_count(x)
    x = _scalar(x, "number")
    if not math.isfinite(x):
        raise ValueError(f"cannot format {x}: the value is not a finite number")
    r = round_sig(x, sig)
    if r == 0:
        return "0"
    digits_before = int(math.floor(math.log10(abs(r)))) + 1
    decimals = max(sig - digits_before, 0)
    return f"{r:,.{decimals}f}"


def _prose_unit(q: pint.Quantity) -> str | None:
    for label, spelling in _PINT_SPELLING.items():
        if q.check(ureg.Unit(spelling).dimensionality):
            return label
    return None


def _plural(number: str, label: str) -> str:
    """``1 day`` but ``1.50 days``; only time words are pluralised."""
    if number in ("1", "-1") and label.endswith("s") and label in _TIME_WORDS.values() and label != "s":
        label = label[:-1]
    return f"{number} {label}".strip()


def _unit_label(unit: str) -> str:
    """How a unit the caller asked for is written in prose."""
    if unit in _UNIT_WORDS:
        return _UNIT_WORDS[unit]
    if unit in _TIME_WORDS:
        return _TIME_WORDS[unit]
    parsed = ureg.Unit(unit)
    if str(parsed).replace(" ", "") == unit.replace(" ", ""):
        # a long name such as "megawatt": use pint's symbol, in the book's spelling
        label = f"{parsed:~P}"
        return label.replace("flop", "FLOP").replace("dollar", "USD")
    return unit  # already a symbol as the caller typed it: "EFLOP/s", "TWh", "kg/MWh"


def format_quantity(q, unit: str | None = None, sig: int = 3, prefix: bool = True) -> str:
    """Turn one quantity into prose: ``1.09 EFLOP/s``, ``150 MW``, ``1.31 TWh``.

    ``unit`` forces a unit (``"MW"``, ``"short_ton/year"``, ``"USD"``, ``"day"``, ``"year"``);
    otherwise the book's prose unit for the dimension is used with an SI prefix that
    keeps the number between 1 and 1000 *after* rounding (so 999.7 MW is ``1.00 GW``).
    Durations are written in words (``30.0 days``; ``unit="year"`` gives ``1.10 years``).
    Dimensionless quantities and plain numbers are formatted as numbers (``3,000``).
    Arrays raise a ValueError: format a summary, not the samples.
    """
    if not isinstance(q, pint.Quantity):
        return format_number(q, sig)
    _scalar(q, "quantity")
    if unit is not None:
        if unit == "USD":
            return format_money(q, sig)
        if unit == "USD/share":
            return f"{format_money(_scalar(q.to('USD/share')), sig)} per share"
        mag = q.to(unit).magnitude
        return _plural(format_number(float(mag), sig), _unit_label(unit))
    if q.units == ureg.percent:
        # A figure the data gives in percent stays a percentage ("5.00 %"), never a fraction.
        return _plural(format_number(float(q.magnitude), sig), _unit_label("percent"))
    if q.dimensionless:
        mag = q.to("dimensionless").magnitude
        # A whole dimensionless figure in the data is a count of things (chips, GPUs).
        return format_count(mag) if float(mag).is_integer() else format_number(float(mag), sig)
    if q.check("[currency]"):
        return format_money(q, sig)
    if q.check("[currency]/[share]"):
        return f"{format_money(q.to('USD/share').magnitude, sig)} per share"
    if q.check("[time]"):
        seconds = abs(round_sig(q.to("s").magnitude, sig))
        if seconds >= 86_400:
            return format_quantity(q, unit="day", sig=sig)
        if seconds >= 3_600:
            return format_quantity(q, unit="hour", sig=sig)
        return format_quantity(q, unit="s", sig=sig)
    base = _prose_unit(q)
    if base is None:
        return f"{format_number(float(q.magnitude), sig)} {q.units:~P}"
    mag = q.to(_PINT_SPELLING[base]).magnitude
    if not prefix:
        return f"{format_number(float(mag), sig)} {base}"
    if base == "t" and abs(round_sig(mag, sig)) < 1:
        return f"{format_number(float(q.to('kg').magnitude), sig)} kg"
    symbol, factor = _choose_prefix(mag, sig)
    return f"{format_number(float(mag) / factor, sig)} {symbol}{base}"


def _choose_prefix(mag: float, sig: int) -> tuple[str, float]:
    """The largest SI prefix not above the rounded magnitude (none below 1)."""
    rounded = abs(round_sig(mag, sig))
    for factor, symbol in _PREFIXES:
        if rounded >= factor:
            return symbol, factor
    return "", 1.0


_MONEY_WORDS = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")]


def _money_scale(usd: float, sig: int) -> tuple[float, str]:
    rounded = abs(round_sig(usd, sig))
    for factor, word in _MONEY_WORDS:
        if rounded >= factor:
            return factor, f" {word}"
    return 1.0, ""


def format_money(q, sig: int = 3) -> str:
    """US dollars in words for large sums: ``$1.00 billion``, ``$25,000``, ``-$3.00 million``."""
    usd = _scalar(q.to("USD").magnitude if isinstance(q, pint.Quantity) else q, "sum of money")
    factor, word = _money_scale(usd, sig)
    text = format_number(usd / factor, sig)
    sign = "-" if text.startswith("-") else ""
    return f"{sign}${text.lstrip('-')}{word}"


def format_range(central, low=None, high=None, unit: str | None = None, sig: int = 3) -> str:
    """``central (low–high)`` in one unit, chosen from the central value: ``150 MW (120–180 MW)``.

    The unit (and SI prefix, or money word) is chosen once, from the central value, so
    the three numbers can be compared at a glance: ``1.00 GW (0.120–1.80 GW)``,
    ``$1.00 billion ($0.800–1.20 billion)``. With no ``low``/``high`` only the central value
    is written.
    """
    text = format_quantity(central, unit=unit, sig=sig)
    if low is None and high is None:
        return text
    if low is None or high is None:
        raise ValueError("format_range needs both low and high, or neither")
    if isinstance(central, pint.Quantity):
        for name, bound in (("low", low), ("high", high)):
            if not isinstance(bound, pint.Quantity):
                raise UnitError(f"{name} must be a quantity like central ({central.units:~P}), "
                                f"got a bare number {bound!r}")
            if bound.dimensionality != central.dimensionality:
                raise UnitError(f"{name} ({bound.units:~P}) has a different dimension from "
                                f"central ({central.units:~P})")
    if unit is None and isinstance(central, pint.Quantity) and central.units == ureg.percent:
        unit = "percent"
    if isinstance(central, pint.Quantity) and central.dimensionless and unit not in (None, "dimensionless"):
        # "3.49 % (0.277–8.43 %)": the unit once, after the range
        label = text.partition(" ")[2]
        lo = format_number(float(low.to(unit).magnitude), sig)
        hi = format_number(float(high.to(unit).magnitude), sig)
        return f"{text} ({lo}–{hi} {label})".replace("  ", " ")
    if isinstance(central, pint.Quantity) and not central.dimensionless:
        if unit in ("USD/share", None) and central.check("[currency]/[share]"):
            lo = format_money(_scalar(low.to("USD/share")), sig)
            hi = format_number(_scalar(high.to("USD/share")), sig)
            return f"{text} ({lo}–{hi} per share)"
        if (unit == "USD" or unit is None) and central.check("[currency]"):
            factor, word = _money_scale(_scalar(central.to("USD")), sig)
            lo = format_number(_scalar(low.to("USD")) / factor, sig)
            hi = format_number(_scalar(high.to("USD")) / factor, sig)
            return f"{text} (${lo}–{hi}{word})"
        number, _, label = text.partition(" ")
        if unit is not None:
            target = unit
        elif central.check("[time]"):
            target = {"days": "day", "day": "day", "hours": "hour", "hour": "hour"}.get(label, "s")
        else:
            target = _label_to_pint(label)
        lo = format_number(float(low.to(target).magnitude), sig)
        hi = format_number(float(high.to(target).magnitude), sig)
        if label in ("day", "hour", "year"):  # central was exactly 1: the range is plural
            label += "s"
        return f"{text} ({lo}–{hi} {label})"
    return f"{text} ({format_quantity(low, unit=unit, sig=sig)}–{format_quantity(high, unit=unit, sig=sig)})"


def _label_to_pint(label: str) -> str:
    """Turn a prose label such as ``EFLOP/s`` or ``TWh`` back into a pint unit string."""
    for _, symbol in _PREFIXES:
        for base, spelling in _PINT_SPELLING.items():
            if label == f"{symbol}{base}":
                prefix = _PREFIX_NAMES[symbol]
                if base == "FLOP/s":
                    return f"{prefix}FLOP/s"
                if base == "FLOP/s/W":
                    return f"{prefix}FLOP/s/W"
                if base == "Wh":
                    return f"{prefix}watt*hour"
                if base == "L/day":
                    return f"{prefix}liter/day"
                if base == "t/year":
                    return f"{prefix}tonne/year"
                return f"{prefix}{spelling}"
    return label


# ch-compute: training-time and measure-your-machine

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_scientific(q, unit: str = "FLOP", sig: int = 3) -> str:
    """A very large (or small) amount in scientific notation for prose: ``3.14 × 10²³ FLOP``.

    ``q`` is a Quantity, written in ``unit``, or a bare number (give ``unit=""`` for none).
    A mantissa of exactly 1 is left out: ``10²⁵ FLOP``, as the prose writes a round size.
    """
    x = q.to(unit).magnitude if isinstance(q, pint.Quantity) else _scalar(q)
    x = float(x)
    if not math.isfinite(x) or x == 0:
        raise ValueError(f"cannot write {x} in scientific notation: it needs a finite, non-zero number")
    mantissa, exponent = f"{x:.{sig - 1}e}".split("e")
    power = "10" + str(int(exponent)).translate(_SUPERSCRIPT)
    text = power if float(mantissa) == 1 else f"{mantissa} × {power}"
    return f"{text} {unit}".strip()


def format_duration(q, sig: int = 3) -> str:
    """A long time in words: in years from one year up (``5.04 years``), else as
    :func:`format_quantity` writes a time (``30.0 days``, ``2.50 hours``, ``12.0 s``)."""
    if not isinstance(q, pint.Quantity) or not q.check("[time]"):
        raise ValueError(f"format_duration needs a time, got {q!r}")
    return format_quantity(q, unit="year", sig=sig) if q >= ureg.Quantity(1, "year") else format_quantity(q, sig=sig)


# ch-fleet


def format_bandwidth(q, sig: int = 3) -> str:
    """A data rate in bytes per second for prose, in GB/s or, from 1 TB/s, TB/s:
    ``50.0 GB/s``, ``4.50 TB/s``. ``sig`` matches a source's own precision when its figure
    is quoted ("4 TB/s", not "4.00 TB/s")."""
    if not isinstance(q, pint.Quantity) or q.dimensionality != ureg.Quantity(1, "byte/s").dimensionality:
        raise UnitError(f"a bandwidth needs a unit of data per time, got {q!r}")
    gb = q.to("GB/s").magnitude
    unit = "TB/s" if round_sig(gb, sig) >= 1000 else "GB/s"
    return format_quantity(q.to(unit), unit=unit, sig=sig)


# ch-headline


def band_against(band, level) -> str:
    """Where a band ``(low, high)`` sits against ``level``, as prose: ``"ends below"`` it,
    ``"lies wholly above"`` it, or ``"reaches"`` it (the band includes it). Any comparable
    values: numbers, or Quantities of one dimension."""
    low, high = band
    if low > high:
        raise ValueError(f"a band runs from low to high, got {low!r} > {high!r}")
    return "ends below" if high < level else "lies wholly above" if low > level else "reaches"


# ch-memphis

def source_sig(x) -> int:
    """Significant figures a source's value carries: 2 for a whole two-digit value (87, 12),
    which a third figure would overstate ("87.0"), else the book's 3."""
    m = _scalar(x)
    return 2 if m.is_integer() and 10 <= abs(m) < 100 else 3


def format_as_sourced(fig) -> str:
    """A data figure (``claimcheck.sources.Figure``) in the unit its source uses, for a
    chapter's "The numbers" table: ``35`` (a count), ``$411,000``, ``87 short tons/year``,
    ``1,650 short tons/year (1,200–2,100 short tons/year)``, ``10,800 Btu/kWh (…)``.

    Counts keep every digit, sums of money are written in dollars, and a whole two-digit
    value keeps two significant figures (:func:`source_sig`).
    """
    unit = None if fig.unit in ("USD", "dimensionless") else fig.unit
    if fig.has_range:
        return format_range(fig.value, fig.low, fig.high, unit=unit)
    if fig.unit == "dimensionless":
        return format_count(fig.value)
    return format_quantity(fig.value, unit=unit, sig=source_sig(fig.value))


def format_date(iso: str) -> str:
    """An ISO 8601 date as the book's prose writes it: ``2023-07-19`` is ``19 July 2023``,
    ``2024-07`` is ``July 2024`` and ``2024`` stays ``2024``."""
    import datetime as dt

    parts = str(iso).split("-")
    try:
        numbers_ = [int(p) for p in parts]
        day = dt.date(numbers_[0], *(numbers_[1:] + [1] * (3 - len(numbers_))))
    except (ValueError, TypeError):
        raise ValueError(f"not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD): {iso!r}") from None
    if len(parts) > 3:
        raise ValueError(f"not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD): {iso!r}")
    return {1: f"{day.year}", 2: f"{day:%B %Y}", 3: f"{day.day} {day:%B %Y}"}[len(parts)]


def format_ratio(a, b, sig: int = 3) -> str:
    """``a / b`` as a plain number for prose (``2.3``, ``500``): the two must have the same
    dimension, or the ratio is not a number."""
    ratio = a / b
    if isinstance(ratio, pint.Quantity):
        if not ratio.dimensionless:
            raise UnitError(f"a ratio of {a:~P} to {b:~P} has units ({ratio.units:~P}), not a number")
        ratio = ratio.to("dimensionless").magnitude
    return format_number(float(ratio), sig)


# ch-trim

_SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def format_in_words(value, word: str, low=None, high=None, *, unit: str | None = None,
                    label: str = "", sig: int = 3) -> str:
    """``value`` counted in ``word`` (``"million"``, ``"billion"``...) for prose:
    ``3.35 billion``; with ``low`` and ``high``, ``3.35 billion (3.2–3.5 billion)``; then
    ``label`` if given (``1.2 million gallons``). A data figure brings its own range.

    Quantities are converted to ``unit`` first, which they must be given, so that the
    number is never in a unit the words do not name.
    """
    if word not in _SCALE_WORDS:
        raise ValueError(f"format_in_words: {word!r} is not one of {', '.join(_SCALE_WORDS)}")
    if hasattr(value, "locator"):  # a data figure
        value, low, high = value.value, value.low, value.high
    if (low is None) != (high is None):
        raise ValueError("format_in_words: give both low and high, or neither")

    def number(x) -> str:
        if isinstance(x, pint.Quantity):
            if unit is None:
                raise UnitError(f"format_in_words: {x:~P} is a Quantity; say which unit to count it in")
            x = x.to(unit).magnitude
        return format_number(_scalar(x) / _SCALE_WORDS[word], sig)

    text = f"{number(value)} {word}"
    if low is not None:
        text += f" ({number(low)}–{number(high)} {word})"
    return f"{text} {label}" if label else text
