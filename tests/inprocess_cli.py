"""``merger-sim ARGS`` called in the test's own process, through the console entry.

:func:`sim.cli.main` with its last-resort error handler gives the same exit code, stdout and
stderr as the installed command, without a fresh interpreter's imports (Mesa, Numba, pandas:
2-4 s of CPU) per call. Tests whose point is the process itself (signals, kills, workers, a
fresh import) keep a real ``python -m sim`` process.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
from pathlib import Path

from sim.cli import main


def cli_in_process(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``merger-sim ARGS`` here; the result as :func:`subprocess.run` would give it."""
    out, err = io.StringIO(), io.StringIO()
    code: object = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
    returncode = code if isinstance(code, int) else (0 if code is None else 1)
    return subprocess.CompletedProcess([str(a) for a in args], returncode, out.getvalue(),
                                       err.getvalue())
