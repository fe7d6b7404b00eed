"""One shared look for every figure: Okabe-Ito colours, sizes, and saving.

Why: figures from compare, sweeps and the docs must read as one family and stay legible
for readers with colour-vision deficiencies. The Okabe-Ito palette (Okabe & Ito 2008,
*Color Universal Design*) is distinguishable under the common forms of colour blindness;
strategies keep the same colour in every figure because colours are assigned from one
fixed table. Figures are built as ``matplotlib.figure.Figure`` objects, never through
``pyplot``, so nothing here touches global state or needs a display.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""The eight Okabe-Ito colours."""

CYCLE: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["yellow"],
    OKABE_ITO["black"],
)
"""Order in which colours are handed out (yellow late: weak on white)."""

STRATEGY_COLOURS: dict[str, str] = {
    "none": OKABE_ITO["black"],
    "training": OKABE_ITO["vermillion"],
    "teams": OKABE_ITO["blue"],
    "assigned-teams": OKABE_ITO["orange"],
    "teams+training": OKABE_ITO["bluish_green"],
}
"""Fixed colour per registered strategy, so a strategy looks the same everywhere."""

INTERVENTION_SHADE = "#DDDDDD"
"""Fill for the intervention period (neutral grey, not a data colour)."""

RC: dict[str, object] = {
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "merger-sim",
}
"""Matplotlib settings applied while a figure is built (never globally)."""


def strategy_colours(strategies: Sequence[str]) -> dict[str, str]:
    """Colour per strategy: the fixed table first, then unused palette colours in order."""
    used = {STRATEGY_COLOURS[s] for s in strategies if s in STRATEGY_COLOURS}
    spare = iter([c for c in CYCLE if c not in used] + list(CYCLE))
    return {s: STRATEGY_COLOURS.get(s) or next(spare) for s in strategies}


def category_colours(categories: Sequence[object]) -> dict[object, str]:
    """Colour per category (cities, teams) in palette order; cycles past eight."""
    return {c: CYCLE[i % len(CYCLE)] for i, c in enumerate(categories)}


@contextmanager
def figure_style() -> Iterator[None]:
    """Apply the shared rc settings for the duration of a ``with`` block."""
    with mpl.rc_context(RC):
        yield


def new_figure(width: float, height: float) -> Figure:
    """A pyplot-free figure of ``width`` x ``height`` inches with constrained layout."""
    return Figure(figsize=(width, height), layout="constrained")


def save_figure(fig: Figure, out_dir: Path | str, name: str) -> list[Path]:
    """Write ``fig`` as ``name.png`` and ``name.svg`` in ``out_dir``; return the paths.

    SVG metadata dates are removed so the same tables give the same bytes.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.png", out / f"{name}.svg"]
    with figure_style():
        fig.savefig(paths[0], metadata={"Software": None})
        fig.savefig(paths[1], metadata={"Date": None, "Creator": None})
    return paths
