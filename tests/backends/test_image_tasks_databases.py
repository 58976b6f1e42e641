"""Import and the tasks API on MariaDB and PostgreSQL, with jobs in the API process."""

from __future__ import annotations

import subprocess
import time

import pytest

from tests.functional.image.conftest import ImageAPI
from tests.functional.image_tasks.conftest import TASK_CONFIG, wait_task


@pytest.fixture(scope="module")
def qcow2(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A small qcow2 with some data."""
    d = tmp_path_factory.mktemp("db-disks")
    (d / "d.raw").write_bytes(b"k" * (1 << 20))
    subprocess.run(
        ["qemu-img", "convert", "-f", "raw", "-O", "qcow2", str(d / "d.raw"), str(d / "d.qcow2")],
        check=True,
    )
    return (d / "d.qcow2").read_bytes()


@pytest.mark.parametrize("backend", ["mariadb", "postgresql"])
def test_import_and_tasks_on(backend, cloud_factory, throwaway_database, qcow2):
    cloud = cloud_factory(throwaway_database(backend), TASK_CONFIG)
    api = ImageAPI(cloud, cloud.admin_token())
    image = api.create(name=f"on-{backend}", disk_format="qcow2")
    octets = {"Content-Type": "application/octet-stream"}
    assert (
        api.http.put(f"/v2/images/{image['id']}/stage", content=qcow2, headers=octets).status_code
        == 204
    )
    assert (
        api.http.post(
            f"/v2/images/{image['id']}/import", json={"method": {"name": "glance-direct"}}
        ).status_code
        == 202
    )
    task = wait_task(api, image["id"])
    assert task["status"] == "success", task
    done = api.http.get(f"/v2/images/{image['id']}").json()
    assert (done["status"], done["disk_format"], done["size"]) == ("active", "raw", 1 << 20)
    body = {"type": "convert", "input": {"image_id": image["id"], "disk_format": "qcow2"}}
    created = api.http.post("/v2/tasks", json=body)
    assert created.status_code == 201, created.text
    deadline = time.monotonic() + 60
    while (shown := api.http.get(f"/v2/tasks/{created.json()['id']}").json())["status"] in (
        "pending",
        "processing",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert shown["status"] == "success", shown
    listed = api.http.get("/v2/tasks", params={"status": "success", "limit": 1}).json()
    assert len(listed["tasks"]) == 1 and "next" in listed
