"""`python -m bench servers`: boot-to-ACTIVE of servers that really run on this machine.

Container servers (a busybox docker archive, target median under 1.5 s) and VMs (a Debian
cloud kernel with a busybox initramfs, TCG unless KVM works here), one at a time through the
Compute API, each deleted before the next; for VMs also the seconds until the guest's first
line on its serial console. The test images are built as the tests build them.

Usage: python -m bench servers [--containers N] [--vms N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench import load
from bench.compute import wait
from bench.identity import identity_url, issue_token, password_auth
from tests import images

TARGETS = {"container_boot_median_s": 1.5}
MICROVERSION = {"OpenStack-API-Version": "compute 2.37"}  # networks "none"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "kilocloud"


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Options of the servers benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench servers", description=__doc__)
    parser.add_argument("--containers", type=int, default=10, help="container boots timed")
    parser.add_argument("--vms", type=int, default=3, help="VM boots timed")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def upload(http: httpx.Client, path: Path, cformat: str, dformat: str, **props: str) -> str:
    """A new image with the file's data; its id."""
    body = {"name": path.name, "container_format": cformat, "disk_format": dformat, **props}
    image = http.post("/v2/images", json=body).raise_for_status().json()["id"]
    headers = {"Content-Type": "application/octet-stream"}
    data = path.read_bytes()  # test images are small
    http.put(f"/v2/images/{image}/file", content=data, headers=headers).raise_for_status()
    return image


def prepare(http: httpx.Client, work: Path) -> tuple[str, str]:
    """(container image id, VM image id) in the cloud."""
    container = upload(http, images.docker_archive(work / "busybox.tar"), "docker", "raw")
    CACHE.mkdir(parents=True, exist_ok=True)
    kernel, initramfs = images.vm_kernel_and_initramfs(CACHE)
    boot = {"kernel_id": upload(http, kernel, "aki", "aki")}
    boot["ramdisk_id"] = upload(http, initramfs, "ari", "ari")
    boot["os_command_line"] = "console=ttyS0 panic=-1 quiet"
    vm = upload(http, images.vm_disk(work / "disk.raw"), "ami", "ami", **boot)
    return container, vm


def timed_boots(http: httpx.Client, image: str, count: int, banner: str | None) -> dict:
    """Seconds to ACTIVE (and to `banner` on the console) for `count` boots one by one."""
    active, console = [], []
    for n in range(count):
        body = {"name": f"bench-{n}", "imageRef": image, "flavorRef": "1", "networks": "none"}
        started = time.perf_counter()
        body["config_drive"] = True
        resp = http.post("/servers", json={"server": body}, headers=MICROVERSION)
        server = resp.raise_for_status().json()["server"]["id"]
        if wait(http, server) == "ACTIVE":
            active.append(time.perf_counter() - started)
            if banner and _console_shows(http, server, banner):
                console.append(time.perf_counter() - started)
        http.delete(f"/servers/{server}")
    figures = _spread("boot", active)
    return figures | (_spread("console", console) if banner else {})


def _console_shows(http: httpx.Client, server: str, text: str, timeout: float = 300) -> bool:
    deadline = time.monotonic() + timeout
    action = {"os-getConsoleOutput": {}}
    while time.monotonic() < deadline:
        out = http.post(f"/servers/{server}/action", json=action).json().get("output", "")
        if text in out:
            return True
        time.sleep(0.1)
    return False


def _spread(name: str, times: list[float]) -> dict[str, float | int]:
    times.sort()
    if not times:
        return {f"{name}s": 0}
    p95 = times[max(int(len(times) * 0.95) - 1, 0)]
    return {f"{name}_median_s": round(statistics.median(times), 3), f"{name}_p95_s": round(p95, 3)}


def run(args: argparse.Namespace) -> dict[str, object]:
    """Start a cloud with the real drivers and time boots."""
    with load.cloud() as cloud, tempfile.TemporaryDirectory(prefix="kc-bench-") as work:
        openrc = cloud.openrc()
        headers = {"X-Auth-Token": issue_token(identity_url(openrc), password_auth(openrc))}
        image_api = httpx.Client(base_url=f"{cloud.url}/image", headers=headers, timeout=120)
        compute = httpx.Client(base_url=f"{cloud.url}/compute/v2.1", headers=headers, timeout=120)
        with image_api, compute:
            container, vm = prepare(image_api, Path(work))
            figures = {"container": timed_boots(compute, container, args.containers, None)}
            figures["vm"] = timed_boots(compute, vm, args.vms, images.VM_BANNER)
    figures["targets"] = TARGETS
    return figures


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures."""
    args = parse_args(argv)
    figures = run(args)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    median = figures["container"].get("boot_median_s")
    return 0 if median is not None and median < TARGETS["container_boot_median_s"] else 1
