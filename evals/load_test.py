"""Load test: simulated students chatting at once through the Gradio API (gradio_client), on localhost only.

Usage: python evals/load_test.py URL [URL …] [--users 20] [--seconds 180] [--max-turns 200] [--think 5] [--jitter 0.5] [--sessions-url URL]
Each student is its own client (its own server-side session) and loops,
bounded by time and by a turn count, asking questions tagged with its own
name, and pausing about `--think` seconds between turns as a reader would (0 sends
the next question the moment an answer arrives). Students arrive at random
within the first pause and each pause varies by ±`--jitter` of itself, as a
class does; `--jitter 0` keeps all students in lockstep, so every turn is a
burst of `--users` questions in the same instant (the worst case). Every reply's history must hold that student's messages only. Prints
throughput, turn latency p50/p95/p99, errors and isolation violations, beside
a baseline measured first in the same run: one student alone. With the apps'
session database (`--sessions-url`, the apps' TUTOR_SESSIONS_URL) it also counts
lost turns: answered turns whose question has no row in the database.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlparse

CLIENT_TIMEOUT_S = 900.0  # a guard against a hung server, not a latency goal (the p95 figures are the goal)

QUESTIONS = [
    "What was the NEP?",
    "What happened on Bloody Sunday?",
    "Why did the famine of 1891 matter?",
    "What was the Kronstadt mutiny?",
    "Who was Father Gapon?",
    "What was War Communism?",
]


@dataclass
class Tally:
    """What all students measured, guarded by a lock."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    sessions: dict[str, set[str]] = field(default_factory=dict)  # server session id → the students seen in it
    answered: dict[str, int] = field(default_factory=dict)  # server session id → turns answered in it
    lock: threading.Lock = field(default_factory=threading.Lock)


def _texts(history) -> list[str]:
    out = []
    for message in history or []:
        if message.get("role") != "user":
            continue
        content = message.get("content")
        parts = content if isinstance(content, list) else [{"text": content}]
        out += [p.get("text", "") for p in parts if isinstance(p, dict)]
    return out


def student(url: str, number: int, seconds: float, max_turns: int, tally: Tally, think: float = 0.0, jitter: float = 0.0) -> None:
    """One simulated student: a session of its own, asking tagged questions until time or turns run out.

    Its `seconds` start once its client has connected: on a loaded machine connecting twenty clients can take
    most of a short run, which would then measure connecting rather than turns."""
    import httpx
    from gradio_client import Client

    tag = f"student-{number:02d}"
    rng = random.Random(number)  # the same arrivals and pauses on every run
    try:
        # A browser waits for the server however long it takes; gradio_client's bare POSTs give up after httpx's
        # 5 s default, which on a saturated 2-core machine counted joining the queue slowly as a failed turn.
        client = Client(url, verbose=False, httpx_kwargs={"timeout": httpx.Timeout(CLIENT_TIMEOUT_S)})
    except Exception as exc:
        with tally.lock:
            tally.errors.append(f"{tag}: connect: {exc}")
        return
    deadline = time.time() + seconds
    history: list = []
    session_id = None
    time.sleep(rng.uniform(0, think * jitter * 2))
    for turn in range(max_turns):
        if time.time() >= deadline:
            return
        # The turn number makes every message new, so no cache answers it for free.
        message = f"{tag} asks (turn {turn}): {QUESTIONS[(number + turn) % len(QUESTIONS)]}"
        started = time.perf_counter()
        try:
            outputs = client.predict(message, history, "explain", api_name="/chat")
        except Exception as exc:
            with tally.lock:
                tally.errors.append(f"{tag}: {type(exc).__name__}: {exc}")
            continue
        elapsed = time.perf_counter() - started
        history, returned_id = outputs[0], outputs[-1]
        asked = _texts(history)
        with tally.lock:
            tally.latencies.append(elapsed)
            tally.sessions.setdefault(returned_id, set()).add(tag)
            tally.answered[returned_id] = tally.answered.get(returned_id, 0) + 1
            # The server-side session must stay this student's own, turn after turn.
            if any(not t.startswith(tag) for t in asked) or (session_id and returned_id != session_id) or len(tally.sessions[returned_id]) > 1:
                tally.violations.append(f"{tag} turn {turn}: session {returned_id}, saw {asked[:3]}")
        session_id = returned_id
        pause = think * rng.uniform(1 - jitter, 1 + jitter)
        time.sleep(min(pause, max(0.0, deadline - time.time())))


