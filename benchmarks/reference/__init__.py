"""Reference implementations for the benchmark suite.

:mod:`benchmarks.reference.mesa_rule` writes the everyday interaction rule the idiomatic Mesa
way (one agent at a time, ``shuffle_do``); :mod:`benchmarks.reference.vectorised_rule` runs
the same rule with the model's own array functions. Both start from the same population and
network (the model's builders and seed streams), so their speed and their outcomes can be put
side by side.
"""
