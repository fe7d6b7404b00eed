"""Benchmark: a participatory class of N students on one `merger-sim class` server (issue 16).

Starts the real command (``python -m sim class``, on a free local port) and drives it over
HTTP the way the pages do: N simulated students join with the room code, poll ``/api/me``
every 2 s (the page's interval, each at its own phase) and, once a week, make the choice
their page offers (sponsors and members invite a contact in the recruitment weeks, invited
employees accept or decline, a team member prepares the pitch or picks the gap to coach), at
a random moment in the week's first seconds. The teacher's screen is polled back to back
(one request in flight). The teacher advances through the recruitment weeks, then on to
the weeks with a pitch or a gap, then runs to the end and asks for the debrief.

It reports:

- the time from a student's choice (request sent) to the first teacher's view that shows
  the student as having chosen (median, 95th percentile, worst): the server's part. The
  teacher's page polls every 2 s, so on the screen add up to 2 s (1 s on average);
- how long a student's poll takes (median, p95), the server's resident memory (VmRSS) after
  the joins and at its peak, and how long running to the end and the debrief take.

The students and the teacher are threads of this process, on the same machine as the server
(on 2 cores they compete with it), so the times are an upper bound for a class on phones.

Usage:
    .venv/bin/python benchmarks/bench_live_class.py [--students 40] [--week-seconds 8]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from processes import free_port, rss_mib  # benchmarks/processes.py

REPO = Path(__file__).resolve().parent.parent
POLL_SECONDS = 2.0


def call(url: str, body: object = None, token: str = "") -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="GET" if data is None else "POST",
                                     headers={"content-type": "application/json",
                                              "x-token": token})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@dataclass
class Record:
    """What the run measured (shared by the threads; lists are appended under the GIL)."""

    choices: list[tuple[float, str, int]] = field(default_factory=list)  # sent, who, week
    views: list[tuple[float, float, int, frozenset[str]]] = field(default_factory=list)
    polls: list[float] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)


def student(base: str, name: str, token: str, rec: Record, stop: threading.Event,
            seed: int) -> None:
    """One student's page: poll every 2 s; choose once a week, a little after it opens."""
    rng = random.Random(seed)
    time.sleep(rng.uniform(0, POLL_SECONDS))
    chose_for, seen_week, opened = -1, -1, time.monotonic()
    delay = rng.uniform(0.5, 4.0)
    while not stop.is_set():
        t0 = time.monotonic()
        status, view = call(f"{base}/api/me", token=token)
        rec.polls.append(time.monotonic() - t0)
        week = view.get("open_week", -1)
        if week != seen_week:
            seen_week, opened, delay = week, time.monotonic(), rng.uniform(0.5, 4.0)
        if (status == 200 and view.get("phase") == "running" and chose_for != week
                and time.monotonic() - opened >= delay):
            message = None
            if view.get("offers"):
                offer = view["offers"][0]
                message = {"kind": "respond", "team": offer["team"],
                           "accept": rng.random() < 0.6}
            elif view.get("contacts"):
                mine = set(view.get("my_invitations", []))
                fresh = [c["id"] for c in view["contacts"] if c["id"] not in mine]
                if fresh:
                    message = {"kind": "invite", "target": rng.choice(fresh)}
            elif view.get("pitch"):
                message = {"kind": "pitch", "plan": rng.randrange(3)}
            elif view.get("gap"):
                message = {"kind": "gap", "dim": rng.choice(view["gap"]["gaps"])["dim"]}
            if message is not None:
                sent = time.monotonic()
                status, reply = call(f"{base}/api/choose", {"week": week, **message}, token)
                if status == 200:
                    rec.choices.append((sent, name, week))
                else:
                    rec.refused.append(reply.get("error", "?"))
                chose_for = week
        stop.wait(max(0.0, POLL_SECONDS - (time.monotonic() - t0)))


def teacher_screen(base: str, key: str, rec: Record, stop: threading.Event) -> None:
    """The teacher's view, polled back to back."""
    while not stop.is_set():
        sent = time.monotonic()
        status, view = call(f"{base}/api/teacher/view?key={key}")
        if status == 200:
            chosen = frozenset(s["nickname"] for s in view["students"] if s["chosen"])
            rec.views.append((sent, time.monotonic(), view["open_week"], chosen))


def watch_memory(pid: int, rec: Record, stop: threading.Event) -> None:
    while not stop.wait(0.5):
        rec.rss.append(rss_mib(pid))


