"""`python -m bench identity`: start-up time, idle memory and token throughput of the cloud."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import httpx

from bench import load

TARGETS = {"ready_s": 1.5, "idle_rss_mb": 120.0, "validate": 2000.0, "catalog": 2000.0}


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Options of the identity benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench identity", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="start-ups to take the median of")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per load test")
    parser.add_argument("--concurrency", type=int, default=8, help="connections kept open")
    parser.add_argument("--processes", type=int, default=1, help="load generator processes")
    parser.add_argument("--users", type=int, default=100, help="users whose tokens are validated")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def startup_times(runs: int) -> dict[str, float]:
    """Median seconds to the first 200 on /healthcheck, and the server's CPU seconds until then,
    on a fresh state dir and on a restart."""
    with load.cloud():  # warm-up: bytecode caches and the page cache, as after an install
        pass
    first: list[load.Cloud] = []
    again: list[load.Cloud] = []
    for _ in range(runs):
        cloud, restarted = load.start_and_restart()
        first.append(cloud)
        again.append(restarted)

    def median(clouds: list[load.Cloud], attr: str) -> float:
        return round(statistics.median(getattr(c, attr) for c in clouds), 3)

    return {
        "ready_s": median(first, "ready_after"),
        "ready_cpu_s": median(first, "ready_cpu"),
        "restart_ready_s": median(again, "ready_after"),
        "restart_ready_cpu_s": median(again, "ready_cpu"),
    }


def identity_url(openrc: dict[str, str]) -> str:
    """The v3 base URL from OS_AUTH_URL, whichever form it takes."""
    auth_url = openrc["OS_AUTH_URL"].rstrip("/")
    return auth_url if auth_url.endswith("/v3") else f"{auth_url}/v3"


def password_auth(openrc: dict[str, str]) -> bytes:
    """A project-scoped password authentication request body for the openrc's user."""
    user = {
        "name": openrc["OS_USERNAME"],
        "password": openrc["OS_PASSWORD"],
        "domain": {"name": openrc.get("OS_USER_DOMAIN_NAME", "Default")},
    }
    project = {
        "name": openrc["OS_PROJECT_NAME"],
        "domain": {"name": openrc.get("OS_PROJECT_DOMAIN_NAME", "Default")},
    }
    identity = {"methods": ["password"], "password": {"user": user}}
    return json.dumps({"auth": {"identity": identity, "scope": {"project": project}}}).encode()


def issue_token(url: str, body: bytes) -> str:
    """One token, issued with `body`."""
    headers = {"Content-Type": "application/json"}
    response = httpx.post(f"{url}/auth/tokens", content=body, headers=headers, timeout=30)
    response.raise_for_status()
    return response.headers["X-Subject-Token"]


def user_tokens(url: str, admin_token: str, count: int) -> list[str]:
    """Project-scoped tokens, issued by password, of `count` new users of a new project."""
    headers = {"X-Auth-Token": admin_token}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        project = client.post("/projects", json={"project": {"name": "bench-users"}}).json()
        roles = client.get("/roles", params={"name": "member"}).json()["roles"]
        tokens = []
        for i in range(count):
            user = {"name": f"bench-user-{i}", "password": f"pw-{i}-{os.urandom(4).hex()}"}
            user_id = client.post("/users", json={"user": user}).json()["user"]["id"]
            grant = f"/projects/{project['project']['id']}/users/{user_id}/roles/{roles[0]['id']}"
            client.put(grant).raise_for_status()
            openrc = {
                "OS_USERNAME": user["name"],
                "OS_PASSWORD": user["password"],
                "OS_PROJECT_NAME": "bench-users",
            }
            tokens.append(issue_token(url, password_auth(openrc)))
    return tokens


def throughput(cloud: load.Cloud, args: argparse.Namespace) -> dict[str, dict]:
    """Requests/s, latency and errors of token issue, and of validating and reading the
    catalog with a pool of users' tokens (each issued by password), in turn."""
    openrc = cloud.openrc()
    url = identity_url(openrc)
    body = password_auth(openrc)
    admin = issue_token(url, body)
    tokens = user_tokens(url, admin, args.users)
    json_type = {"Content-Type": "application/json"}
    scenarios = {
        "issue": [load.Request("POST", "/auth/tokens", json_type, body)],
        "validate": [
            load.Request("GET", "/auth/tokens", {"X-Auth-Token": admin, "X-Subject-Token": t})
            for t in tokens
        ],
        "catalog": [load.Request("GET", "/auth/catalog", {"X-Auth-Token": t}) for t in tokens],
    }
    return {name: load.measured(cloud, url, reqs, args) for name, reqs in scenarios.items()}


def measure(args: argparse.Namespace) -> dict:
    """Every figure of this benchmark."""
    # other work on the machine skews every figure: record how busy it was
    figures: dict = {"load_average": os.getloadavg()[0], "cpus": os.cpu_count()}
    figures.update(startup_times(args.runs))
    with load.cloud() as cloud:
        time.sleep(1.0)  # let start-up garbage settle before reading idle memory
        figures["idle_rss_mb"] = round(cloud.rss_mb(), 1)
        figures.update(throughput(cloud, args))
    return figures


def report(figures: dict, concurrency: int) -> str:
    """The figures as text, each target marked met or missed."""

    def mark(name: str, value: float, below: bool) -> str:
        met = value < TARGETS[name] if below else value > TARGETS[name]
        return f"(target {'<' if below else '>'} {TARGETS[name]:g}: {'met' if met else 'MISSED'})"

    lines = [
        f"machine                 {figures['cpus']} CPUs, "
        f"load average {figures['load_average']:.2f}",
        f"ready, fresh state dir  {figures['ready_s']:.2f} s  "
        f"{mark('ready_s', figures['ready_s'], True)}  server CPU {figures['ready_cpu_s']:.2f} s",
        f"ready, restart          {figures['restart_ready_s']:.2f} s  "
        f"server CPU {figures['restart_ready_cpu_s']:.2f} s",
        f"idle RSS                {figures['idle_rss_mb']:.1f} MiB  "
        f"{mark('idle_rss_mb', figures['idle_rss_mb'], True)}",
    ]
    for name in ("issue", "validate", "catalog"):
        f = figures[name]
        line = (
            f"{name:<8} c={concurrency:<3}        {f['requests_per_s']:.1f} req/s  "
            f"median {f['median_ms']} ms  p99 {f['p99_ms']} ms  errors {f['errors']}  "
            f"server CPU {f['server_cpu_us_per_req']} us/req"
        )
        if name in TARGETS:
            line += f"  {mark(name, f['requests_per_s'], False)}"
        lines.append(line)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures."""
    args = parse_args(argv)
    figures = measure(args)
    print(json.dumps(figures, indent=2) if args.json else report(figures, args.concurrency))
    return 0
