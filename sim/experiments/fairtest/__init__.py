"""Fair tests of the case's claim: equal-budget frontiers and what the verdict depends on.

Why a package of its own: these experiments compare *designs* of strategies (many parameter
points, each with paired seeds and ``none`` as the baseline) rather than the strategies'
defaults, which is what ``compare`` does. They run through the sweep executors (serial,
local processes, or a Dask cluster) unchanged, and every number they print is a pure
function of the scenario, the design and the seeds.

Modules: :mod:`sim.experiments.fairtest.runs` (run requests, per-run measures, paired effects over
``none``), :mod:`sim.experiments.fairtest.frontier` (equal-budget comparison, pymoo's non-dominated
sorting), :mod:`sim.experiments.fairtest.verdict` (Sobol indices of paired differences, PRIM boxes).
"""
