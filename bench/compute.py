"""`python -m bench compute`: boot-to-ACTIVE latency, 50 concurrent boots (errors and
oversubscribed hosts counted, both targets 0), and GET /servers/detail requests per second with
1,000 servers.

Servers run on fake-driver hosts (the cloud's own and two more), as Nova's scale tests do: the
figures are the control plane's (API, conductor, scheduler claims, agent, database).

Usage: python -m bench compute [--boots N] [--servers N] [--duration S] [--concurrency N] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench import load
from bench.identity import identity_url, issue_token, password_auth

TARGETS = {
    "boot_median_s": 1.5,
    "concurrent_errors": 0,
    "oversubscribed_hosts": 0,
    "detail_per_s": 500.0,
}
HOST_MB = 20480  # each fake host holds 20 servers of the 1 GB flavor: 60 in all for 50 boots
ENV = {
    "OS_COMPUTE__COMPUTE_DRIVERS": "fake",
    "OS_COMPUTE__FAKE_HOSTS": "fake-a,fake-b",
    "OS_FAKE_DRIVER__MEMORY_MB": str(HOST_MB),
    "OS_FAKE_DRIVER__VCPUS": "1000",
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Options of the compute benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench compute", description=__doc__)
    parser.add_argument("--boots", type=int, default=20, help="sequential boots timed")
    parser.add_argument("--concurrent", type=int, default=50, help="boots started at once")
    parser.add_argument("--servers", type=int, default=1000, help="servers in the listed cloud")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of list load")
    parser.add_argument("--concurrency", type=int, default=8, help="connections kept open")
    parser.add_argument("--processes", type=int, default=1, help="load generator processes")
    parser.add_argument(
        "--container", type=int, default=0, help="also time N container boots (podman, runc)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def prepare(cloud: load.Cloud, http: httpx.Client, project_id: str) -> tuple[str, str, str]:
    """(image id, 1 GB flavor id, 64 MB flavor id), and no compute quota for the project."""
    unlimited = {"instances": -1, "cores": -1, "ram": -1}
    http.put(f"/os-quota-sets/{project_id}", json={"quota_set": unlimited}).raise_for_status()
    flavors = []
    for name, ram in (("bench.1g", 1024), ("bench.64m", 64)):
        body = {"flavor": {"name": name, "ram": ram, "vcpus": 1, "disk": 1}}
        flavors.append(http.post("/flavors", json=body).raise_for_status().json()["flavor"]["id"])
    image_api = httpx.Client(base_url=f"{cloud.url}/image", headers=dict(http.headers), timeout=60)
    body = {"name": "bench", "disk_format": "raw", "container_format": "bare"}
    image = image_api.post("/v2/images", json=body).raise_for_status().json()["id"]
    image_api.put(
        f"/v2/images/{image}/file",
        content=b"x" * 1024,
        headers={"Content-Type": "application/octet-stream"},
    ).raise_for_status()
    return image, flavors[0], flavors[1]


def boot(http: httpx.Client, image: str, flavor: str, count: int = 1) -> str:
    """Start a server (or `count`); the first one's id."""
    body = {
        "server": {
            "name": "bench",
            "imageRef": image,
            "flavorRef": flavor,
            "networks": "none",
            "min_count": count,
            "max_count": count,
        }
    }
    resp = http.post("/servers", json=body, headers={"OpenStack-API-Version": "compute 2.37"})
    return resp.raise_for_status().json()["server"]["id"]


def wait(http: httpx.Client, server_id: str, timeout: float = 120) -> str:
    """The server's status once it is ACTIVE or ERROR."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = http.get(f"/servers/{server_id}").json()["server"]["status"]
        if status in ("ACTIVE", "ERROR"):
            return status
        time.sleep(0.01)
    return "TIMEOUT"


def delete(http: httpx.Client, server_id: str, timeout: float = 60) -> None:
    """Delete the server and wait until it is gone, so that nothing outlives the cloud."""
    http.delete(f"/servers/{server_id}")
    deadline = time.monotonic() + timeout
    while http.get(f"/servers/{server_id}").status_code != 404 and time.monotonic() < deadline:
        time.sleep(0.05)


def boot_latency(http: httpx.Client, image: str, flavor: str, count: int) -> dict[str, float]:
    """Seconds from POST /servers to ACTIVE, one server at a time."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        server_id = boot(http, image, flavor)
        if wait(http, server_id) == "ACTIVE":
            times.append(time.perf_counter() - started)
        delete(http, server_id)
    times.sort()
    return {
        "boot_median_s": round(statistics.median(times), 3),
        "boot_p95_s": round(times[max(int(len(times) * 0.95) - 1, 0)], 3),
        "boots": len(times),
    }