def latencies(rec: Record) -> list[float]:
    """Per choice: from its request to the first teacher's view showing it."""
    out = []
    for sent, name, week in rec.choices:
        for _, received, view_week, chosen in rec.views:
            if received >= sent and view_week == week and name in chosen:
                out.append(received - sent)
                break
    return out


def quantile(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def measure(n: int, week_seconds: float, decision_weeks: int) -> dict:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-m", "sim", "class", "--port", str(port),
                               "--week-seconds", "3600"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        lines = [server.stdout.readline() for _ in range(3)]
        code = re.search(r"room code (\w+)", lines[0]).group(1)
        key = re.search(r"key=(\S+)", lines[2]).group(1)
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                call(f"{base}/join")
                break
            except (urllib.error.URLError, json.JSONDecodeError, ConnectionError):
                time.sleep(0.1)
        rec, stop = Record(), threading.Event()
        tokens = {}
        for i in range(n):
            status, reply = call(f"{base}/api/join", {"code": code, "nickname": f"student {i}"})
            assert status == 200, reply
            tokens[f"student {i}"] = reply["token"]
        rss_joined = rss_mib(server.pid)
        threads = [threading.Thread(target=student, args=(base, name, token, rec, stop, i))
                   for i, (name, token) in enumerate(tokens.items())]
        threads.append(threading.Thread(target=teacher_screen, args=(base, key, rec, stop)))
        threads.append(threading.Thread(target=watch_memory, args=(server.pid, rec, stop)))
        for thread in threads:
            thread.start()
        teacher = f"{base}/api/teacher/{{}}?key={key}"
        assert call(teacher.format("start"), {})[0] == 200
        for _ in range(5):  # the recruitment weeks left after week 1
            time.sleep(week_seconds)
            assert call(teacher.format("advance"), {})[0] == 200
        for _ in range(decision_weeks):  # pitches and gaps
            time.sleep(week_seconds)
            assert call(teacher.format("next"), {})[0] == 200
        time.sleep(week_seconds)
        t0 = time.monotonic()
        assert call(teacher.format("finish"), {})[0] == 200
        finish = time.monotonic() - t0
        t0 = time.monotonic()
        assert call(teacher.format("debrief"))[0] == 200
        debrief = time.monotonic() - t0
        stop.set()
        for thread in threads:
            thread.join(timeout=150)
        waits = latencies(rec)
        return {"students": n, "choices": len(rec.choices), "shown": len(waits),
                "refused": len(rec.refused), "refused_reasons": sorted(set(rec.refused)),
                "choice_to_teacher_median_s": statistics.median(waits) if waits else None,
                "choice_to_teacher_p95_s": quantile(waits, 0.95),
                "choice_to_teacher_max_s": max(waits) if waits else None,
                "poll_median_s": statistics.median(rec.polls), "poll_p95_s":
                quantile(rec.polls, 0.95), "teacher_views": len(rec.views),
                "rss_joined_mib": rss_joined, "rss_peak_mib": max(rec.rss, default=rss_joined),
                "run_to_end_s": finish, "debrief_s": debrief}
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[40])
    parser.add_argument("--week-seconds", type=float, default=8.0,
                        help="how long the teacher keeps each week open")
    parser.add_argument("--decision-weeks", type=int, default=4,
                        help="weeks with a pitch or a gap after recruitment")
    args = parser.parse_args()
    rows = [measure(n, args.week_seconds, args.decision_weeks) for n in args.students]
    print("| students | choices (shown to teacher) | refused | choice to teacher's view: "
          "median / p95 / max (s) | student poll median / p95 (s) | server memory after "
          "joins / peak (MiB) | run to end (s) | debrief (s) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['students']} | {r['choices']} ({r['shown']}) | {r['refused']} | "
              f"{r['choice_to_teacher_median_s']:.3f} / {r['choice_to_teacher_p95_s']:.3f} / "
              f"{r['choice_to_teacher_max_s']:.3f} | {r['poll_median_s']:.3f} / "
              f"{r['poll_p95_s']:.3f} | {r['rss_joined_mib']:.0f} / {r['rss_peak_mib']:.0f} | "
              f"{r['run_to_end_s']:.1f} | {r['debrief_s']:.1f} |")
    for r in rows:
        for reason in r["refused_reasons"]:
            print(f"refused ({r['students']} students): {reason}", file=sys.stderr)


if __name__ == "__main__":
    main()
