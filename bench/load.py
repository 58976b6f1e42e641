"""Benchmark harness: a `kilocloud up` process under test, and an HTTP/1.1 load generator.

The load generator keeps its connections alive and runs in separate processes on uvloop, so
that it can push well over 2,000 requests/s on 2 cores without measuring itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx


@dataclass(frozen=True)
class Request:
    """One request to send: method, path (with query), headers and body."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def encode(self, host: str) -> bytes:
        """The request on the wire, keep-alive."""
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        if self.body or self.method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


@dataclass
class LoadResult:
    """What one load run saw: completed requests, errors and latencies in seconds."""

    duration: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Successful requests per second."""
        return len(self.latencies) / self.duration if self.duration else 0.0

    def percentile(self, q: float) -> float:
        """Latency at quantile `q` (0-1) in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def merge(self, other: LoadResult) -> None:
        """Add another process's counts (same wall-clock window)."""
        self.latencies += other.latencies
        self.errors += other.errors
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count

    def summary(self) -> dict[str, float | int]:
        """The figures a benchmark reports."""
        return {
            "requests_per_s": round(self.rate, 1),
            "median_ms": round(self.percentile(0.5), 2),
            "p99_ms": round(self.percentile(0.99), 2),
            "ok": len(self.latencies),
            "errors": self.errors,
        }


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """(status, keep_alive) of one response, its body read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    if headers.get("transfer-encoding", "").lower() == "chunked":
        await _read_chunked(reader)
    elif "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    return status, headers.get("connection", "").lower() != "close"


async def _read_chunked(reader: asyncio.StreamReader) -> None:
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        await reader.readexactly(size + 2)
        if size == 0:
            return


async def _connection(
    host: str, port: int, requests: Iterator[bytes], stop_at: float, result: LoadResult
) -> None:
    """Send `requests` one after another on one kept-alive connection until `stop_at` or
    until they run out."""
    reader = writer = None
    while time.perf_counter() < stop_at:
        request = next(requests, None)
        if request is None:
            break
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            started = time.perf_counter()
            writer.write(request)
            status, keep_alive = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            result.errors += 1
            writer = None
            continue
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status < 400:
            result.latencies.append(time.perf_counter() - started)
        else:
            result.errors += 1
        if not keep_alive:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def _load(
    url: str, requests: Sequence[Request], concurrency: int, duration: float, once: bool
) -> LoadResult:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    prefix = parts.path.rstrip("/")
    wire = [
        Request(r.method, prefix + r.path, r.headers, r.body).encode(parts.netloc) for r in requests
    ]
    # one shared iterator: the connections take the requests in turn, so that each is sent
    # once (with `once`) or the connections rotate over all of them rather than repeat one
    shared = iter(wire) if once else itertools.cycle(wire)
    result = LoadResult(duration=duration)
    started = time.perf_counter()
    stop_at = started + duration
    await asyncio.gather(
        *(_connection(host, port, shared, stop_at, result) for _ in range(concurrency))
    )
    if once:
        result.duration = time.perf_counter() - started
    return result


def _run_in_process(args: tuple) -> LoadResult:
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # plain asyncio is slower but correct
        pass
    return asyncio.run(_load(*args))


def run(
    url: str,
    requests: Sequence[Request],
    concurrency: int = 8,
    duration: float = 5.0,
    processes: int = 1,
    once: bool = False,
) -> LoadResult:
    """Send `requests` round-robin to `url` over `concurrency` connections for `duration` s,
    or, with `once`, each request once (for requests that change state, such as deletes).

    The connections are spread over `processes` separate processes, so that the load
    generator never shares an interpreter (or a GIL) with the code that measures it.
    """
    shares = [concurrency // processes + (i < concurrency % processes) for i in range(processes)]
    shares = [n for n in shares if n]
    # each process gets its own slice of the requests (all of them, rotated, without `once`)
    slices = [
        list(requests[i :: len(shares)]) if once else list(requests) for i in range(len(shares))
    ]
    jobs = [(url, part, n, duration, once) for part, n in zip(slices, shares, strict=True)]
    with ProcessPoolExecutor(max_workers=len(jobs)) as pool:
        parts = list(pool.map(_run_in_process, jobs))
    total = LoadResult(duration=max(p.duration for p in parts) if once else duration)
    for part in parts:
        total.merge(part)
    return total


def measured(
    cloud: Cloud,
    url: str,
    requests: Sequence[Request],
    args: argparse.Namespace,
    concurrency: int | None = None,
    once: bool = False,
) -> dict[str, float | int]:
    """`run` of `requests` with `args`' concurrency, duration and processes: its summary,
    and the server's CPU per request, which hardly changes with what else the machine runs
    (one event loop: 1/(CPU per request) is the server's rate on an idle core)."""
    cpu_before = cloud.cpu_seconds()
    result = run(
        url, requests, concurrency or args.concurrency, args.duration, args.processes, once
    )
    cpu = cloud.cpu_seconds() - cpu_before
    summary = result.summary()
    summary["server_cpu_us_per_req"] = round(1e6 * cpu / max(len(result.latencies), 1))
    return summary


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process (all its threads) has used, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Cloud:
    """A running `kilocloud up`: its process, base URL, state dir and start-up time.

    `ready_cpu` is the CPU time the server used until ready: unlike `ready_after`, it hardly
    changes with what else the machine runs.
    """

    process: subprocess.Popen
    url: str
    state_dir: str
    ready_after: float
    ready_cpu: float

    def cpu_seconds(self) -> float:
        """CPU time the server has used so far."""
        return cpu_seconds(self.process.pid)

    def rss_mb(self) -> float:
        """Resident memory of the server process in MiB, from /proc/PID/status."""
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS line")

    def openrc(self) -> dict[str, str]:
        """The OS_* variables `kilocloud up` wrote to STATE_DIR/openrc."""
        env = {}
        with open(os.path.join(self.state_dir, "openrc")) as f:
            for line in f:
                words = shlex.split(line, comments=True)
                if len(words) == 2 and words[0] == "export" and "=" in words[1]:
                    key, _, value = words[1].partition("=")
                    env[key] = value
        return env


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def command() -> list[str]:
    """How to launch `kilocloud`: its script if installed, else `python -m kilocloud`."""
    script = shutil.which("kilocloud")
    return [script] if script else [sys.executable, "-m", "kilocloud"]


def _wait_ready(process: subprocess.Popen, url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=1.0) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"kilocloud up exited with {process.returncode}")
            with contextlib.suppress(httpx.TransportError):
                if client.get(f"{url}/healthcheck").status_code == 200:
                    return
            time.sleep(0.005)
    raise TimeoutError(f"{url}/healthcheck did not answer 200 within {timeout} s")


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _remove_data_plane(state_dir: str, env: dict[str, str], log: object) -> None:
    argv = [*command(), "network-agent", "--teardown", "--state-dir", state_dir]
    subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT, env=env, timeout=120)


