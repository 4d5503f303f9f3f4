"""Publish a chapter's headline numbers: glued into the prose and listed in results.json.

Each chapter makes one ``Publisher`` with its page name and calls ``publish`` for every
number its prose shows. ``publish`` glues the formatted text (``{glue:text}`id` ``) and
records id, value, unit, low, high and page. During the book build the records go to
``$CLAIMCHECK_RESULTS_DIR/<page>.json`` (set by the book build, ``_ext/book_execution.py``), which the
build merges into ``_build/html/results.json``. Outside the build nothing is written.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pint

from claimcheck.units import (
    _PINT_SPELLING,
    _prose_unit,
    format_count,
    format_figure,
    format_number,
    format_percent,
    format_quantity,
    format_range,
    ureg,
)

RESULTS_ENV = "CLAIMCHECK_RESULTS_DIR"
# Units for which the prose picks its own SI prefix ("150 MW" for a value in W).
_AUTO_PROSE = {None, "count", "dimensionless", "USD", "USD/share", *_PINT_SPELLING, *_PINT_SPELLING.values()}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# Plain numbers: no unit in the prose ("3,000", "91.1"). Every other unit, even a
# dimensionless one such as percent, is kept in results.json and written in the prose.
_PLAIN = {"count", "dimensionless"}
_SCALED_DIMENSIONLESS = {"percent", "permille", "ppm"}


@dataclass(frozen=True)
class Result:
    id: str
    label: str
    page: str
    value: float
    unit: str
    low: float | None
    high: float | None
    text: str
    central_text: str

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _canonical_unit(q: pint.Quantity, unit: str | None) -> str:
    if unit:
        return unit
    if q.dimensionless:
        # "3.49 %" stays a percentage; a ratio such as EFLOP/s / PFLOP/s is a plain number
        own = str(q.units)
        return own if own in _SCALED_DIMENSIONLESS else "dimensionless"
    if q.check("[currency]"):
        return "USD"
    base = _prose_unit(q)
    return _PINT_SPELLING[base] if base else str(q.units)


def _magnitude(q, unit: str) -> float:
    if not isinstance(q, pint.Quantity):
        q = ureg.Quantity(q, "dimensionless")
    m = float(q.to("dimensionless" if unit == "count" else unit).magnitude)
    if not math.isfinite(m):
        raise ValueError(f"result is not a finite number: {m}")
    return float(f"{m:.12g}")  # drop float noise so two builds write identical files


def format_value(value, *, unit: str | None = None, sig: int = 3) -> str:
    """Prose for one value, by its kind: see :meth:`Publisher.glue`."""
    import numbers
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError("a True/False value has no prose form; glue a str")
    if hasattr(value, "quantity") and hasattr(value, "locator"):  # a data figure
        return format_figure(value, unit=unit, sig=sig)
    if hasattr(value, "central"):  # an Estimate or Range
        return format_range(value.central, value.low, value.high, unit=unit, sig=sig)
    if isinstance(value, numbers.Integral):
        return format_count(value)
    if unit == "percent":
        return format_percent(value, sig=sig)
    if isinstance(value, pint.Quantity):
        return format_quantity(value, unit=unit, sig=sig)
    if isinstance(value, numbers.Real):
        if unit is not None:
            raise ValueError(f"a bare number {value!r} with unit {unit!r}: pass a Quantity")
        return format_number(value, sig=sig)
    raise TypeError(f"cannot write {type(value).__name__} {value!r} as prose")


def _glue(name: str, text: str) -> None:
    try:
        from myst_nb import glue
    except ImportError:  # plain Python: nothing to glue into
        return
    # myst-nb's {glue:text} literal-evaluates the text/plain repr, which strips the quotes
    # of a str; an object whose repr is bare "3,000" would come back as the tuple (3, 0).
    glue(name, text, display=False)


class Publisher:
    """Collects one page's results; ``page`` is the Sphinx docname, e.g. ``notebooks/colossus``."""

    def __init__(self, page: str):
        self.page = page
        self.results: dict[str, Result] = {}
        folder = os.environ.get(RESULTS_ENV)
        self.path = Path(folder) / (page.replace("/", "__") + ".json") if folder else None
        self._write()

    def publish(self, id: str, value, low=None, high=None, *, label: str, unit: str | None = None,
                prose_unit: str | None = None, sig: int = 3) -> str:
        """Glue ``id`` as prose ("150 MW (120–180 MW)") and record it; returns the prose.

        ``value`` is a Quantity, a number (a count), or an estimate with ``central``,
        ``low`` and ``high`` (``claimcheck.uncertainty.Estimate``). ``unit`` fixes the unit
        of results.json (``"count"`` marks a dimensionless count). The prose uses the
        book's SI-prefixed unit for the dimension ("150 MW"), or ``unit`` itself when it
        is not one of those (``"day"``, ``"short_ton/year"``), or ``prose_unit`` if given.
        Only ``"count"`` and ``"dimensionless"`` are written as bare numbers ("3,000");
        any other dimensionless unit is stored and written as itself: ``Q_(3.49, "percent")``
        (or the fraction 0.0349 as a Quantity) gives 3.49 in results.json and "3.49 %".
        A bare number with any other unit is refused: it could be a fraction or a percentage.
        """
        if not _ID.match(id):
            raise ValueError(f"result id {id!r} must be snake_case")
        if id in self.results:
            raise ValueError(f"result {id!r} is published twice on {self.page}")
        if hasattr(value, "central") and low is None and high is None:
            value, low, high = value.central, value.low, value.high
        if (low is None) != (high is None):
            raise ValueError(f"result {id!r}: give both low and high, or neither")
        q = value if isinstance(value, pint.Quantity) else ureg.Quantity(value, "dimensionless")
        canonical = _canonical_unit(q, unit)
        if canonical not in _PLAIN:
            for name, x in (("value", value), ("low", low), ("high", high)):
                if x is not None and not isinstance(x, pint.Quantity):
                    # 0.0349 with unit "percent": a fraction or a percentage? Say which.
                    raise ValueError(f"result {id!r}: {name} is a bare number {x!r} but the unit is "
                                     f"{canonical!r}; pass a Quantity, e.g. Q_({x!r}, {canonical!r})")
        elif low is not None:
            # A count or ratio with a range is an estimate: significant figures, not every digit.
            value, low, high = (float(x.to("dimensionless").magnitude) if isinstance(x, pint.Quantity)
                                else float(x) for x in (value, low, high))
        elif isinstance(value, pint.Quantity):
            value = value.to("dimensionless")  # 2.49 % published as a plain number is 0.0249
        if prose_unit is None and unit not in _AUTO_PROSE:
            prose_unit = unit  # "percent" -> "3.49 % (0.277–8.43 %)", "day" -> "8.16 days"
        elif prose_unit is None and canonical in _SCALED_DIMENSIONLESS:
            prose_unit = canonical  # a Quantity in percent, published without a unit
        text = format_range(value, low, high, unit=prose_unit, sig=sig) if low is not None \
            else format_quantity(value, unit=prose_unit, sig=sig)
        central_text = format_quantity(value, unit=prose_unit, sig=sig)
        result = Result(
            id=id, label=label, page=self.page, value=_magnitude(value, canonical), unit=canonical,
            low=None if low is None else _magnitude(low, canonical),
            high=None if high is None else _magnitude(high, canonical), text=text,
            central_text=central_text,
        )
        if result.low is not None and not result.low <= result.value <= result.high:
            raise ValueError(f"result {id!r}: value {result.value} is outside low–high "
                             f"{result.low}–{result.high}")
        self.results[id] = result
        _glue(id, text)
        self._write()
        return text

    def glue(self, name: str, value, *, unit: str | None = None, sig: int = 3) -> str:
        """Format ``value`` for prose and glue it as ``{glue:text}`name```; returns the text.

        For the numbers a page's prose shows that are not headline results (those go
        through :meth:`publish` and into results.json). ``value`` may be

        * a ``str``: glued as it is;
        * an ``int`` (a count, see :func:`claimcheck.sources.count`): every digit, "44,544";
        * a float: ``sig`` significant figures, "1.09";
        * a Quantity: in the book's unit for its dimension, or in ``unit`` ("150 MW");
          ``unit="percent"`` writes a fraction as a percentage ("2.49 %");
        * a data figure (``sources.figure(id)``) or an estimate with ``central``, ``low`` and
          ``high``: the central value and its range, "1.3 (1.1–1.5)".
        """
        if not _ID.match(name):
            raise ValueError(f"glue name {name!r} must be snake_case")
        text = format_value(value, unit=unit, sig=sig)
        _glue(name, text)
        return text

    def _write(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        records = [r.as_dict() for r in self.results.values()]
        self.path.write_text(json.dumps({"page": self.page, "results": records}, indent=1,
                                        ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def merge(folder: Path) -> list[dict]:
    """All results from a results folder, sorted by id; a duplicate id across pages is an error."""
    merged: dict[str, dict] = {}
    for path in sorted(Path(folder).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for record in data["results"]:
            if record["id"] in merged:
                raise ValueError(f"result {record['id']!r} is published by both "
                                 f"{merged[record['id']]['page']} and {record['page']}")
            merged[record["id"]] = record
    return [merged[k] for k in sorted(merged)]