def concurrent_boots(http: httpx.Client, image: str, flavor: str, count: int) -> dict[str, object]:
    """`count` boots at once: errors, and hosts given more RAM than they have."""
    started = time.perf_counter()
    with ThreadPoolExecutor(count) as pool:
        ids = list(pool.map(lambda _: boot(http, image, flavor), range(count)))
        statuses = list(pool.map(lambda i: wait(http, i), ids))
    took = time.perf_counter() - started
    servers = http.get("/servers/detail").json()["servers"]
    per_host = Counter(s["OS-EXT-SRV-ATTR:host"] for s in servers if s["id"] in set(ids))
    over = [h for h, n in per_host.items() if n * 1024 > HOST_MB]
    for server_id in ids:
        http.delete(f"/servers/{server_id}")
    return {
        "concurrent_boots": count,
        "concurrent_errors": count - statuses.count("ACTIVE"),
        "concurrent_all_active_s": round(took, 2),
        "servers_per_host": dict(per_host),
        "oversubscribed_hosts": len(over),
    }


def fill(http: httpx.Client, image: str, flavor: str, total: int) -> int:
    """`total` servers made 100 at a time (multi-create); how many became ACTIVE."""
    for _ in range(total // 100):
        boot(http, image, flavor, 100)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        servers = http.get("/servers/detail").json()["servers"]
        if sum(s["status"] in ("ACTIVE", "ERROR") for s in servers) >= total:
            break
        time.sleep(0.5)
    return sum(s["status"] == "ACTIVE" for s in servers)


def run(args: argparse.Namespace) -> dict[str, object]:
    """Start a cloud of three fake hosts and measure."""
    with load.cloud(env=ENV) as cloud:
        openrc = cloud.openrc()
        token = issue_token(identity_url(openrc), password_auth(openrc))
        base = f"{cloud.url}/compute/v2.1"
        headers = {"X-Auth-Token": token}
        with httpx.Client(base_url=base, headers=headers, timeout=120) as http:
            project = _project(cloud, token)
            image, big, small = prepare(cloud, http, project)
            figures: dict[str, object] = boot_latency(http, image, small, args.boots)
            figures.update(concurrent_boots(http, image, big, args.concurrent))
            figures["servers_listed"] = fill(http, image, small, args.servers)
            for name, path in (
                ("detail", "/servers/detail"),
                ("detail_limit25", "/servers/detail?limit=25"),
            ):
                request = load.Request("GET", "/compute/v2.1" + path, headers)
                summary = load.measured(cloud, cloud.url, [request], args)
                figures[f"{name}_per_s"] = summary["requests_per_s"]
                figures[name] = summary
    if args.container:
        figures.update(container_latency(args.container))
    figures["targets"] = TARGETS
    return figures


def container_latency(count: int) -> dict[str, float]:
    """Boot-to-ACTIVE of busybox container servers on a cloud with its default drivers."""
    from tests import images  # the offline busybox docker archive builder

    with load.cloud() as cloud:
        openrc = cloud.openrc()
        token = issue_token(identity_url(openrc), password_auth(openrc))
        headers = {"X-Auth-Token": token}
        with httpx.Client(
            base_url=f"{cloud.url}/compute/v2.1", headers=headers, timeout=120
        ) as http:
            archive = images.docker_archive(Path(cloud.state_dir) / "busybox.tar", tag="bench:1")
            image_api = httpx.Client(base_url=f"{cloud.url}/image", headers=headers, timeout=120)
            body = {"name": "busybox", "disk_format": "raw", "container_format": "docker"}
            image = image_api.post("/v2/images", json=body).raise_for_status().json()["id"]
            image_api.put(
                f"/v2/images/{image}/file",
                content=archive.read_bytes(),
                headers={"Content-Type": "application/octet-stream"},
            ).raise_for_status()
            first = boot(http, image, "1")  # fills the host's image cache
            wait(http, first)
            delete(http, first)
            figures = boot_latency(http, image, "1", count)
    return {f"container_{k}": v for k, v in figures.items()}


def _project(cloud: load.Cloud, token: str) -> str:
    resp = httpx.get(
        f"{cloud.url}/identity/v3/auth/tokens",
        headers={"X-Auth-Token": token, "X-Subject-Token": token},
    )
    return resp.raise_for_status().json()["token"]["project"]["id"]


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures."""
    args = parse_args(argv)
    figures = run(args)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    ok = figures["concurrent_errors"] == 0 and figures["oversubscribed_hosts"] == 0
    return 0 if ok else 1
