"""``python -m sim``: the merger-sim command line."""

from sim.cli import main

main()
