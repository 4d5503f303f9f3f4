"""Money: cost per unit of compute, how many units a budget buys, value per share.

All sums are US dollars (``Q_(…, 'USD')``) of the year the source states; nothing here
adjusts for inflation or exchange rates.
"""

from __future__ import annotations

import numpy as np
import pint

from . import validate as v
from .units import Q_


def cost_per_compute(cost, flops):
    """Capital cost per unit of compute rate: :math:`c = \\text{cost} / R`.

    Returns USD per FLOP/s (format it per PFLOP/s or EFLOP/s with ``.to('USD/(PFLOP/s)')``).
    Only compare figures of the same precision, sparsity and kind (peak vs sustained).
    """
    cost = v.quantity("cost", cost, "sum of money")
    flops = v.quantity("flops", flops, "compute rate", positive=True)
    return (cost / flops).to("USD/(FLOP/s)")


def units_affordable(budget, unit_price):
    """How many whole units a budget buys: :math:`n = \\lfloor B / p \\rfloor`.

    Returns a bare count: an ``int`` for single values, a float array of whole numbers
    for arrays (Monte Carlo samples).
    """
    budget = v.quantity("budget", budget, "sum of money")
    unit_price = v.quantity("unit_price", unit_price, "sum of money", positive=True)
    n = np.floor((budget / unit_price).to("dimensionless").magnitude * (1 + 1e-12))
    return int(n) if np.ndim(n) == 0 else n


def per_share(value, shares):
    """Value per share: :math:`v = V / N_\\text{shares}`.

    ``shares`` is a count (bare number) or ``Q_(n, 'share')``. Returns USD per share.
    """
    value = v.quantity("value", value, "sum of money", nonnegative=False)
    if isinstance(shares, pint.Quantity) and not shares.dimensionless:
        shares = v.quantity("shares", shares, "share count", positive=True)
    else:
        shares = Q_(v.count("shares", shares), "share")
    return (value / shares).to("USD/share")
