"""`python -m bench image`: image data throughput and peak memory, metadata requests per second.

Beside the server's figures it measures, on the same file, the machine's own md5sum and
sha512sum, and (when nginx is installed) a static file sent by nginx with sendfile to curl.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time

import httpx

from bench import load
from bench.identity import identity_url, issue_token, password_auth

TARGETS = {"upload_mb_s": 170.0, "download_mb_s": 2000.0}
MB = 1 << 20


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Options of the image benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench image", description=__doc__)
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the image uploaded")
    parser.add_argument("--images", type=int, default=1000, help="images in the listed cloud")
    parser.add_argument("--deletes", type=int, default=500, help="images deleted at c=1")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per load test")
    parser.add_argument("--concurrency", type=int, default=8, help="connections kept open")
    parser.add_argument("--processes", type=int, default=1, help="load generator processes")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def make_file(directory: str, size_mb: int) -> str:
    """A file of `size_mb` MiB of random bytes."""
    path = os.path.join(directory, "image.raw")
    block = os.urandom(4 * MB)
    with open(path, "wb") as f:
        for _ in range(size_mb // 4):
            f.write(block[:-1] + os.urandom(1))  # every block differs: no dedup anywhere
    return path


def timed(cmd: list[str]) -> float:
    """Seconds `cmd` takes, output dropped; raises if it fails."""
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def local_tools(path: str, size_mb: int) -> dict[str, float]:
    """MB/s of md5sum and sha512sum on the file (read from the page cache)."""
    timed(["cat", path])
    return {
        "md5sum_mb_s": round(size_mb / timed(["md5sum", path]), 1),
        "sha512sum_mb_s": round(size_mb / timed(["sha512sum", path]), 1),
    }


def nginx_sendfile(path: str, size_mb: int) -> float | None:
    """MB/s of nginx (sendfile on) sending the file to curl over loopback; None without nginx."""
    nginx = shutil.which("nginx") or (os.path.exists("/usr/sbin/nginx") and "/usr/sbin/nginx")
    if not nginx:
        return None
    port = load.free_port()
    root = os.path.dirname(path)
    os.chmod(root, 0o755)  # nginx workers drop to an unprivileged user
    os.chmod(path, 0o644)
    conf = os.path.join(root, "nginx.conf")
    with open(conf, "w") as f:
        f.write(
            f"daemon off; worker_processes 1; pid {root}/nginx.pid; error_log {root}/nginx.log;"
            f"events {{}} http {{ access_log off; sendfile on; server {{ listen 127.0.0.1:{port};"
            f" root {root}; }} }}"
        )
    proc = subprocess.Popen([nginx, "-c", conf, "-p", root], stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        url = f"http://127.0.0.1:{port}/{os.path.basename(path)}"
        return round(size_mb / timed(["curl", "-sf", "-o", "/dev/null", url]), 1)
    finally:
        proc.terminate()
        proc.wait()


def peak_rss_mb(cloud: load.Cloud) -> float:
    """The server process's peak resident memory (VmHWM) in MiB."""
    with open(f"/proc/{cloud.process.pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM line")


def data_path(cloud: load.Cloud, token: str, path: str, size_mb: int) -> dict[str, float]:
    """Upload and download of `path` with curl: MB/s, and peak RSS before and after."""
    base = f"{cloud.url}/image/v2/images"
    headers = {"X-Auth-Token": token}
    body = {"name": "bench", "disk_format": "raw", "container_format": "bare"}
    image = httpx.post(base, json=body, headers=headers).json()
    url = f"{base}/{image['id']}/file"
    rss_before = peak_rss_mb(cloud)
    auth = ["-H", f"X-Auth-Token: {token}"]
    octets = ["-H", "Content-Type: application/octet-stream"]
    up = timed(["curl", "-sf", "-T", path, *auth, *octets, url])
    down = timed(["curl", "-sf", "-o", "/dev/null", *auth, url])
    stored = httpx.get(f"{base}/{image['id']}", headers=headers).json()
    assert stored["size"] == size_mb * MB, stored
    return {
        "upload_mb_s": round(size_mb / up, 1),
        "download_mb_s": round(size_mb / down, 1),
        "peak_rss_before_mb": round(rss_before, 1),
        "peak_rss_after_mb": round(peak_rss_mb(cloud), 1),
    }