def _students(urls: list[str], numbers: list[int], seconds: float, max_turns: int, think: float, jitter: float) -> dict:
    """Run these students as threads of one process; their tally as plain data, so it can come back from a worker process."""
    tally = Tally()
    # Each student sticks to one app process, as behind a load balancer with sticky sessions.
    threads = [threading.Thread(target=student, args=(urls[n % len(urls)], n, seconds, max_turns, tally, think, jitter)) for n in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies": tally.latencies, "errors": tally.errors, "violations": tally.violations, "sessions": {k: sorted(v) for k, v in tally.sessions.items()}, "answered": tally.answered}


def lost_turns(sessions_url: str, answered: dict[str, int]) -> int:
    """Answered turns whose question is not stored: per session, turns answered minus the learner's rows in the database."""
    from tutor.session_store import SessionStore

    store = SessionStore(sessions_url)
    try:
        return sum(max(0, turns - store.message_count(session_id, role="user")) for session_id, turns in answered.items())
    finally:
        store.close()


def run(
    url: str | list[str], users: int, seconds: float, max_turns: int, think: float = 0.0, jitter: float = 0.0, processes: int = 1, sessions_url: str | None = None
) -> dict:
    """Run the load against one app URL or several (the students are dealt out among them) and return its figures.

    With `processes` > 1 the students are spread over that many worker
    processes: one Python process drives at most one core, and a class's
    browsers do not share one interpreter lock either.
    """
    urls = [url] if isinstance(url, str) else list(url)
    if any(urlparse(u).hostname not in ("127.0.0.1", "localhost", "::1") for u in urls):
        raise SystemExit("the load test only targets this machine (127.0.0.1/localhost)")
    groups = [list(range(users))[p::processes] for p in range(processes)]
    args = [(urls, group, seconds, max_turns, think, jitter) for group in groups]
    started = time.perf_counter()
    if processes == 1:
        parts = [_students(*args[0])]
    else:
        # spawn, not fork: forking a process whose client threads hold locks can leave a worker stuck
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
            parts = list(pool.map(_students, *zip(*args)))
    wall = time.perf_counter() - started
    tally = Tally()
    for part in parts:
        tally.latencies += part["latencies"]
        tally.errors += part["errors"]
        tally.violations += part["violations"]
        for session_id, tags in part["sessions"].items():
            tally.sessions.setdefault(session_id, set()).update(tags)
        for session_id, turns in part["answered"].items():
            tally.answered[session_id] = tally.answered.get(session_id, 0) + turns
    # Sessions shared across processes are only visible once the tallies are merged.
    tally.violations += [f"session {sid} seen by {sorted(tags)}" for sid, tags in tally.sessions.items() if len(tags) > 1 and len(parts) > 1]
    ordered = sorted(tally.latencies) or [0.0]

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "users": users,
        "apps": len(urls),
        "think_s": think,
        "jitter": jitter,
        "processes": processes,
        "seconds": round(wall, 1),
        "turns": len(tally.latencies),
        "throughput_per_s": round(len(tally.latencies) / wall, 2),
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": round(pct(0.95), 3),
        "p99_s": round(pct(0.99), 3),
        "errors": len(tally.errors),
        "isolation_violations": len(tally.violations),
        "lost_turns": lost_turns(sessions_url, tally.answered) if sessions_url else None,
        "error_samples": tally.errors[:5],
        "violation_samples": tally.violations[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url", nargs="+", help="one app URL, or several app processes' URLs")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--max-turns", type=int, default=200)
    parser.add_argument("--think", type=float, default=5.0, help="seconds a student pauses between turns, on average")
    parser.add_argument("--jitter", type=float, default=0.5, help="how much arrivals and pauses vary, as a fraction of --think (0: lockstep)")
    parser.add_argument("--processes", type=int, default=1, help="worker processes the students are spread over")
    parser.add_argument("--baseline-turns", type=int, default=20, help="turns one student takes alone first, the unloaded baseline")
    parser.add_argument("--sessions-url", help="the apps' session database (TUTOR_SESSIONS_URL), to count lost turns")
    args = parser.parse_args()
    if not 0 <= args.jitter <= 1:
        parser.error("--jitter must be between 0 and 1")
    run(args.url[0], 1, 60, 3, 0.2)  # untimed: the server's first turns pay one-off costs
    alone = run(args.url[0], 1, 60, args.baseline_turns, 0.2)
    figures = run(args.url, args.users, args.seconds, args.max_turns, args.think, args.jitter, max(1, min(args.processes, args.users)), args.sessions_url)
    print(json.dumps(figures, indent=2))
    print(f"baseline, one student alone in the same run: p50 {alone['p50_s']} s, p95 {alone['p95_s']} s over {alone['turns']} turns; "
          f"under load p95 is {figures['p95_s'] / max(alone['p95_s'], 1e-3):.1f}× that")
    print(f"goal zero errors: {'PASS' if figures['errors'] == 0 else 'MISS'}; goal p95 < 1 s: {'PASS' if figures['p95_s'] < 1 else 'MISS'}")
    if args.sessions_url:
        print(f"goal zero lost turns: {'PASS' if figures['lost_turns'] == 0 else 'MISS'} ({figures['lost_turns']} lost)")


if __name__ == "__main__":
    main()
