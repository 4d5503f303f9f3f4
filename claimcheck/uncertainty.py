"""Uncertainty: ranges from low/central/high, Monte Carlo with a fixed seed, summaries.

A :class:`Range` turns a sourced figure with a low and a high value into a probability
distribution. The default, following Epoch AI's practice for uncertain compute and cost
estimates, is a **log-normal fitted to a 90 % interval**: ``low`` is the 5th percentile,
``high`` the 95th, so the median is the geometric mean :math:`\\sqrt{lh}` and

.. math:: \\sigma = \\frac{\\ln(h/l)}{2 z_{0.95}}, \\qquad z_{0.95} \\approx 1.645.

The log-normal suits positive quantities known to within a *factor* (chip counts,
power, FLOP, cost): it cannot go negative and its spread is multiplicative. It does
**not** suit bounded quantities, where its tail would put mass on impossible values:
utilisation (at most 1), PUE (at least 1), a load factor. For those use

* ``"triangular"``: ``low`` and ``high`` are hard bounds and ``central`` the mode;
* ``"uniform"``: ``low`` and ``high`` are hard bounds, every value between equally
  likely (``central`` is kept for reporting only).

:func:`monte_carlo` draws every Range argument of a formula (independently; the same
Range object passed twice is drawn once), calls the formula on the arrays, and
summarises the result as an :class:`Estimate`: the median with the 5th and 95th
percentiles. The seed is fixed (default 20241107, the article's date), so every build
prints the same numbers.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np
import pint

from .units import Q_, UnitError, format_range
from .validate import InputError

__all__ = ["Range", "Estimate", "monte_carlo", "Z90", "DEFAULT_SEED", "DEFAULT_N"]

#: The standard normal 95th percentile: a 90 % interval spans +/- Z90 standard deviations.
Z90 = NormalDist().inv_cdf(0.95)
DEFAULT_SEED = 20241107
DEFAULT_N = 20_000
DISTRIBUTIONS = ("lognormal", "triangular", "uniform")


def _is_number(x) -> bool:
    return isinstance(x, (numbers.Real, np.generic)) and not isinstance(x, bool)


def _mag(x, units) -> float:
    """The magnitude of ``x`` in ``units`` (None for bare numbers), as a float."""
    value = x.to(units).magnitude if units is not None else x
    arr = np.asarray(value, dtype=float)
    if arr.ndim != 0:
        raise InputError("Range bounds must be single values, not arrays")
    return float(arr)


@dataclass(frozen=True)
class Range:
    """An uncertain quantity given as low, central and high values.

    All three are Quantities of one dimension (or all bare numbers, for counts and
    ratios), with ``low <= central <= high``. ``low == high`` is a point: sampling
    returns that value every time. ``distribution`` is ``"lognormal"`` (default; low and
    high are the 5th and 95th percentiles), ``"triangular"`` or ``"uniform"`` (low and
    high are hard bounds); see the module docstring for when to use which.
    """

    low: Any
    central: Any
    high: Any
    distribution: str = "lognormal"
    _units: Any = field(default=None, init=False, repr=False, compare=False)
    _lo: float = field(default=0.0, init=False, repr=False, compare=False)
    _c: float = field(default=0.0, init=False, repr=False, compare=False)
    _hi: float = field(default=0.0, init=False, repr=False, compare=False)

    def __post_init__(self):
        values = {"low": self.low, "central": self.central, "high": self.high}
        is_q = [isinstance(x, pint.Quantity) for x in values.values()]
        if any(is_q) and not all(is_q):
            bare = [k for k, x in values.items() if not isinstance(x, pint.Quantity)]
            raise UnitError(f"Range: {', '.join(bare)} must be a quantity like the others "
                            f"(e.g. Q_(120, 'MW')), got a bare number")
        if all(is_q):
            units = self.central.units
            for name, x in values.items():
                if x.dimensionality != self.central.dimensionality:
                    raise UnitError(f"Range: {name} ({x.units:~P}) has a different dimension "
                                    f"from central ({units:~P})")
        else:
            units = None
            for name, x in values.items():
                if not _is_number(x):
                    raise InputError(f"Range: {name} must be a number or a quantity, got {x!r}")
        lo, c, hi = (_mag(x, units) for x in values.values())
        for name, m in zip(values, (lo, c, hi), strict=True):
            if math.isnan(m):
                raise InputError(f"Range: {name} is NaN (not a number)")
            if math.isinf(m):
                raise InputError(f"Range: {name} must be finite, got {m}")
        if lo > c:
            raise InputError(f"Range: low ({self.low}) is above central ({self.central})")
        if c > hi:
            raise InputError(f"Range: central ({self.central}) is above high ({self.high})")
        if self.distribution not in DISTRIBUTIONS:
            raise InputError(f"Range: distribution must be one of {DISTRIBUTIONS}, "
                             f"got {self.distribution!r}")
        if self.distribution == "lognormal" and lo <= 0 and lo != hi:
            raise InputError("Range: a log-normal needs low > 0 (it is fitted to ratios); "
                             "use distribution='triangular' or 'uniform' for a range that "
                             f"reaches zero or below, got low={self.low}")
        object.__setattr__(self, "_units", units)
        object.__setattr__(self, "_lo", lo)
        object.__setattr__(self, "_c", c)
        object.__setattr__(self, "_hi", hi)

    @classmethod
    def point(cls, value) -> Range:
        """A certain value (a degenerate range)."""
        return cls(value, value, value)

    @classmethod
    def from_figure(cls, fig, distribution: str = "lognormal") -> Range:
        """A Range from a data-loader figure: any object with ``.value``, ``.low``, ``.high``.

        ``low`` and ``high`` both None make a point at ``value``.
        """
        for attr in ("value", "low", "high"):
            if not hasattr(fig, attr):
                raise InputError(f"Range.from_figure: the figure has no .{attr} attribute "
                                 f"(got {type(fig).__name__})")
        name = getattr(fig, "id", "figure")
        if fig.low is None and fig.high is None:
            return cls.point(fig.value)
        if fig.low is None or fig.high is None:
            raise InputError(f"Range.from_figure: {name} has only one of low and high; "
                             "give both or neither")
        return cls(fig.low, fig.value, fig.high, distribution)

    @property
    def is_point(self) -> bool:
        return self._lo == self._hi

    @property
    def units(self):
        """The units samples are returned in (those of ``central``), or None for bare numbers."""
        return self._units

    def lognormal_parameters(self) -> tuple[float, float]:
        """``(mu, sigma)`` of the log-normal: ln of the geometric mean, ln(h/l) / (2 z95)."""
        mu = 0.5 * (math.log(self._lo) + math.log(self._hi))
        sigma = (math.log(self._hi) - math.log(self._lo)) / (2 * Z90)
        return mu, sigma

    def sample(self, n: int = DEFAULT_N, rng=None):
        """``n`` independent draws, as a Quantity array in the units of ``central``.

        ``rng`` is a ``numpy.random.Generator`` or a seed; None uses the book's seed.
        """
        if not isinstance(n, numbers.Integral) or n < 1:
            raise InputError(f"n must be a positive whole number, got {n!r}")
        if not isinstance(rng, np.random.Generator):
            rng = np.random.default_rng(DEFAULT_SEED if rng is None else rng)
        if self.is_point:
            draws = np.full(n, self._c)
        elif self.distribution == "lognormal":
            mu, sigma = self.lognormal_parameters()
            draws = rng.lognormal(mu, sigma, n)
        elif self.distribution == "triangular":
            draws = rng.triangular(self._lo, self._c, self._hi, n)
        else:
            draws = rng.uniform(self._lo, self._hi, n)
        return Q_(draws, self._units) if self._units is not None else draws

    def __str__(self) -> str:
        return format_range(self.central, self.low, self.high)


@dataclass(frozen=True)
class Estimate:
    """A result with its uncertainty: ``central`` (median), ``low``/``high`` (5th/95th percentiles).

    ``str()`` gives the house style, ``"150 MW (120–180 MW)"``.
    """

    central: Any
    low: Any
    high: Any
    samples: Any = None

    def __post_init__(self):
        c = self.central
        units = c.units if isinstance(c, pint.Quantity) else None
        try:
            lo, mid, hi = (_mag(x, units) for x in (self.low, c, self.high))
        except (pint.DimensionalityError, AttributeError):
            raise UnitError("Estimate: low, central and high must share a dimension") from None
        if any(math.isnan(m) for m in (lo, mid, hi)):
            raise InputError("Estimate: low, central or high is NaN")
        tol = 1e-12 * max(abs(lo), abs(mid), abs(hi), 1e-300)
        if lo > mid + tol or mid > hi + tol:
            raise InputError(f"Estimate: need low <= central <= high, got {self.low}, "
                             f"{self.central}, {self.high}")

    @classmethod
    def from_samples(cls, samples, keep_samples: bool = True) -> Estimate:
        """Median and 5th/95th percentiles of Monte Carlo samples (a Quantity or array)."""
        units = samples.units if isinstance(samples, pint.Quantity) else None
        mag = np.asarray(samples.magnitude if units is not None else samples, dtype=float)
        if mag.ndim == 0:
            value = Q_(float(mag), units) if units is not None else float(mag)
            return cls(value, value, value, None)
        if np.isnan(mag).any():
            raise InputError(f"Estimate: {int(np.isnan(mag).sum())} of {mag.size} samples are NaN")
        p5, p50, p95 = np.percentile(mag, [5, 50, 95])
        wrap = (lambda x: Q_(float(x), units)) if units is not None else float
        return cls(wrap(p50), wrap(p5), wrap(p95), samples if keep_samples else None)

    def to(self, unit) -> Estimate:
        """The same estimate in another unit."""
        samples = self.samples.to(unit) if self.samples is not None else None
        return Estimate(self.central.to(unit), self.low.to(unit), self.high.to(unit), samples)

    def format(self, unit: str | None = None, sig: int = 3) -> str:
        """``central (low–high)`` with an optional forced unit."""
        return format_range(self.central, self.low, self.high, unit=unit, sig=sig)

    def __str__(self) -> str:
        return self.format()


def monte_carlo(func: Callable, *args, n: int = DEFAULT_N, seed: int = DEFAULT_SEED,
                **kwargs) -> Estimate:
    """Propagate uncertainty through ``func`` by simulation.

    Every :class:`Range` among ``args``/``kwargs`` is replaced by ``n`` draws (in order:
    positional arguments, then keyword arguments in the order given; the same Range
    object is drawn once and reused, so it stays perfectly correlated with itself).
    Quantities and numbers pass through untouched. ``func`` must work element-wise on
    arrays, as every ``claimcheck`` formula does. Returns an :class:`Estimate`; the same
    ``seed`` always gives the same numbers.
    """
    if not isinstance(n, numbers.Integral) or n < 2:
        raise InputError(f"n must be a whole number of at least 2, got {n!r}")
    rng = np.random.default_rng(seed)
    drawn: dict[int, Any] = {}

    def draw(x):
        if isinstance(x, Range):
            if id(x) not in drawn:
                drawn[id(x)] = x.sample(n, rng)
            return drawn[id(x)]
        return x

    new_args = [draw(a) for a in args]
    new_kwargs = {k: draw(x) for k, x in kwargs.items()}
    return Estimate.from_samples(func(*new_args, **new_kwargs))
