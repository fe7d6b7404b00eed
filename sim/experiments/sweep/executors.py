"""Executors: where runs are computed (this process, local processes, a Dask cluster).

All executors share one small interface: ``submit`` a task, then ``next_done`` blocks
until some task finishes and returns it with its outcome, or with the exception that lost
it (a worker that died). The sweep loop above them decides about retries and writes the
results, so every executor gives the same results, whatever the number of workers or the
order in which runs finish.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import ssl
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Protocol

from sim.experiments.sweep.worker import RunOutcome, RunTask, execute_run

EXECUTORS = ("serial", "local", "dask")


class Executor(Protocol):
    """What the sweep loop needs from an executor."""

    #: How many tasks to keep in flight (bounded, so memory does not grow with the sweep).
    capacity: int

    def submit(self, task: RunTask) -> None:
        """Start a task."""

    def next_done(self) -> tuple[RunTask, RunOutcome | BaseException]:
        """Block until a task finishes; return it with its outcome or what lost it."""

    def close(self) -> None:
        """Release workers and connections."""


class SerialExecutor:
    """Runs each task in this process when asked for the next result (debugging, tests)."""

    capacity = 1

    def __init__(self) -> None:
        self._queue: deque[RunTask] = deque()

    def submit(self, task: RunTask) -> None:
        """Queue the task; it runs in ``next_done``."""
        self._queue.append(task)

    def next_done(self) -> tuple[RunTask, RunOutcome | BaseException]:
        """Run the oldest queued task here and now."""
        task = self._queue.popleft()
        return task, execute_run(task)

    def close(self) -> None:
        """Nothing to release."""


def default_workers() -> int:
    """One worker per core available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


#: Thread-pool sizes of numerical libraries, pinned to 1 in local workers (set before the
#: fork server starts, so the workers inherit them).
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

#: Seconds between looks at how many threads a Dask cluster has.
CAPACITY_REFRESH_SECONDS = 2.0

#: Seconds between checks that the sweep process is still alive.
PARENT_POLL_SECONDS = 0.5


def _exit_when_gone(pid: int) -> None:
    while True:
        time.sleep(PARENT_POLL_SECONDS)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:  # pid reused by another user's process: ours is gone
            os._exit(0)


def watch_parent(pid: int) -> None:
    """Pool-worker initializer: exit when the sweep process is gone.

    Why: a sweep killed with SIGKILL cannot shut its pool down, and forkserver workers
    are not its children, so nothing else would end them; they would idle forever.
    """
    threading.Thread(target=_exit_when_gone, args=(pid,), daemon=True).start()


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def start_forkserver() -> None:
    """Start the fork server (once per process) with this process's import path.

    Why: Python 3.12's fork server runs ``python -c ...``, which puts the working directory
    first on its import path and ignores this process's path; started from inside a
    checkout it would import that checkout's ``sim`` while this process runs another. The
    server gets exactly this process's path (``PYTHONPATH``, and ``PYTHONSAFEPATH`` so that
    nothing is put before it). Workers check the code fingerprint too
    (``sim.experiments.sweep.worker``).
    """
    from multiprocessing import forkserver

    path = os.pathsep.join(p or os.getcwd() for p in sys.path)
    with _environment(PYTHONPATH=path, PYTHONSAFEPATH="1"):
        forkserver.ensure_running()


