"""`python -m bench scaleout`: show, list and validate through nginx, with 1, 2... API processes.

The processes are `kilocloud serve all` on one shared database (PostgreSQL or MariaDB, a
throwaway one) and a memcached of the benchmark's own; nginx uses deploy/nginx's settings.
Throughput that grows with processes (as far as the machine's cores allow) shows that nothing
is serialized between them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench import balancer, load
from bench.identity import issue_token, password_auth

SERVERS = {
    "postgresql": (
        "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres",
        "postgresql://postgres@127.0.0.1:5432",
    ),
    "mariadb": ("mysql+asyncmy://root@127.0.0.1:3306/mysql", "mysql+pymysql://root@127.0.0.1:3306"),
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Options of the scale-out benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench scaleout", description=__doc__)
    parser.add_argument("--apis", default="1,2", help="API process counts to measure, in turn")
    parser.add_argument("--database", choices=sorted(SERVERS), default="postgresql")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per load test")
    parser.add_argument("--concurrency", type=int, default=16, help="connections kept open")
    parser.add_argument("--processes", type=int, default=2, help="load generator processes")
    parser.add_argument("--images", type=int, default=200, help="images shown in turn")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


async def _admin(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    """A new empty database on the local server, dropped afterwards; its URL."""
    admin, base = SERVERS[kind]
    name = f"kc_bench_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(admin, f"CREATE DATABASE {name}"))
    try:
        yield f"{base}/{name}"
    finally:
        force = " WITH (FORCE)" if kind == "postgresql" else ""
        asyncio.run(_admin(admin, f"DROP DATABASE IF EXISTS {name}{force}"))


class Deployment:
    """A state directory, its config and the processes of one measurement."""

    def __init__(self, root: Path, db_url: str) -> None:
        self.root, self.port = root, load.free_port()
        self.memcached_port = load.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.config = root / "kilocloud.conf"
        self.config.write_text(
            f"[DEFAULT]\npublic_endpoint = {self.url}\n[database]\nconnection = {db_url}\n"
            f"[cache]\nmemcache_servers = 127.0.0.1:{self.memcached_port}\n"
            "[compute]\nlocal_agent = false\n[network_agent]\nenabled = false\n"
        )
        self.procs: list[subprocess.Popen] = []

    def kilocloud(self, *args: str) -> list[str]:
        """The command line of a kilocloud subcommand on this deployment."""
        return [
            *load.command(),
            *args,
            "--state-dir",
            str(self.root),
            "--config-file",
            str(self.config),
        ]

    def prepare(self) -> None:
        """memcached, the schema and the bootstrap data."""
        memcached = [
            "memcached",
            "-l",
            "127.0.0.1",
            "-p",
            str(self.memcached_port),
            "-U",
            "0",
            "-u",
            "root",
        ]
        self.procs.append(subprocess.Popen(memcached))
        for step in (("db", "upgrade"), ("bootstrap",)):
            subprocess.run(self.kilocloud(*step), check=True, capture_output=True, timeout=300)

    @contextlib.contextmanager
    def apis(self, count: int) -> Iterator[list[subprocess.Popen]]:
        """`count` API processes behind nginx, until the block ends."""
        ports = [load.free_port() for _ in range(count)]
        with open(self.root / "apis.log", "ab") as log:
            apis = [
                subprocess.Popen(
                    self.kilocloud("serve", "all", "--port", str(p)), stdout=log, stderr=log
                )
                for p in ports
            ]
        nginx = balancer.start_nginx(self.root, self.port, ports)
        try:
            for proc, port in zip(apis, ports, strict=True):
                load._wait_ready(proc, f"http://127.0.0.1:{port}", 120)  # noqa: SLF001
            load._wait_ready(nginx, self.url, 30)  # noqa: SLF001
            yield apis
        finally:
            for proc in [nginx, *apis]:
                load._stop(proc)  # noqa: SLF001

    def stop(self) -> None:
        """Stop memcached."""
        for proc in self.procs:
            load._stop(proc)  # noqa: SLF001


def scenarios(dep: Deployment, images: int) -> dict[str, list[load.Request]]:
    """The show, list and validate requests, with the images and token they need."""
    openrc = {"OS_USERNAME": "admin", "OS_PROJECT_NAME": "admin"}
    openrc["OS_PASSWORD"] = (dep.root / "admin-password").read_text().strip()
    token = issue_token(f"{dep.url}/identity/v3", password_auth(openrc))
    headers = {"X-Auth-Token": token}
    body = {"name": "b", "disk_format": "raw", "container_format": "bare"}
    with httpx.Client(base_url=f"{dep.url}/image", headers=headers, timeout=30) as client:
        ids = [client.post("/v2/images", json=body).json()["id"] for _ in range(images)]
    subject = issue_token(f"{dep.url}/identity/v3", password_auth(openrc))
    return {
        "show": [load.Request("GET", f"/image/v2/images/{i}", headers) for i in ids],
        "list": [load.Request("GET", "/image/v2/images?limit=25", headers)],
        "validate": [
            load.Request("GET", "/identity/v3/auth/tokens", headers | {"X-Subject-Token": subject})
        ],
    }


def measure(args: argparse.Namespace) -> dict:
    """Requests/s of every scenario for each API process count."""
    figures: dict = {"load_average": os.getloadavg()[0], "cpus": os.cpu_count(), "rows": {}}
    with database(args.database) as db_url, tempfile.TemporaryDirectory(prefix="kc-bench-") as tmp:
        dep = Deployment(Path(tmp), db_url)
        try:
            dep.prepare()
            with dep.apis(1):
                requests = scenarios(dep, args.images)
            for count in (int(n) for n in args.apis.split(",")):
                with dep.apis(count):
                    for name, reqs in requests.items():
                        result = load.run(
                            dep.url, reqs, args.concurrency, args.duration, args.processes
                        )
                        figures["rows"][f"{name} x{count}"] = result.summary()
        finally:
            dep.stop()
    return figures


def report(figures: dict, args: argparse.Namespace) -> str:
    """The figures as text."""
    lines = [f"machine       {figures['cpus']} CPUs, load average {figures['load_average']:.2f}"]
    for row, f in figures["rows"].items():
        lines.append(
            f"{row:<13} c={args.concurrency:<3} {f['requests_per_s']:.1f} req/s  "
            f"median {f['median_ms']} ms  p99 {f['p99_ms']} ms  errors {f['errors']}"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures."""
    args = parse_args(argv)
    figures = measure(args)
    print(json.dumps(figures, indent=2) if args.json else report(figures, args))
    return 0
