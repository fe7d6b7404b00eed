"""Benchmark: how many students one dashboard server serves (issue 15, "one server for a class").

Starts ``merger-sim dashboard`` (the real command, on a free local port, with a short cull
timeout), opens N browser tabs in headless chromium (each its own session, as N students would),
and lets every tab press Step (one week of the classroom scenario) as fast as the page answers,
all at once, for a fixed time. It reports, per N:

- the response time of a Step as a student sees it: click until the week monitor shows the next
  week (median, 95th percentile, worst);
- the server's resident memory (``VmRSS`` of the server process) before, at the peak with N
  sessions, and after the tabs closed and the cull timeout passed;
- whether every tab kept its own model (each tab's week equals its own number of Steps).

The browser tabs run on the same machine (on 2 cores they compete with the server) and are
driven round robin from one thread (a tab's answer is noticed when its turn comes), so the
times are an upper bound for a class whose students use their own laptops.

Usage:
    .venv/bin/python benchmarks/bench_dashboard_capacity.py [--tabs 10 20 35] [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CULL_SECONDS = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mib(pid: int) -> float:
    """Resident memory of a process in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def start_server(port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim.dashboard_cli", "--host", "127.0.0.1", "--port",
             str(port), "--cull-timeout", f"{CULL_SECONDS}s", "--max-sessions", "60"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def measure(tabs: int, seconds: float, port: int, pid: int) -> dict:
    """N tabs stepping at once (each clicks Step again as soon as its week has advanced)."""
    from playwright.sync_api import sync_playwright

    result: dict = {"tabs": tabs, "rss_before": rss_mib(pid)}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = [browser.new_context(viewport={"width": 1280, "height": 720})
                    for _ in range(tabs)]
        url = f"http://127.0.0.1:{port}/?preset=classroom"
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
        result["rss_peak"] = peak
        result["steps"] = sum(steps)
        ordered = sorted(times)
        result["median_s"] = statistics.median(ordered)
        result["p95_s"] = ordered[int(0.95 * (len(ordered) - 1))]
        result["max_s"] = ordered[-1]
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
    args = parser.parse_args(argv)
    port = free_port()
    log = Path("/tmp") / f"bench_dashboard_capacity_{port}.log"
    server = start_server(port, log)
    try:
        for tabs in args.tabs:
            r = measure(tabs, args.seconds, port, server.pid)
            print(f"{r['tabs']} tabs stepping for {args.seconds:.0f} s: {r['steps']} Steps, "
                  f"response median {r['median_s']:.2f} s, p95 {r['p95_s']:.2f} s, "
                  f"max {r['max_s']:.2f} s; own models: {r['own_models']}; server memory "
                  f"{r['rss_before']:.0f} MiB before, {r['rss_loaded']:.0f} loaded, "
                  f"{r['rss_peak']:.0f} peak, {r['rss_after_cull']:.0f} after the tabs closed "
                  f"and {CULL_SECONDS} s cull", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
