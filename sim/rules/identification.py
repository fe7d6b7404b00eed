"""Organisational identification through the merger: the shock and the recovery.

Why: mergers bring a "merger syndrome" of stress, distrust and us-versus-them (Marks & Mirvis
1986) and a dip in performance that recovers only partly (Weber & Camerer 2003). Identification
with the merged organisation depends on how much of one's own organisation continues in it: the
dominated (smaller) partner loses more (van Knippenberg, van Knippenberg, Monden & de Lima
2002). Contact across the former boundaries builds a common in-group identity (Gaertner,
Dovidio, Anastasio, Bachman & Rust 1993).

Rule, per employee i of city c (identification I in [0, 1]):

- dominance loss L_c = 1 - (c's share of the merged headcount); a hire after the merger has
  L = 0 (they join the merged organisation, they lose nothing);
- at the merger I_i = I_pre * (1 - shock * L_c);
- belonging B_i = min(1, x_i / (1 - s_c)), x_i the share of i's tie strength to colleagues of
  other cities and 1 - s_c the share a city-blind network would give;
- implied identification I*_i = I_pre * (1 - lasting * L_i * (1 - B_i));
- each week I_i moves ``recovery_rate`` of the way to I*_i.

So the loss is largest at the merger (the syndrome), recovers toward a lasting loss that is
larger for the dominated partner, and cross-city ties remove that lasting loss.
"""

from __future__ import annotations

import numpy as np

from sim import kernels
from sim.scenario import MergerSection


def dominance_loss(city: np.ndarray, n_cities: int) -> np.ndarray:
    """Per-slot 1 - (own city's share of the merged headcount), from the slots' cities."""
    counts = np.bincount(city, minlength=n_cities).astype(float)
    share = counts / max(counts.sum(), 1.0)
    return 1.0 - share.take(city)


def shocked_identification(loss: np.ndarray, spec: MergerSection) -> np.ndarray:
    """Identification just after the merger."""
    return spec.pre_identification * (1.0 - spec.identification_shock * loss)


def cross_city_belonging(u: np.ndarray, v: np.ndarray, weight: np.ndarray, city: np.ndarray,
                         loss: np.ndarray) -> np.ndarray:
    """Share of each slot's tie strength to other cities, relative to the share a city-blind
    network would give (its dominance loss), capped at 1. No ties: 0; no other city: 1.

    One compiled pass over the ties (:func:`sim.kernels.cross_city_belonging`)."""
    return kernels.cross_city_belonging(
        np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64),
        np.asarray(weight, dtype=float), np.asarray(city, dtype=np.int64),
        np.asarray(loss, dtype=float))


def implied_identification(loss: np.ndarray, belonging: np.ndarray,
                           spec: MergerSection) -> np.ndarray:
    """Identification that the employee's continuity and cross-city ties imply."""
    return spec.pre_identification * (1.0 - spec.lasting_loss * loss * (1.0 - belonging))
