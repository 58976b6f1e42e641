"""An upload cut by kill -9 leaves nothing stuck: after a restart the image is queued again, its
partial data is gone, and a new upload succeeds; an upload whose process died elsewhere is
reclaimed once its heartbeat is older than the lease."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import Cloud

MB = 1 << 20
TOTAL = 64 * MB


@pytest.fixture
def crash_cloud(tmp_path: Path) -> Iterator[Cloud]:
    """A cloud of its own (it is killed), whose leases last 3 seconds."""
    cloud = Cloud(tmp_path, {"task": {"lease_seconds": "3"}})
    cloud.start()
    yield cloud
    cloud.stop()


def _api(cloud: Cloud) -> httpx.Client:
    headers = {"X-Auth-Token": cloud.admin_token()}
    return httpx.Client(base_url=cloud.url + "/image/v2", headers=headers, timeout=60)


def _trickle(sent: list[int]) -> Iterator[bytes]:
    """TOTAL bytes of zeros, slowly: the upload is still running when the server dies."""
    while sent[0] < TOTAL:
        sent[0] += MB
        time.sleep(0.25)
        yield b"\0" * MB


def _leftovers(cloud: Cloud, image_id: str) -> list[str]:
    found = []
    for area in ("images/file", "staging"):
        folder = cloud.state_dir / area
        if folder.exists():
            found += [name for name in os.listdir(folder) if name.startswith(image_id)]
    return found


def _kill_mid_upload(cloud: Cloud, url: str, want: str) -> None:
    """PUT a slow body to `url` and kill -9 the server once half of it is on disk."""
    sent = [0]
    headers = {"X-Auth-Token": cloud.admin_token(), "Content-Type": "application/octet-stream"}

    def put() -> None:
        with contextlib.suppress(httpx.HTTPError):  # the server dies under it
            httpx.put(url, content=_trickle(sent), headers=headers, timeout=60)

    thread = threading.Thread(target=put)
    thread.start()
    while sent[0] < TOTAL // 2:
        time.sleep(0.05)
    with _api(cloud) as api:
        image_id = url.split("/")[-2]
        assert api.get(f"/images/{image_id}").json()["status"] == want
    assert _leftovers(cloud, image_id)
    cloud.process.kill()
    cloud.process.wait()
    thread.join()


@pytest.mark.parametrize(("path", "during"), [("file", "saving"), ("stage", "uploading")])
def test_upload_killed_half_way_is_queued_again_after_restart(crash_cloud, path, during):
    with _api(crash_cloud) as api:
        image = api.post("/images", json={"disk_format": "raw", "container_format": "bare"}).json()
    _kill_mid_upload(crash_cloud, f"{crash_cloud.url}/image/v2/images/{image['id']}/{path}", during)
    crash_cloud.start()
    with _api(crash_cloud) as api:
        shown = api.get(f"/images/{image['id']}").json()
        assert shown["status"] == "queued", shown
        assert _leftovers(crash_cloud, image["id"]) == []
        resp = api.put(
            f"/images/{image['id']}/file",
            content=b"\0" * MB,
            headers={"Content-Type": "application/octet-stream"},
        )
        assert resp.status_code == 204, resp.text
        assert api.get(f"/images/{image['id']}").json()["status"] == "active"


def test_upload_of_a_process_dead_elsewhere_is_reclaimed_after_the_lease(crash_cloud):
    with _api(crash_cloud) as api:
        image = api.post("/images", json={"disk_format": "raw", "container_format": "bare"}).json()
    partial = crash_cloud.state_dir / "images" / "file" / f"{image['id']}.part"
    partial.write_bytes(b"\0" * MB)
    with sqlite3.connect(crash_cloud.state_dir / "kilocloud.db") as db:
        db.execute("UPDATE images SET status = 'saving' WHERE id = ?", (image["id"],))
        db.execute(
            "INSERT INTO image_uploads (image_id, kind, store, runner, heartbeat_at) "
            "VALUES (?, 'file', 'file', 'elsewhere:1:abcd', CURRENT_TIMESTAMP)",
            (image["id"],),
        )
    deadline = time.monotonic() + 20
    with _api(crash_cloud) as api:
        while time.monotonic() < deadline:
            if api.get(f"/images/{image['id']}").json()["status"] == "queued":
                break
            time.sleep(0.2)
        assert api.get(f"/images/{image['id']}").json()["status"] == "queued"
    assert not partial.exists()
