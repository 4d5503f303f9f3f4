"""Compute: peak throughput, training time and model FLOP utilisation.

All FLOP/s figures here are whatever the inputs are: if ``per_chip`` is a BF16 dense
peak, so is the result. Never mix precisions (FP64 vs BF16) or dense vs sparse rates
in one calculation; the data tables say which is which.

Sources: the training-time identity is the one used by Patterson et al. (2021,
arXiv:2104.10350, Table 4: total computation = chips x measured FLOP/s x time) and by
Epoch AI's compute estimates; model FLOP utilisation (MFU) follows Chowdhery et al.
(2022, PaLM, arXiv:2204.02311, section 4.1).
"""

from __future__ import annotations

from . import validate as v
from .units import ureg


def peak(chips, per_chip):
    """Aggregate peak compute rate.

    .. math:: R_\\text{peak} = N_\\text{chips} \\times r_\\text{chip}

    ``chips`` is a count (bare number); ``per_chip`` a compute rate such as
    ``Q_(362, 'TFLOP/s')``. Returns FLOP/s. The result is a *peak* (datasheet) rate:
    sustained rates are lower by the utilisation.
    """
    chips = v.count("chips", chips)
    per_chip = v.quantity("per_chip", per_chip, "compute rate", positive=True)
    return (chips * per_chip).to("FLOP/s")


def training_time(flop, chips, per_chip, utilisation):
    """Wall-clock time to do ``flop`` operations on ``chips`` chips.

    .. math:: t = \\frac{C}{N_\\text{chips} \\, r_\\text{chip} \\, u}

    ``flop`` is total training computation (``Q_(3.14e23, 'FLOP')``), ``per_chip``
    the peak rate per chip, ``utilisation`` the model FLOP utilisation in (0, 1].
    Returns a time in days. Inverse of :func:`utilisation`. Source: Patterson et al.
    (2021), Table 4 (total computation = chips x measured FLOP/s x training time).
    """
    flop = v.quantity("flop", flop, "computation", positive=True)
    chips = v.count("chips", chips)
    per_chip = v.quantity("per_chip", per_chip, "compute rate", positive=True)
    utilisation = v.ratio("utilisation", utilisation, low=0, high=1, low_inclusive=False,
                          meaning="a fraction of peak")
    return (flop / (chips * per_chip * utilisation)).to("day")


def utilisation(flop, chips, per_chip, duration):
    """Model FLOP utilisation: the fraction of peak a training run achieved.

    .. math:: u = \\frac{C}{N_\\text{chips} \\, r_\\text{chip} \\, t}

    Returns a dimensionless Quantity. A result above 1 is returned, not refused: it
    means the claimed computation could not have been done in the claimed time on the
    claimed hardware, which is itself a finding. Source: Chowdhery et al. (2022), MFU.
    """
    flop = v.quantity("flop", flop, "computation", positive=True)
    chips = v.count("chips", chips)
    per_chip = v.quantity("per_chip", per_chip, "compute rate", positive=True)
    duration = v.quantity("duration", duration, "time", positive=True)
    return (flop / (chips * per_chip * duration)).to("dimensionless")


def step_time(parameters, tokens_per_step, gpus, per_gpu, utilisation):
    """Arithmetic time of one optimiser step of a dense transformer.

    .. math:: t_\\text{step} = \\frac{6 P T}{N \\, r_\\text{chip} \\, u}

    ``parameters`` (P) and ``tokens_per_step`` (T) are counts; 6 P T FLOP per step is the
    usual estimate for a forward and backward pass (Kaplan et al. 2020). The rest is
    :func:`training_time`. Returns seconds.
    """
    parameters = v.count("parameters", parameters)
    tokens_per_step = v.count("tokens_per_step", tokens_per_step)
    flop = 6 * parameters * tokens_per_step * ureg.Quantity(1, "FLOP")
    return training_time(flop, gpus, per_gpu, utilisation).to("s")


def ring_allreduce_time(gradient, gpus, link_bandwidth, hop_latency):
    """Time of one ring all-reduce of the gradients across ``gpus`` GPUs.

    .. math:: t = 2\\,\\frac{N-1}{N}\\,\\frac{S}{B} + 2\\,(N-1)\\,\\alpha

    Each GPU must send and receive a share 2(N−1)/N of the gradient of ``S`` bytes over
    its link of ``B`` bytes/s in one direction (the "bus bandwidth" of NVIDIA's
    nccl-tests, doc/PERFORMANCE.md); a ring does it in 2(N−1) steps, each paying the
    start-up latency α (the alpha–beta model). ``gpus`` may be an array.
    """
    gradient = v.quantity("gradient", gradient, "data size", positive=True)
    n = v.count("gpus", gpus)
    link_bandwidth = v.quantity("link_bandwidth", link_bandwidth, "bandwidth", positive=True)
    hop_latency = v.quantity("hop_latency", hop_latency, "time")
    return (2 * (n - 1) / n * gradient / link_bandwidth + 2 * (n - 1) * hop_latency).to("s")
