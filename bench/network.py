"""`python -m bench network`: port creations per second at concurrency 8 (target > 300/s),
checked afterwards for duplicate addresses (there must be none).

Usage: python -m bench network [--duration S] [--concurrency N] [--no-agent] [--json]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

import httpx

from bench import load
from bench.identity import identity_url, issue_token, password_auth

TARGETS = {"port_create_per_s": 300.0}


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Options of the network benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench network", description=__doc__)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of load")
    parser.add_argument("--concurrency", type=int, default=8, help="connections kept open")
    parser.add_argument("--processes", type=int, default=1, help="load generator processes")
    parser.add_argument(
        "--no-agent", action="store_true", help="without the in-process network agent"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def prepare(client: httpx.Client, project_id: str) -> str:
    """A network with a /16 subnet, and no port quota for the project; the network id."""
    client.put(f"/quotas/{project_id}", json={"quota": {"port": -1}}).raise_for_status()
    network = client.post("/networks", json={"network": {"name": "bench"}})
    network_id = network.raise_for_status().json()["network"]["id"]
    subnet = {"network_id": network_id, "ip_version": 4, "cidr": "10.128.0.0/16"}
    client.post("/subnets", json={"subnet": subnet}).raise_for_status()
    return network_id


def duplicates(client: httpx.Client, network_id: str) -> tuple[int, int]:
    """(ports on the network, addresses held more than once)."""
    ports = client.get("/ports", params={"network_id": network_id}).json()["ports"]
    held = Counter(ip["ip_address"] for p in ports for ip in p["fixed_ips"])
    return len(ports), sum(n - 1 for n in held.values() if n > 1)


def run(args: argparse.Namespace) -> dict[str, object]:
    """Start a cloud, load it with port creations, count duplicates."""
    env = {"OS_NETWORK_AGENT__ENABLED": "false"} if args.no_agent else {}
    with load.cloud(env=env) as cloud:
        openrc = cloud.openrc()
        token = issue_token(identity_url(openrc), password_auth(openrc))
        base = f"{cloud.url}/networking/v2.0"
        headers = {"X-Auth-Token": token}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            project = client.get("/quotas/project").json()["project"]["project_id"]
            network_id = prepare(client, project)
            body = json.dumps({"port": {"network_id": network_id}}).encode()
            request = load.Request(
                "POST", "/ports", {**headers, "Content-Type": "application/json"}, body
            )
            summary = load.measured(cloud, base, [request], args)
            ports, dups = duplicates(client, network_id)
    return {
        "port_create": summary,
        "port_create_per_s": summary["requests_per_s"],
        "ports_made": ports,
        "duplicate_addresses": dups,
        "agent": not args.no_agent,
        "targets": TARGETS,
    }


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures."""
    args = parse_args(argv)
    figures = run(args)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return 0 if figures["duplicate_addresses"] == 0 else 1
