"""Scenario sweeps: many runs over parameters, strategies and replications, resumable.

Public entry points: ``load_sweep`` (validate a sweep file), ``plan_sweep`` (expand it
into keyed run specs) and ``run_sweep`` (compute what is not stored yet, then combine).
"""

from sim.experiments.sweep.plan import Plan, RunSpec, plan_sweep
from sim.experiments.sweep.runner import SweepReport, run_sweep
from sim.experiments.sweep.spec import LoadedSweep, SweepError, SweepSpec, load_sweep

__all__ = [
    "LoadedSweep",
    "Plan",
    "RunSpec",
    "SweepError",
    "SweepReport",
    "SweepSpec",
    "load_sweep",
    "plan_sweep",
    "run_sweep",
]
