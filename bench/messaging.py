"""`python -m bench messaging`: post, list, claim+delete throughput and websocket round trips.

Runs against a fresh `kilocloud up` on SQL (SQLite by default) and on Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from urllib.parse import urlsplit

import httpx
import websockets

from bench import load
from bench.identity import identity_url, password_auth

TARGETS = {"post_msgs_per_s": 8000.0, "claim_delete_msgs_per_s": 2000.0, "ws_median_ms": 2.0}
BATCH = 10


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Options of the messaging benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench messaging", description=__doc__)
    parser.add_argument("--backends", default="sql,redis", help="message stores to measure")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per load test")
    parser.add_argument("--concurrency", type=int, default=8, help="connections kept open")
    parser.add_argument("--processes", type=int, default=2, help="load generator processes")
    parser.add_argument("--ws-rounds", type=int, default=500, help="websocket round trips")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def token(cloud: load.Cloud) -> str:
    """An admin token of the cloud."""
    openrc = cloud.openrc()
    resp = httpx.post(
        f"{identity_url(openrc)}/auth/tokens",
        content=password_auth(openrc),
        headers={"Content-Type": "application/json"},
    )
    resp.raise_for_status()
    return resp.headers["x-subject-token"]


def headers(tok: str) -> dict[str, str]:
    """Headers of every messaging request."""
    return {"X-Auth-Token": tok, "Client-ID": str(uuid.uuid4()), "Content-Type": "application/json"}


def post_batch() -> bytes:
    """A post of BATCH small messages."""
    messages = [{"body": {"event": "bench", "n": i}, "ttl": 3600} for i in range(BATCH)]
    return json.dumps({"messages": messages}).encode()


async def _exchange(reader, writer, request: bytes) -> tuple[int, bytes]:  # noqa: ANN001
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return int(lines[0].split(" ", 2)[1]), await reader.readexactly(length)


def _request(method: str, path: str, host: str, hdrs: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in hdrs.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _consume(url: str, queue: str, tok: str, stop_at: float) -> tuple[int, int, list]:
    """Claim BATCH messages and delete each with its claim id, as a worker does, until
    `stop_at`; (messages, errors, seconds of each claim cycle)."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    hdrs, base = headers(tok), f"{parts.path}/v2/queues/{queue}"
    done = errors = 0
    cycles = []
    while time.perf_counter() < stop_at:
        started = time.perf_counter()
        claim = _request("POST", f"{base}/claims?limit={BATCH}", parts.netloc, hdrs, b"{}")
        status, body = await _exchange(reader, writer, claim)
        if status != 201:
            errors += status != 204
            continue
        for message in json.loads(body)["messages"]:
            # the href carries the claim id: /v2/queues/Q/messages/ID?claim_id=C
            delete = _request("DELETE", parts.path + message["href"], parts.netloc, hdrs)
            status, _ = await _exchange(reader, writer, delete)
            done += status == 204
            errors += status != 204
        cycles.append(time.perf_counter() - started)
    writer.close()
    return done, errors, cycles


def _consumers(args: tuple) -> tuple[int, int, list]:
    url, queue, tok, n, stop_at = args
    import uvloop

    async def run() -> list[tuple[int, int, list]]:
        return await asyncio.gather(*(_consume(url, queue, tok, stop_at) for _ in range(n)))

    results = uvloop.run(run())
    return (
        sum(r[0] for r in results),
        sum(r[1] for r in results),
        [c for r in results for c in r[2]],
    )