def metadata(cloud: load.Cloud, token: str, args: argparse.Namespace) -> dict[str, dict]:
    """Requests/s of listing 25 of `args.images` images, showing them in turn, creating
    images, and deleting `args.deletes` of them one at a time."""
    base = f"{cloud.url}/image"
    headers = {"X-Auth-Token": token}
    body = json.dumps({"name": "m", "disk_format": "raw", "container_format": "bare"}).encode()
    with httpx.Client(headers=headers) as client:
        ids = [
            client.post(f"{base}/v2/images", content=body, headers=_JSON).json()["id"]
            for _ in range(args.images + args.deletes)
        ]
    doomed, ids = ids[: args.deletes], ids[args.deletes :]
    figures = {
        "list": load.measured(
            cloud, base, [load.Request("GET", "/v2/images?limit=25", headers)], args
        ),
        "show": load.measured(
            cloud, base, [load.Request("GET", f"/v2/images/{i}", headers) for i in ids], args
        ),
        "create": load.measured(
            cloud, base, [load.Request("POST", "/v2/images", {**headers, **_JSON}, body)], args
        ),
    }
    deletes = [load.Request("DELETE", f"/v2/images/{i}", headers) for i in doomed]
    figures["delete"] = load.measured(cloud, base, deletes, args, concurrency=1, once=True)
    return figures


_JSON = {"Content-Type": "application/json"}


def measure(args: argparse.Namespace) -> dict:
    """Every figure of this benchmark."""
    figures: dict = {"load_average": os.getloadavg()[0], "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="kc-bench-image-") as tmp:
        path = make_file(tmp, args.size_mb)
        figures.update(local_tools(path, args.size_mb))
        figures["nginx_sendfile_mb_s"] = nginx_sendfile(path, args.size_mb)
        with load.cloud() as cloud:
            token = issue_token(identity_url(cloud.openrc()), password_auth(cloud.openrc()))
            figures.update(data_path(cloud, token, path, args.size_mb))
            figures.update(metadata(cloud, token, args))
    return figures


def report(figures: dict, args: argparse.Namespace) -> str:
    """The figures as text, each target marked met or missed."""
    lines = [f"machine            {figures['cpus']} CPUs, load {figures['load_average']:.2f}"]
    for name in ("md5sum_mb_s", "sha512sum_mb_s", "nginx_sendfile_mb_s"):
        lines.append(f"{name:<18} {figures[name]}")
    # on a busy machine the ratios to the local tools say more than the absolute rates
    beside = {"upload_mb_s": "sha512sum_mb_s", "download_mb_s": "nginx_sendfile_mb_s"}
    for name, other in beside.items():
        met = "met" if figures[name] > TARGETS[name] else "MISSED"
        ratio = f", {figures[name] / figures[other]:.0%} of {other}" if figures[other] else ""
        lines.append(f"{name:<18} {figures[name]}  (target > {TARGETS[name]:g}: {met}{ratio})")
    lines.append(
        f"peak RSS           {figures['peak_rss_before_mb']} MiB before the "
        f"{args.size_mb} MiB image, {figures['peak_rss_after_mb']} MiB after"
    )
    for name in ("list", "show", "create", "delete"):
        f = figures[name]
        concurrency = 1 if name == "delete" else args.concurrency
        lines.append(
            f"{name:<6} c={concurrency:<3}   {f['requests_per_s']} req/s  "
            f"median {f['median_ms']} ms  p99 {f['p99_ms']} ms  errors {f['errors']}  "
            f"server CPU {f['server_cpu_us_per_req']} us/req"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures."""
    args = parse_args(argv)
    figures = measure(args)
    print(json.dumps(figures, indent=2) if args.json else report(figures, args))
    return 0
