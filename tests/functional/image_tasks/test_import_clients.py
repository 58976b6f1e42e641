"""Import through the real clients: openstacksdk and the `openstack` CLI."""

from __future__ import annotations

import time

from tests.functional.image_tasks.conftest import docker_tarball, get, wait_task


def _active(conn, image_id: str, timeout: float = 60):  # noqa: ANN202
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        image = conn.image.get_image(image_id)
        if image.status in ("active", "queued") and not image.properties.get(
            "os_glance_import_task"
        ):
            return image
        time.sleep(0.3)
    raise AssertionError(f"image {image_id} still {image.status}")


def test_sdk_stage_and_import_glance_direct(task_cloud, disks):
    conn = task_cloud.connect()
    image = conn.image.create_image(name="sdk-gd", disk_format="vhdx", container_format="bare")
    conn.image.stage_image(image, filename=str(disks / "disk.vhdx"))
    assert conn.image.get_image(image.id).status == "uploading"
    conn.image.import_image(image, method="glance-direct")
    done = _active(conn, image.id)
    assert (done.status, done.disk_format, done.virtual_size) == ("active", "raw", 8 << 20)


def test_sdk_import_web_download(task_cloud, web):
    conn = task_cloud.connect()
    image = conn.image.create_image(name="sdk-wd", disk_format="qcow2", container_format="bare")
    conn.image.import_image(image, method="web-download", uri=f"{web}/disk.qcow2")
    done = _active(conn, image.id)
    assert (done.status, done.disk_format) == ("active", "raw")


def test_sdk_create_image_with_use_import(task_cloud, disks):
    conn = task_cloud.connect()
    image = conn.image.create_image(
        name="sdk-use-import",
        filename=str(disks / "disk.qcow2"),
        disk_format="qcow2",
        container_format="bare",
        use_import=True,
        wait=True,
        timeout=120,
    )
    assert _active(conn, image.id).status == "active"


def test_cli_image_create_import_and_image_import(task_cloud, disks, web):
    created = task_cloud.cli_json(
        "image",
        "create",
        "--import",
        "--disk-format",
        "qcow2",
        "--container-format",
        "bare",
        "--file",
        str(disks / "disk.qcow2"),
        "cli-import",
    )
    conn = task_cloud.connect()
    assert _active(conn, created["id"]).status == "active"
    # `image create` without --file would upload the test's standard input: make it with the sdk
    queued = conn.image.create_image(name="cli-wd", disk_format="vmdk", container_format="bare")
    task_cloud.cli(
        "image", "import", "--method", "web-download", "--uri", f"{web}/disk.vmdk", queued.id
    )
    done = _active(conn, queued.id)
    assert (done.status, done.virtual_size) == ("active", 8 << 20)


def test_docker_tarball_gets_its_properties(tapi, tmp_path):
    image = tapi.create(name="container", disk_format="raw", container_format="docker")
    tarball = docker_tarball(tmp_path / "app.tar")
    headers = {"Content-Type": "application/octet-stream"}
    assert (
        tapi.http.put(
            f"/v2/images/{image['id']}/stage", content=tarball.read_bytes(), headers=headers
        ).status_code
        == 204
    )
    assert (
        tapi.http.post(
            f"/v2/images/{image['id']}/import", json={"method": {"name": "glance-direct"}}
        ).status_code
        == 202
    )
    task = wait_task(tapi, image["id"])
    assert task["status"] == "success", task
    done = get(tapi, image["id"])
    assert done["architecture"] == "x86_64" and done["os_type"] == "linux"
    assert done["docker_entrypoint"] == '["/bin/app"]' and done["docker_cmd"] == '["--serve"]'
    assert done["docker_exposed_ports"] == "80/tcp" and done["docker_layers"] == "1"
    assert done["docker_image_digest"].startswith("sha256:")
    assert done["container_format"] == "docker"


def test_a_docker_image_that_is_not_a_tarball_is_refused(tapi, disks):
    image = tapi.create(name="not-container", disk_format="raw", container_format="docker")
    headers = {"Content-Type": "application/octet-stream"}
    tapi.http.put(
        f"/v2/images/{image['id']}/stage",
        content=(disks / "disk.qcow2").read_bytes(),
        headers=headers,
    )
    tapi.http.post(f"/v2/images/{image['id']}/import", json={"method": {"name": "glance-direct"}})
    task = wait_task(tapi, image["id"])
    assert task["status"] == "failure" and "tar" in task["message"]
    assert get(tapi, image["id"])["status"] == "queued"