class LocalExecutor:
    """A pool of local worker processes; rebuilds the pool if a worker dies.

    Why forkserver: workers start from a clean server process that has already imported
    the model code, so starting them is cheap and they inherit no threads or state from
    the sweep process (plain fork would copy the progress bar's thread and locks).
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        self.capacity = 2 * self.workers
        for var in THREAD_ENV:  # one process per core: BLAS threads would oversubscribe
            os.environ.setdefault(var, "1")
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["sim.experiments.sweep.worker", "sim.runner"])
        start_forkserver()
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict[Future[RunOutcome], RunTask] = {}

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=self._ctx,
                initializer=watch_parent,
                initargs=(os.getpid(),),
            )
        return self._pool

    def submit(self, task: RunTask) -> None:
        """Send the task to the pool (a new pool if the old one broke)."""
        try:
            future = self._ensure_pool().submit(execute_run, task)
        except BrokenProcessPool:
            self._reset()
            future = self._ensure_pool().submit(execute_run, task)
        self._futures[future] = task

    def _reset(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None

    def next_done(self) -> tuple[RunTask, RunOutcome | BaseException]:
        """Wait for any task; a dead worker breaks the pool and loses every task in it."""
        done, _ = wait(list(self._futures), return_when=FIRST_COMPLETED)
        future = min(done, key=lambda f: self._futures[f].spec.index)
        task = self._futures.pop(future)
        exc = future.exception()
        if exc is not None:
            if isinstance(exc, BrokenProcessPool):
                self._reset()
            return task, exc
        return task, future.result()

    def close(self) -> None:
        """Stop the pool, cancelling what has not started."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """Runs tasks on an existing Dask distributed cluster, given its scheduler address.

    The scheduler already moves tasks off a worker that dies; a task lost for good (for
    example a ``KilledWorker`` after too many worker deaths) is returned as an exception so
    the sweep loop can retry it.
    """

    def __init__(self, scheduler: str | Any, workers: int | None = None,
                 security: Any = None) -> None:
        from distributed import Client, as_completed

        self._client = (scheduler if hasattr(scheduler, "submit")
                        else Client(scheduler, security=security))
        self._own_client = self._client is not scheduler
        self._workers = workers
        self._capacity = 2
        self._checked = -float("inf")
        self._completed = as_completed()
        self._tasks: dict[str, RunTask] = {}

    @property
    def capacity(self) -> int:
        """Twice the cluster's worker threads, re-read now and then.

        Why re-read: on a batch cluster (dask-jobqueue) workers arrive while the sweep is
        already running; a count taken at the start would keep the sweep at a trickle.
        """
        now = time.monotonic()
        if now - self._checked > CAPACITY_REFRESH_SECONDS:
            self._checked = now
            threads = self._workers or sum(self._client.nthreads().values())
            self._capacity = max(2, 2 * threads)
        return self._capacity

    def submit(self, task: RunTask) -> None:
        """Send the task to the cluster under a key unique to the run and the attempt."""
        key = f"merger-sim-run-{task.spec.key}-{task.spec.index}-{task.attempt}"
        future = self._client.submit(execute_run, task, key=key, pure=False)
        self._tasks[future.key] = task
        self._completed.add(future)

    def next_done(self) -> tuple[RunTask, RunOutcome | BaseException]:
        """Wait for the next finished task on the cluster."""
        future = next(self._completed)
        task = self._tasks.pop(future.key)
        try:
            if future.status == "error":
                return task, future.exception()
            return task, future.result()
        except Exception as exc:  # lost connection, cancelled, ...
            return task, exc
        finally:
            future.release()

    def close(self) -> None:
        """Close the client if this executor opened it (the cluster stays up)."""
        if self._own_client:
            self._client.close()


#: The command-line options that carry the TLS files for a Dask scheduler, in order.
TLS_OPTIONS = ("--tls-ca-file", "--tls-cert", "--tls-key")


def _tls_in_dask_config() -> bool:
    """Whether Dask's own configuration already names a CA and a client certificate."""
    import dask.config

    return bool(dask.config.get("distributed.comm.tls.ca-file", None)
                and dask.config.get("distributed.comm.tls.client.cert", None))


def dask_security(executor: str, scheduler: str | None, ca_file: Path | None,
                  cert: Path | None, key: Path | None) -> Any:
    """A ``distributed.security.Security`` from the TLS options, checked before any work.

    Why checked here: a wrong or missing file would otherwise surface as an SSL error deep
    in the connection attempt, or a ``tls://`` address without certificates as a timeout.

    Returns:
        The Security (encryption required), or None when no TLS option is given.

    Raises:
        ValueError: naming the option: TLS options without the dask executor or without a
            ``tls://`` address, an incomplete set, a missing or unloadable file, or a
            ``tls://`` address with no certificates here or in Dask's configuration.
    """
    files = dict(zip(TLS_OPTIONS, (ca_file, cert, key), strict=True))
    given = [option for option, path in files.items() if path is not None]
    address = scheduler or ""
    if not given:
        if executor == "dask" and address.startswith("tls://") and not _tls_in_dask_config():
            raise ValueError(
                f"--tls-ca-file: the scheduler {address} uses TLS; give --tls-ca-file, "
                "--tls-cert and --tls-key (or set distributed.comm.tls in Dask's configuration)"
            )
        return None
    if executor != "dask":
        raise ValueError(f"{given[0]}: TLS options are for --executor dask only")
    missing = [option for option, path in files.items() if path is None]
    if missing:
        raise ValueError(f"{missing[0]}: TLS needs {', '.join(TLS_OPTIONS)} together")
    for option, path in files.items():
        if not Path(path).is_file():  # type: ignore[arg-type]
            raise ValueError(f"{option}: no such file: {path}")
    if not address.startswith("tls://"):
        raise ValueError(f"--scheduler: the TLS options need a tls:// address, not {address!r}")
    from distributed.security import Security

    security = Security(tls_ca_file=str(ca_file), tls_client_cert=str(cert),
                        tls_client_key=str(key), require_encryption=True)
    try:
        security.get_connection_args("client")  # loads the files into an SSL context
    except (ssl.SSLError, OSError, ValueError) as exc:
        raise ValueError(f"--tls-cert: cannot load the TLS files ({exc})") from None
    return security


def make_executor(
    name: str, workers: int | None = None, scheduler: str | Any | None = None,
    security: Any = None,
) -> Executor:
    """Build an executor by name (``security``: TLS settings for a Dask address).

    Raises:
        ValueError: unknown executor, or dask without a scheduler address.
    """
    if name == "serial":
        return SerialExecutor()
    if name == "local":
        return LocalExecutor(workers)
    if name == "dask":
        if scheduler is None:
            raise ValueError("--scheduler: the dask executor needs a scheduler address")
        return DaskExecutor(scheduler, workers, security)
    raise ValueError(f"--executor: unknown executor {name!r}; choose {', '.join(EXECUTORS)}")
