"""`python -m bench image_import`: a large qcow2 imported with conversion to raw, and task rate.

Figures: seconds to import (stage, then glance-direct with the image_conversion plugin) a qcow2
of --size-gib of real data, beside `qemu-img convert` alone on the same file; and tasks per
minute for many small imports run --concurrency at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from bench import load
from kilocloud.deps import Services
from kilocloud.image.tasks.convert import convert
from kilocloud.image.tasks.introspect import introspect
from kilocloud.image.tasks.store import store_all
from kilocloud.image.tasks.work import Work
from kilocloud.opts import load_conf

OCTETS = {"Content-Type": "application/octet-stream"}
PLUGINS = {"OS_IMAGE_IMPORT_OPTS__IMAGE_IMPORT_PLUGINS": "image_conversion"}


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Options of the image import benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench image_import", description=__doc__)
    parser.add_argument("--size-gib", type=float, default=1.0, help="virtual size of the qcow2")
    parser.add_argument("--small", type=int, default=200, help="small imports for the task rate")
    parser.add_argument("--concurrency", type=int, default=8, help="small imports at once")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def make_qcow2(workdir: str, size: int) -> str:
    """A qcow2 whose clusters all hold random data (so nothing is skipped as zeroes)."""
    raw = os.path.join(workdir, "source.raw")
    with open(raw, "wb") as f:
        for _ in range(size // (64 << 20)):
            f.write(os.urandom(64 << 20))
    qcow2 = os.path.join(workdir, "source.qcow2")
    subprocess.run(
        ["qemu-img", "convert", "-q", "-f", "raw", "-O", "qcow2", raw, qcow2], check=True
    )
    os.unlink(raw)
    return qcow2


def by_hand(qcow2: str, workdir: str) -> dict[str, float]:
    """Seconds of `qemu-img convert` to raw alone, and of md5 + sha512 of its output alone
    (two threads, as an import hashes): the floor under an import's time."""
    out = os.path.join(workdir, "by-hand.raw")
    started = time.perf_counter()
    subprocess.run(["qemu-img", "convert", "-f", "qcow2", "-O", "raw", qcow2, out], check=True)
    converted = time.perf_counter()
    md5, sha512 = hashlib.md5(usedforsecurity=False), hashlib.sha512()
    with open(out, "rb") as f, ThreadPoolExecutor(2) as pool:
        while block := f.read(4 << 20):
            list(pool.map(lambda h, b=block: h.update(b), (md5, sha512)))
    hashed = time.perf_counter()
    os.unlink(out)
    return {
        "qemu_img_convert_s": round(converted - started, 2),
        "md5_sha512_s": round(hashed - converted, 2),
    }


def pipeline_phases(qcow2: str, workdir: str) -> dict[str, float]:
    """Seconds of each step of an import, run in this process on the file (no HTTP, no SQL)."""
    conf = load_conf([], {"state_dir": os.path.join(workdir, "pipeline")})
    services = Services.create(conf, ())
    work = Work(services, "bench", "bench-image", "qcow2", "bare", [])
    work.path = qcow2
    steps = {
        "introspect_s": lambda: introspect(work),
        "convert_s": lambda: convert(work, "raw"),
        "hash_and_store_s": lambda: store_all(work, [services.stores.default], True),
    }
    phases = {}
    for name, step in steps.items():
        started = time.perf_counter()
        asyncio.run(step())
        phases[name] = round(time.perf_counter() - started, 2)
    work.cleanup()
    return phases


def client(cloud: load.Cloud) -> httpx.Client:
    """An admin client on the cloud's image endpoint."""
    openrc = cloud.openrc()
    auth = {
        "identity": {
            "methods": ["password"],
            "password": {
                "user": {
                    "name": openrc["OS_USERNAME"],
                    "password": openrc["OS_PASSWORD"],
                    "domain": {"id": "default"},
                }
            },
        },
        "scope": {"project": {"name": openrc["OS_PROJECT_NAME"], "domain": {"id": "default"}}},
    }
    resp = httpx.post(f"{cloud.url}/identity/v3/auth/tokens", json={"auth": auth}, timeout=30)
    resp.raise_for_status()
    headers = {"X-Auth-Token": resp.headers["X-Subject-Token"], "Accept": "application/json"}
    return httpx.Client(base_url=f"{cloud.url}/image", headers=headers, timeout=600)


def import_file(http: httpx.Client, path: str, disk_format: str) -> tuple[str, float, float]:
    """Stage and import `path`; the image id, seconds staging and seconds importing."""
    body = {"name": os.path.basename(path), "disk_format": disk_format, "container_format": "bare"}
    created = http.post("/v2/images", json=body)
    created.raise_for_status()
    image_id = created.json()["id"]
    started = time.perf_counter()
    with open(path, "rb") as f:
        http.put(f"/v2/images/{image_id}/stage", content=f, headers=OCTETS).raise_for_status()
    staged = time.perf_counter()
    method = {"method": {"name": "glance-direct"}}
    http.post(f"/v2/images/{image_id}/import", json=method).raise_for_status()
    while http.get(f"/v2/images/{image_id}").json()["status"] not in ("active", "queued"):
        time.sleep(0.05)
    return image_id, staged - started, time.perf_counter() - staged


def large_import(cloud: load.Cloud, qcow2: str) -> dict[str, float]:
    """Seconds to stage and to import (introspect, convert, hash, store) the large qcow2."""
    http = client(cloud)
    image_id, stage_s, import_s = import_file(http, qcow2, "qcow2")
    image = http.get(f"/v2/images/{image_id}").json()
    if image["status"] != "active" or image["disk_format"] != "raw":
        raise RuntimeError(f"large import did not end active and raw: {image}")
    return {"stage_s": round(stage_s, 2), "import_s": round(import_s, 2)}


def task_rate(cloud: load.Cloud, workdir: str, count: int, concurrency: int) -> dict[str, float]:
    """Small qcow2 imports (stage + import + conversion) completed per minute."""
    small = os.path.join(workdir, "small.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", small, "1M"], check=True)
    http = client(cloud)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda _: import_file(http, small, "qcow2"), range(count)))
    elapsed = time.perf_counter() - started
    statuses = [http.get(f"/v2/images/{r[0]}").json()["status"] for r in results]
    return {
        "tasks": count,
        "tasks_per_minute": round(count / elapsed * 60, 1),
        "failed": sum(s != "active" for s in statuses),
    }


def main(argv: list[str]) -> int:
    """Run both measurements and print them."""
    args = parse_args(argv)
    size = int(args.size_gib * (1 << 30))
    with tempfile.TemporaryDirectory(prefix="kc-bench-import-") as workdir:
        qcow2 = make_qcow2(workdir, size)
        figures: dict = {"size_gib": args.size_gib, "load_avg": os.getloadavg()[0]}
        figures.update(by_hand(qcow2, workdir))
        figures["pipeline"] = pipeline_phases(qcow2, workdir)
        with load.cloud(env=PLUGINS) as cloud:
            figures["large"] = large_import(cloud, qcow2)
            print(json.dumps(figures), file=sys.stderr, flush=True)
            figures["rate"] = task_rate(cloud, workdir, args.small, args.concurrency)
    floor = figures["qemu_img_convert_s"] + figures["md5_sha512_s"]
    import_s = figures["large"]["import_s"]
    figures["import_over_qemu_img"] = round(import_s / figures["qemu_img_convert_s"], 2)
    figures["import_over_convert_and_hash"] = round(import_s / floor, 2)
    print(json.dumps(figures, indent=None if args.json else 2))
    return 0
