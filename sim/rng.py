"""Random streams: one seed per run, one independent generator per model component.

Streams are spawned from ``numpy.random.SeedSequence(seed)`` in a fixed order of component
names, so that two strategies run with the same seed share the same initial population and
network (common random numbers), and switching one intervention on does not shift the draws of
another component.
"""

from __future__ import annotations

import numpy as np

#: Component names in spawn order. Append new components at the end: reordering would change
#: every stream and so every published result.
COMPONENTS: tuple[str, ...] = (
    "population",
    "network",
    "interaction",
    "noise",
    "closure",
    "turnover",
    "hiring",
    "training",
    "teams",
    "pitch",
    "mesa",
    "diffusion",
    "peer_support",
    "calibration",
    "projects",
)


def spawn_streams(seed: int) -> dict[str, np.random.Generator]:
    """Return one independent generator per component for this run's seed."""
    children = np.random.SeedSequence(seed).spawn(len(COMPONENTS))
    return {name: np.random.default_rng(child) for name, child in zip(COMPONENTS, children,
                                                                      strict=True)}
