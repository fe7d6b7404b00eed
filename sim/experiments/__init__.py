"""Experiments and analysis: the layer between the model and its presentation.

One engine plans, runs, stores and resumes experiments (``sweep``: sweeps and, through
``compare``, strategy comparisons); ``results`` is the one reader of what it stored;
``observables`` declares every output once (``outcomes`` and ``counterfactual`` derive the
run outcomes and effects); ``stats``, ``sensitivity`` and ``discovery`` analyse; ``plugins``
add strategies and outcomes. The fair test's experiments (``sim.experiments.fairtest``) belong to
this layer too.

Layer rule (tests/test_layers.py): this package imports the model (``sim``'s top-level
modules, ``sim.rules``, ``sim.strategies``), never ``sim.presentation``, the dashboard, the
live class or the command line.
"""
