"""Clipping an array to a range, without ``np.clip``'s argument handling.

``np.clip(x, lo, hi)`` on an array passes through two layers of Python wrappers before the
ufunc that does the work; the weekly loop clips a dozen small arrays a week (contracts,
engagement, receptivity, learned shifts), so the wrappers cost more than the clipping.
``ndarray.clip`` calls the same ufunc directly, so the result is the same to the bit.
"""

from __future__ import annotations

import numpy as np


def clip(x: np.ndarray | float, lo: float = 0.0, hi: float = 1.0) -> np.ndarray:
    """``np.clip(x, lo, hi)``: the array method for an array, ``np.clip`` for anything else
    (a scalar, a list)."""
    if type(x) is np.ndarray:
        return x.clip(lo, hi)
    return np.clip(x, lo, hi)
