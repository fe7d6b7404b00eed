"""Benchmark: how many students one dashboard server serves (issue 15, "one server for a class").

Starts ``merger-sim dashboard`` (the real command, on a free local port, with a short cull
timeout), opens N sessions on the classroom scenario, as N students would, and lets every
session press Step (one week) at once for a fixed time: as fast as the server answers
(``--think 0``, the worst case: a class pressing Play), or after a pause drawn around
``--think`` seconds (a student reading the monitors). It reports, per N:

- the response time of a Step as a student sees it: the click until the server has sent the
  next week's monitors and charts (median, 95th percentile, worst), and the Steps a second the
  server handled;
- the server process's CPU use (share of one core) and resident memory (``VmRSS``) before,
  with N sessions loaded, at the peak, and after the sessions closed and the cull timeout
  passed;
- whether every session kept its own model (its week equals its own number of Steps).

Two kinds of student (``--client``):

- ``websocket`` (default): :mod:`bench_capacity_client`, the page's conversation with the
  server without a browser: the load is the server's alone, as with students on their own
  laptops; the client process's CPU is reported too (it shares the 2 cores).
- ``browser``: N headless chromium tabs on this machine, driven round robin from one thread;
  the tabs' drawing competes with the server, so the times are an upper bound.

Usage:
    .venv/bin/python benchmarks/bench_dashboard_capacity.py [--tabs 10 20 35] [--seconds 60]
        [--think 0] [--client websocket|browser] [--query strategy=training&strategy_b=teams]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from processes import cpu_seconds, free_port, rss_mib  # benchmarks/processes.py

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CULL_SECONDS = 20


def summary(times: list[float]) -> dict:
    """Median, 95th percentile and worst of the response times (seconds)."""
    ordered = sorted(times)
    return {"median_s": statistics.median(ordered),
            "p95_s": ordered[int(0.95 * (len(ordered) - 1))], "max_s": ordered[-1]}


def start_server(port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim", "dashboard", "--host", "127.0.0.1", "--port",
             str(port), "--cull-timeout", f"{CULL_SECONDS}s"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


async def measure_websocket(tabs: int, seconds: float, think: float, port: int, pid: int,
                            query: str) -> dict:
    """N websocket sessions stepping at once, each after a pause drawn around ``think``."""
    from bench_capacity_client import Tab

    result: dict = {"tabs": tabs, "rss_before": rss_mib(pid)}
    sessions = [Tab(f"http://127.0.0.1:{port}", query) for _ in range(tabs)]
    opened = await asyncio.gather(*(tab.open() for tab in sessions))
    result["open_s"] = max(opened)
    result["rss_loaded"] = rss_mib(pid)
    times: list[float] = []
    steps = [0] * tabs
    peak = [result["rss_loaded"]]
    end = time.monotonic() + seconds

    async def student(i: int, tab: Tab) -> None:
        pace = random.Random(i)
        while time.monotonic() < end:
            if think:
                await asyncio.sleep(pace.uniform(0.5 * think, 1.5 * think))
            start = time.monotonic()
            await tab.click("Step")
            steps[i] += 1
            await tab.wait_for_monitor("week", str(steps[i]))
            times.append(time.monotonic() - start)

    async def watch_memory() -> None:
        while time.monotonic() < end:
            peak[0] = max(peak[0], rss_mib(pid))
            await asyncio.sleep(0.5)

    cpu_server, cpu_client, wall = cpu_seconds(pid), cpu_seconds(os.getpid()), time.monotonic()
    await asyncio.gather(watch_memory(), *(student(i, t) for i, t in enumerate(sessions)))
    wall = time.monotonic() - wall
    result["server_cpu"] = (cpu_seconds(pid) - cpu_server) / wall
    result["client_cpu"] = (cpu_seconds(os.getpid()) - cpu_client) / wall
    result["own_models"] = all(tab.monitor("week") == str(n)
                               for tab, n in zip(sessions, steps, strict=True))
    result["rss_peak"] = max(peak[0], rss_mib(pid))
    result["steps"] = sum(steps)
    result["steps_per_s"] = sum(steps) / wall
    result.update(summary(times))
    await asyncio.gather(*(tab.close() for tab in sessions))
    await asyncio.sleep(CULL_SECONDS + 15)
    result["rss_after_cull"] = rss_mib(pid)
    return result


def measure_browser(tabs: int, seconds: float, think: float, port: int, pid: int,
                    query: str) -> dict:
    """N tabs stepping at once (each clicks Step again as soon as its week has advanced)."""
    del think
    from playwright.sync_api import sync_playwright

    result: dict = {"tabs": tabs, "rss_before": rss_mib(pid)}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = [browser.new_context(viewport={"width": 1280, "height": 720})
                    for _ in range(tabs)]
        url = f"http://127.0.0.1:{port}/" + (f"?{query}" if query else "")
        # Playwright's sync objects belong to the thread that made them: drive all tabs from
        # this thread, round robin, one Step each per round.
        pages = []
        for context in contexts:
            page = context.new_page()
            page.goto(url)
            pages.append(page)
        for page in pages:
            page.get_by_role("button", name="Step", exact=True).wait_for(timeout=180_000)
        result["rss_loaded"] = rss_mib(pid)
        times: list[float] = []
        steps = [0] * tabs
        pending: dict[int, float] = {}
        cpu_server, wall = cpu_seconds(pid), time.monotonic()
        end = time.monotonic() + seconds
        peak = 0.0
        while time.monotonic() < end or pending:
            for i, page in enumerate(pages):
                if i not in pending and time.monotonic() < end:
                    page.get_by_role("button", name="Step", exact=True).click(no_wait_after=True)
                    pending[i] = time.monotonic()
                elif i in pending:
                    week = page.locator(".monitor-value-week").first.inner_text()
                    if week.strip() == str(steps[i] + 1):
                        times.append(time.monotonic() - pending.pop(i))
                        steps[i] += 1
            peak = max(peak, rss_mib(pid))
        result["own_models"] = all(
            page.locator(".monitor-value-week").first.inner_text().strip() == str(n)
            for page, n in zip(pages, steps, strict=True))
        wall = time.monotonic() - wall
        result["server_cpu"] = (cpu_seconds(pid) - cpu_server) / wall
        result["client_cpu"] = float("nan")
        result["open_s"] = float("nan")
        result["rss_peak"] = peak
        result["steps"] = sum(steps)
        result["steps_per_s"] = sum(steps) / wall
        result.update(summary(times))
        for context in contexts:
            context.close()
        browser.close()
    time.sleep(CULL_SECONDS + 15)
    result["rss_after_cull"] = rss_mib(pid)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, nargs="+", default=[10, 20, 35])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds a student pauses before each Step (drawn 0.5-1.5 x)")
    parser.add_argument("--client", choices=("websocket", "browser"), default="websocket")
    parser.add_argument("--query", default="",
                        help="the page address's settings, e.g. strategy=training&strategy_b=teams")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    port = free_port()
    log = Path("/tmp") / f"bench_dashboard_capacity_{port}.log"
    server = start_server(port, log)
    try:
        for tabs in args.tabs:
            if args.client == "websocket":
                r = asyncio.run(measure_websocket(tabs, args.seconds, args.think, port,
                                                  server.pid, args.query))
            else:
                r = measure_browser(tabs, args.seconds, args.think, port, server.pid, args.query)
            print(f"{r['tabs']} {args.client} sessions stepping for {args.seconds:.0f} s, "
                  f"think {args.think:g} s: {r['steps']} Steps ({r['steps_per_s']:.1f}/s), "
                  f"response median {r['median_s']:.2f} s, p95 {r['p95_s']:.2f} s, "
                  f"max {r['max_s']:.2f} s; own models: {r['own_models']}; all open in "
                  f"{r['open_s']:.1f} s; server CPU {r['server_cpu']:.0%} of a core, client "
                  f"{r['client_cpu']:.0%}; server memory {r['rss_before']:.0f} MiB before, "
                  f"{r['rss_loaded']:.0f} loaded, {r['rss_peak']:.0f} peak, "
                  f"{r['rss_after_cull']:.0f} after the sessions closed and {CULL_SECONDS} s "
                  f"cull; load average {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
