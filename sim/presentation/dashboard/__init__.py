"""The teaching dashboard: the case in a browser, side by side, in Dutch or English.

Run it with ``merger-sim dashboard``: a Mesa SolaraViz app. Importing this package builds nothing;
the page lives in :mod:`sim.presentation.dashboard.app` and creates its model per browser session.
"""
