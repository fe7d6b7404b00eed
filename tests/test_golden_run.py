"""A short run of the case, pinned to the bit: accidental changes to the numbers are caught.

A run is a pure function of (scenario, strategy, overrides, seed). Speed-ups of the weekly
loop must keep every output bit for bit (docs/performance.md); a change of a model rule
changes these fingerprints on purpose. Then check that the change was meant, and print the
new fingerprints with::

    PYTHONPATH=. .venv/bin/python tests/test_golden_run.py

The fingerprint is the SHA-256 of the exact bytes of the weekly outputs and of the agent
snapshots (week 0, the intervention's end and the last week). They depend on NumPy's
floating-point kernels, so a NumPy release (or a processor family) whose ``exp`` differs in
the last bit may change them too: the pinned versions are in ``constraints.txt``.
"""

from __future__ import annotations

import hashlib
import sys

import numpy as np
import pandas as pd
import pytest

from sim import run

#: 40 weeks: recruitment, sessions, value work, coaching and the first pitches of the teams,
#: the first cohorts and their fading for training, turnover and hiring for all.
WEEKS = 40
SEED = 11
RUNS: dict[str, dict[str, object]] = {
    "none": {},
    "training": {"training.peer_support": True, "training.transfer_projects": True},
    "teams": {},
}

PINNED: dict[str, str] = {
    "none": "de4c86a102b044d6f64ce9521f022b5eeb5021923d1b01dfed80610bc59760a9",
    "training": "896ef1d5e2a4d236e43e67177addfa64b2b0a60cf03101759a602cd105fed613",
    "teams": "1ea692d62a6f1a92fe1e7d41f2d7e9db19d2bfa041f1f222f2e4ba46fb0467d7",
}


def frame_digest(frame: pd.DataFrame, digest: hashlib._Hash) -> None:
    """Feed a table's column names, types and exact values into ``digest``."""
    digest.update(repr([(c, str(t)) for c, t in frame.dtypes.items()]).encode())
    for column in frame.columns:
        values = frame[column].to_numpy()
        if values.dtype == object or not isinstance(values, np.ndarray):
            digest.update("\x1f".join(map(str, values)).encode())
        else:
            digest.update(np.ascontiguousarray(values).tobytes())


def fingerprint(strategy: str) -> str:
    """SHA-256 of one pinned run's weekly outputs and agent snapshots."""
    result = run("case", strategy=strategy, seed=SEED, overrides=RUNS[strategy] or None,
                 weeks=WEEKS, snapshot_weeks=[0, 26, WEEKS])
    digest = hashlib.sha256()
    frame_digest(result.timeseries, digest)
    frame_digest(result.agents, digest)
    return digest.hexdigest()


@pytest.mark.parametrize("strategy", list(RUNS))
def test_short_case_run_is_pinned_to_the_bit(strategy: str) -> None:
    assert fingerprint(strategy) == PINNED[strategy], (
        f"the {strategy!r} run's outputs changed; if a rule changed on purpose, update "
        "PINNED (see the module docstring)")


def test_the_fingerprint_sees_a_change_in_the_last_bit() -> None:
    result = run("case", strategy="none", seed=SEED, weeks=2)
    before = hashlib.sha256()
    frame_digest(result.timeseries, before)
    column = result.timeseries["culture_spread"].to_numpy().copy()
    column[-1] = np.nextafter(column[-1], 1.0)
    result.timeseries["culture_spread"] = column
    after = hashlib.sha256()
    frame_digest(result.timeseries, after)
    assert before.hexdigest() != after.hexdigest()


if __name__ == "__main__":
    for name in RUNS:
        print(f'    "{name}": "{fingerprint(name)}",')
    sys.exit(0)
