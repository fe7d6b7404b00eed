"""Culture frames: the named dimensions that an employee's value vector lives on.

A frame fixes the meaning of each coordinate of the value vector. Values are in [0, 1] on
every dimension; 0 and 1 are the poles of the dimension as described below.

- ``cvf``: the Competing Values Framework (Cameron & Quinn, *Diagnosing and changing
  organizational culture*), measured with the OCAI. Each dimension is the strength of one
  culture type: clan (collaborate), adhocracy (create), market (compete), hierarchy (control).
- ``opinion``: a single dimension, for docking the interaction rule with Deffuant et al. 2000.
- ``hofstede-org``: Hofstede, Neuijen, Ohayv & Sanders (1990), six dimensions of
  organisational practice, each scored from its first pole (0) to its second pole (1).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CultureFrame:
    """A named set of culture dimensions.

    Attributes:
        name: the frame's key as used in scenario files.
        dimensions: dimension names, in the order of the value vector's columns.
        descriptions: one line per dimension saying what 0 and 1 mean.
        source: the literature the frame comes from.
    """

    name: str
    dimensions: tuple[str, ...]
    descriptions: tuple[str, ...]
    source: str

    @property
    def size(self) -> int:
        """Number of dimensions D."""
        return len(self.dimensions)


CVF = CultureFrame(
    name="cvf",
    dimensions=("clan", "adhocracy", "market", "hierarchy"),
    descriptions=(
        "collaborate: family-like, mentoring, teamwork (0 absent, 1 dominant)",
        "create: entrepreneurial, innovative, risk-taking (0 absent, 1 dominant)",
        "compete: results- and client-oriented, goal-driven (0 absent, 1 dominant)",
        "control: formal procedures, rules, stability (0 absent, 1 dominant)",
    ),
    source="Cameron & Quinn, Diagnosing and changing organizational culture (CVF, OCAI)",
)

HOFSTEDE_ORG = CultureFrame(
    name="hofstede-org",
    dimensions=(
        "results_oriented",
        "job_oriented",
        "professional",
        "open_system",
        "tight_control",
        "pragmatic",
    ),
    descriptions=(
        "process-oriented (0) versus results-oriented (1)",
        "employee-oriented (0) versus job-oriented (1)",
        "parochial (0) versus professional (1)",
        "closed system (0) versus open system (1)",
        "loose control (0) versus tight control (1)",
        "normative (0) versus pragmatic (1)",
    ),
    source="Hofstede, Neuijen, Ohayv & Sanders 1990, Measuring organizational cultures, ASQ 35(2)",
)

OPINION = CultureFrame(
    name="opinion",
    dimensions=("opinion",),
    descriptions=("one continuous opinion in [0, 1], as in Deffuant et al. 2000",),
    source="Deffuant, Neau, Amblard & Weisbuch 2000 (for docking and teaching)",
)

FRAMES: dict[str, CultureFrame] = {f.name: f for f in (CVF, HOFSTEDE_ORG, OPINION)}


def get_frame(name: str) -> CultureFrame:
    """Return the culture frame called ``name`` (``cvf`` or ``hofstede-org``)."""
    try:
        return FRAMES[name]
    except KeyError as err:
        raise KeyError(f"unknown culture frame {name!r}; known: {', '.join(FRAMES)}") from err
