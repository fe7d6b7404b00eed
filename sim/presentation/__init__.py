"""Presentation: figures, the comparison report and the teaching material.

``plots`` draws finished runs and analyses, ``report`` writes a comparison's HTML report,
``comparison`` and ``analysis`` write an experiment's tables, figures and report together,
``teaching`` renders the exercises. The dashboard (``sim.presentation.dashboard``) and the live
class (``sim.presentation.live``) belong to this layer too.

Layer rule (tests/test_layers.py): this package may import the model and the experiments;
neither of them imports it.
"""