@contextlib.contextmanager
def cloud(
    state_dir: str | None = None, timeout: float = 30.0, env: dict[str, str] | None = None
) -> Iterator[Cloud]:
    """Start `kilocloud up` on a free port (and a fresh temp state dir unless given); stop it.

    `env` adds variables to the server's environment, such as OS_<GROUP>__<OPTION> overrides.
    """
    with contextlib.ExitStack() as stack:
        if state_dir is None:
            state_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="kc-bench-"))
        port = free_port()
        log = stack.enter_context(open(os.path.join(state_dir, "bench-server.log"), "ab"))
        argv = [*command(), "up", "--state-dir", state_dir, "--port", str(port)]
        # an installed Python caches bytecode; a session that turned that off would measure
        # recompiling every module at each start instead of starting
        child_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        child_env.update(env or {})
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=child_env)
        # after the server stops: what its network agent made outlives it by design
        stack.callback(_remove_data_plane, state_dir, child_env, log)
        stack.callback(_stop, process)
        url = f"http://127.0.0.1:{port}"
        _wait_ready(process, url, timeout)
        ready_after = time.perf_counter() - started
        yield Cloud(process, url, state_dir, ready_after, cpu_seconds(process.pid))


def start_and_restart() -> tuple[Cloud, Cloud]:
    """A cloud started on a fresh state dir and stopped, then started again on that dir."""
    with tempfile.TemporaryDirectory(prefix="kc-bench-") as state_dir:
        with cloud(state_dir) as first:
            pass
        with cloud(state_dir) as restarted:
            pass
    return first, restarted
