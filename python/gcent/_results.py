"""The values the estimators return: small frozen dataclasses.

Owns: Estimate, LayerMI, Bounds, BinnedMI, BinGrid, SlicedMI. Every number is
a Python float in the unit of the call's log_base (nats by default).
"""

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Estimate:
    """An estimate and its error.

    se is the Monte Carlo standard error when the value came from Monte Carlo,
    and the quadrature's error bound when it came from quadrature (see
    docs/guide.md: with method="auto" the library picks one by size).
    """

    value: float
    se: float

    def __float__(self):
        return self.value


@dataclass(frozen=True)
class LayerMI:
    """The information-plane point of a noisy layer (gcent_mi_layer).

    ht = h(T_l), ixt = I(X;T_l), iyt = I(Y;T_l), or None when no labels were
    given (the library does not compute it then).
    """

    ht: Estimate
    ixt: Estimate
    iyt: Optional[Estimate]


@dataclass(frozen=True)
class Bounds:
    """Kolchinsky-Tracey bounds on a mixture entropy: lower <= h <= upper."""

    lower: float
    upper: float


@dataclass(frozen=True)
class BinnedMI:
    """I(X;Bin(T)) and I(Y;Bin(T)) (None without labels), exact."""

    ixt: float
    iyt: Optional[float]


@dataclass(frozen=True)
class BinGrid:
    """Width and origin that reproduce a fixed-range binning (gcent_bin_fixed_range)."""

    width: float
    origin: float


@dataclass(frozen=True)
class SlicedMI:
    """The sliced information-plane point SI_q(X;T), SI_q(Y;T) (None without
    labels); value = mean over slices, se = standard error over slices."""

    ixt: Estimate
    iyt: Optional[Estimate]
