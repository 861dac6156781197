"""The web tier under concurrency: the live preview with 2 gunicorn workers and 16 concurrent
clients, against the hello-world floor under the same load (issue #20, item 6).

Target: throughput (requests/s) of the schedule preview fragment >= 0.5x that of the hello-world
fragment (bench/hello_app.py) served the same way, and the preview's p99 latency <= 25 ms, on
PostgreSQL (and SQLite for reference; CADANS_BENCH_DB chooses, bench/pg.py).

Two loads, because one cannot answer both questions:
  - throughput: 16 clients back to back (each sends its next request when the last one is
    answered) saturate the two workers; the figure is requests/s, the floor the hello world's.
    Latency under this load is queueing, not the app: by Little's law 16 clients at R req/s
    wait 16/R s on average, so the hello world itself has a p99 of ~200 ms here.
  - latency: 16 planners typing at once, each sending a preview every 250 ms (the form's
    `delay:250ms`), i.e. 64 req/s offered, from a random phase; the latency of each request
    counts from when it was due (a client that fell behind does not hide the wait). The p99 of
    this load is the one held to 25 ms ("p99_ms"); the hello world's under the same load is
    beside it.

Both servers: `gunicorn -w 2` (sync workers, as the README's production command), gunicorn.conf.py
of the repository, the same environment. The client is bench/http_preview.py's: 16 client
processes, a new connection per request, back to back; the floor and the preview take turns in
1 s slices (10 s each in all, 4 s with CADANS_BENCH_QUICK=1), each slice after 0.2 s of load that
is not counted. The clients share the 2 cores with the servers (and on PostgreSQL with the
database server), for the floor exactly as for the preview: the ratio is what the app costs
beside a hello world on the same machine, the p99 what a planner would wait at worst but 1 in
100 with 16 people typing at once.

Run: CADANS_BENCH_DB=postgresql .venv/bin/python bench/web_concurrency.py -> one JSON line
(exit code 0 even when a target is missed; "ok" says whether both were met).
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import http_preview as hp  # noqa: E402
from bench._report import emit, note, quick  # noqa: E402
from bench.pg import bench_database  # noqa: E402

WORKERS = 2
CLIENTS = 16
DURATION = 4.0 if quick() else 10.0
TURNS = 4 if quick() else 10
TARGET_RATIO = 0.5  # preview req/s over hello req/s
P99_TARGET_MS = 25.0


INTERVAL = 0.25  # seconds between one paced client's requests (the preview's delay:250ms)


def _paced_client(port: int, path: str, headers: dict, start_at: float, seconds: float,
                  phase: float, out) -> None:
    """One planner typing: a request every INTERVAL from `start_at + phase` for `seconds`;
    sends the latencies (s), each from when its request was due."""
    latencies, errors = [], 0
    headers = {"User-Agent": hp.USER_AGENT, **headers}
    perf = time.perf_counter
    due = start_at + phase
    end = start_at + seconds
    while due < end:
        while perf() < due:
            time.sleep(min(0.002, max(0.0, due - perf())))
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            conn.close()
            ok = resp.status == 200
        except OSError:
            ok = False
        if ok:
            latencies.append(perf() - due)
        else:
            errors += 1
        due += INTERVAL
    out.send((latencies, errors))
    out.close()


def paced(server: hp.Server, path: str, headers: dict, seconds: float, seed: int) -> dict:
    """CLIENTS paced clients against one server: p50/p99 (ms), requests, errors."""
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(seed)
    start_at = time.perf_counter() + 0.3
    pipes, procs = [], []
    for _ in range(CLIENTS):
        receiver, sender = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_paced_client, args=(server.port, path, headers, start_at,
                                                       seconds, rng.uniform(0, INTERVAL),
                                                       sender))
        proc.start()
        sender.close()
        pipes.append(receiver)
        procs.append(proc)
    latencies, errors = [], 0
    for receiver in pipes:
        lat, err = receiver.recv()
        latencies.extend(lat)
        errors += err
    for proc in procs:
        proc.join()
    return {"latencies": latencies, "errors": errors}


def _percentiles(latencies: list, errors: int) -> dict:
    latencies = sorted(latencies)
    n = len(latencies)
    if not n:
        raise RuntimeError(f"no successful paced requests ({errors} errors)")

    def pct(p: float) -> float:  # nearest rank
        return latencies[min(n - 1, max(0, int(round(p / 100 * n + 0.5)) - 1))] * 1000

    return {"n": n, "errors": errors, "p50_ms": pct(50), "p90_ms": pct(90), "p99_ms": pct(99),
            "max_ms": latencies[-1] * 1000}


def take_turns_paced(cases: dict, seconds: float, turns: int) -> dict:
    """Paced slices taking turns like hp.take_turns, so the floor and the app see the same
    machine; the percentiles are over all requests of a case."""
    parts: dict = {name: ([], [0]) for name in cases}
    for turn in range(turns):
        for name, (server, path, headers) in cases.items():
            got = paced(server, path, headers, seconds / turns, seed=turn)
            parts[name][0].extend(got["latencies"])
            parts[name][1][0] += got["errors"]
    return {name: _percentiles(lat, err[0]) for name, (lat, err) in parts.items()}


def prepare(url: str, instance: str) -> dict:
    env = hp.server_env(instance)
    env["DATABASE_URL"] = url
    hp.prepare_database(instance, env)
    from models.db import db

    if not db.is_closed():
        db.close()
    return env


def main() -> None:
    servers: list[hp.Server] = []
    with bench_database() as bdb:
        try:
            env = prepare(bdb.url, str(bdb.tmp))
            app_server = hp.Server("app:create_app()", env, "/api/v1/health", workers=WORKERS)
            servers.append(app_server)
            hello_server = hp.Server("bench.hello_app:create_app()", env, hp.HELLO_PATH,
                                     workers=WORKERS)
            servers.append(hello_server)
            cookie = hp.login(app_server.port)
            headers = {"HX-Request": "true", "Cookie": cookie}
            hp.check_preview(app_server.port, cookie)
            hp.check_hello(hello_server.port, headers)
            hp.load(hello_server, hp.HELLO_PATH, headers, 1.0, clients=CLIENTS)
            hp.load(app_server, hp.PREVIEW_PATH, headers, 1.0, clients=CLIENTS)
            measured = hp.take_turns({"hello": (hello_server, hp.HELLO_PATH, headers),
                                      "preview": (app_server, hp.PREVIEW_PATH, headers)},
                                     DURATION, turns=TURNS, clients=CLIENTS)
            latency = take_turns_paced({"hello": (hello_server, hp.HELLO_PATH, headers),
                                        "preview": (app_server, hp.PREVIEW_PATH, headers)},
                                       DURATION, turns=TURNS)
            hp.check_preview(app_server.port, cookie)
        finally:
            for server in servers:
                server.stop()
    hello, preview = measured["hello"], measured["preview"]
    typing, typing_hello = latency["preview"], latency["hello"]
    ratio = preview["rps"] / hello["rps"]
    ok = ratio >= TARGET_RATIO and typing["p99_ms"] <= P99_TARGET_MS and not (
        preview["errors"] or hello["errors"] or typing["errors"] or typing_hello["errors"])
    for name, m in (("hello", hello), ("preview", preview)):
        note(f"{bdb.kind} {name:8s} saturated: {m['rps']:6.0f} req/s  p50 {m['p50_ms']:6.2f} ms"
             f"  p99 {m['p99_ms']:6.2f} ms  server CPU {m['server_cpu_ms']:.2f} ms/req  errors "
             f"{m['errors']}  (other load: {m['other_cores']:.2f} cores)")
    for name, m in (("hello", typing_hello), ("preview", typing)):
        note(f"{bdb.kind} {name:8s} typing ({CLIENTS} x 1/{INTERVAL:g} s): p50 "
             f"{m['p50_ms']:6.2f} ms  p99 {m['p99_ms']:6.2f} ms  max {m['max_ms']:6.1f} ms  "
             f"requests {m['n']}  errors {m['errors']}")
    r = lambda x: round(x, 3)  # noqa: E731
    emit("web_concurrency", bdb.kind, preview["rps"], "req/s", hello["rps"],
         "hello-world fragment, same gunicorn -w 2 and 16 clients back to back, req/s", ratio,
         f">= {TARGET_RATIO} (and p99 <= {P99_TARGET_MS:.0f} ms typing)", ok,
         p99_ms=r(typing["p99_ms"]), p99_target_ms=P99_TARGET_MS, p50_ms=r(typing["p50_ms"]),
         p90_ms=r(typing["p90_ms"]), max_ms=r(typing["max_ms"]),
         hello_p50_ms=r(typing_hello["p50_ms"]), hello_p99_ms=r(typing_hello["p99_ms"]),
         typing_requests=typing["n"], typing_interval_s=INTERVAL,
         saturated_p50_ms=r(preview["p50_ms"]), saturated_p99_ms=r(preview["p99_ms"]),
         saturated_hello_p99_ms=r(hello["p99_ms"]),
         errors=preview["errors"] + typing["errors"],
         hello_errors=hello["errors"] + typing_hello["errors"], requests=preview["n"],
         hello_requests=hello["n"], server_cpu_ms=r(preview["server_cpu_ms"]),
         hello_server_cpu_ms=r(hello["server_cpu_ms"]),
         other_cores_busy=r(preview["other_cores"]), workers=WORKERS, clients=CLIENTS,
         seconds=DURATION, cpus=os.cpu_count())

if __name__ == "__main__":
    main()