def claim_delete(cloud: load.Cloud, queue: str, tok: str, opts: argparse.Namespace) -> dict:
    """Messages per second claimed (BATCH at a time) and deleted one by one with their claim
    id by `concurrency` consumers; p99 of a claim cycle and the server's CPU per cycle."""
    url = cloud.url + "/messaging"
    share = max(1, opts.concurrency // opts.processes)
    stop_at = time.perf_counter() + opts.duration + 1.0
    jobs = [(url, queue, tok, share, stop_at)] * opts.processes
    cpu_before = cloud.cpu_seconds()
    started = time.perf_counter()
    with ProcessPoolExecutor(opts.processes) as pool:
        results = list(pool.map(_consumers, jobs))
    took = time.perf_counter() - started
    cpu = cloud.cpu_seconds() - cpu_before
    done, errors = sum(r[0] for r in results), sum(r[1] for r in results)
    cycles = sorted(c for r in results for c in r[2])
    return {
        "claim_delete_msgs_per_s": round(done / took, 1),
        "claim_delete_errors": errors,
        "claim_cycle_p99_ms": round(1000 * cycles[int(0.99 * (len(cycles) - 1))], 1)
        if cycles
        else None,
        "claim_cycle_server_cpu_ms": round(1000 * cpu / max(len(cycles), 1), 2),
    }


async def ws_round_trips(ws_url: str, tok: str, rounds: int) -> dict[str, float]:
    """Median and p99 of a websocket message_post followed by message_list."""
    hdrs = {"Client-ID": str(uuid.uuid4()), "X-Auth-Token": tok}
    times = []
    # no permessage-deflate, as zaqarclient's websocket transport (websocket-client) talks
    async with websockets.connect(ws_url, compression=None) as ws:
        await ws.send(json.dumps({"action": "authenticate", "headers": hdrs}))
        await ws.recv()
        post = json.dumps(
            {
                "action": "message_post",
                "headers": hdrs,
                "body": {"queue_name": "bench-ws", "messages": [{"body": 1}]},
            }
        )
        listing = json.dumps(
            {
                "action": "message_list",
                "headers": hdrs,
                "body": {"queue_name": "bench-ws", "limit": 1, "echo": True},
            }
        )
        for _ in range(rounds):
            start = time.perf_counter()
            await ws.send(post)
            await ws.recv()
            await ws.send(listing)
            await ws.recv()
            times.append(time.perf_counter() - start)
    times.sort()
    return {
        "ws_median_ms": round(1000 * statistics.median(times), 3),
        "ws_p99_ms": round(1000 * times[int(0.99 * (len(times) - 1))], 3),
    }


def measure(cloud: load.Cloud, opts: argparse.Namespace) -> dict[str, float]:
    """Every figure, on one running cloud."""
    tok = token(cloud)
    url = cloud.url + "/messaging"
    hdrs = headers(tok)
    post = load.Request("POST", "/v2/queues/bench/messages", hdrs, post_batch())
    posted = load.run(url, [post], opts.concurrency, opts.duration, opts.processes)
    listing = load.Request("GET", "/v2/queues/bench/messages?limit=10&echo=true", hdrs)
    listed = load.run(url, [listing], opts.concurrency, opts.duration, opts.processes)
    figures = {
        "post_msgs_per_s": round(posted.rate * BATCH, 1),
        "post_errors": posted.errors,
        "list_msgs_per_s": round(listed.rate * BATCH, 1),
        "list_errors": listed.errors,
    }
    figures |= claim_delete(cloud, "bench", tok, opts)
    ws_url = "ws" + cloud.url.removeprefix("http") + "/messaging/ws"
    figures |= asyncio.run(ws_round_trips(ws_url, tok, opts.ws_rounds))
    return figures


def main(argv: list[str]) -> None:
    """Run the benchmark on each backend and print the figures."""
    opts = parse_args(argv)
    report = {}
    for backend in opts.backends.split(","):
        prefix = f"kcbench{uuid.uuid4().hex[:8]}"
        env = {
            "OS_DRIVERS__MESSAGE_STORE": "sqlalchemy" if backend == "sql" else "redis",
            "OS_DRIVERS:MESSAGE_STORE:REDIS__KEY_PREFIX": prefix,
        }
        os.environ.update(env)
        try:
            with load.cloud() as cloud:
                report[backend] = measure(cloud, opts)
        finally:
            for key in env:
                os.environ.pop(key, None)
        if backend == "redis":
            _forget_keys(prefix)
    if opts.json:
        print(json.dumps({"figures": report, "targets": TARGETS}, indent=2))
        return
    for backend, figures in report.items():
        print(f"[{backend}]")
        for name, value in figures.items():
            print(f"  {name:28} {value}")


def _forget_keys(prefix: str) -> None:
    import redis

    client = redis.Redis()
    keys = list(client.scan_iter(f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
