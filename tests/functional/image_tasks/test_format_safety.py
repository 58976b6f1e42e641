"""Image data is inspected by what it is, whatever formats it declares: an unsafe qcow2 (backing
file on the host, external data file) never becomes active, uploaded or imported, under any
container or disk format; a real docker-save tarball (disk_format raw) still does."""

from __future__ import annotations

import os

import pytest

from tests.functional.image_tasks.conftest import docker_tarball, get, wait_task

DECLARED = [
    ("qcow2", "bare"),
    ("qcow2", "ovf"),
    ("qcow2", "docker"),
    ("qcow2", "ova"),
    ("ami", "ami"),
    ("ami", "bare"),
    ("ploop", "bare"),
    ("raw", "docker"),
    ("raw", "compressed"),
]
UNSAFE = [("backing.qcow2", "backing_file"), ("datafile.qcow2", "data_file")]


def _nothing_kept(cloud, image_id: str) -> None:
    for area in ("images/file", "staging"):
        folder = cloud.state_dir / area
        assert not folder.exists() or not [n for n in os.listdir(folder) if image_id in n]


@pytest.mark.parametrize(("disk_format", "container_format"), DECLARED)
@pytest.mark.parametrize(("name", "words"), UNSAFE)
def test_unsafe_qcow2_upload_is_refused(
    tapi, task_cloud, disks, name, words, disk_format, container_format
):  # noqa: E501
    image = tapi.create(name="evil", disk_format=disk_format, container_format=container_format)
    resp = tapi.upload(image["id"], (disks / name).read_bytes())
    assert resp.status_code == 400, resp.text
    assert words in resp.json()["message"]
    assert get(tapi, image["id"])["status"] == "queued"
    _nothing_kept(task_cloud, image["id"])


@pytest.mark.parametrize(("disk_format", "container_format"), DECLARED)
@pytest.mark.parametrize(("name", "words"), UNSAFE)
def test_unsafe_qcow2_import_is_refused(
    tapi, task_cloud, disks, name, words, disk_format, container_format
):  # noqa: E501
    image = tapi.create(name="evil", disk_format=disk_format, container_format=container_format)
    staged = tapi.http.put(
        f"/v2/images/{image['id']}/stage",
        content=(disks / name).read_bytes(),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert staged.status_code == 204, staged.text
    body = {"method": {"name": "glance-direct"}}
    assert tapi.http.post(f"/v2/images/{image['id']}/import", json=body).status_code == 202
    task = wait_task(tapi, image["id"])
    assert task["status"] == "failure" and words in task["message"], task
    assert get(tapi, image["id"])["status"] == "queued"
    _nothing_kept(task_cloud, image["id"])


@pytest.mark.parametrize(
    ("disk_format", "container_format", "words"),
    [
        ("ami", "ami", "not the declared disk_format ami"),
        ("raw", "docker", "not a docker image tarball"),
        ("vmdk", "ova", "not an OVA tarball"),
    ],
)
def test_plain_qcow2_declared_otherwise_is_refused(
    tapi, disks, disk_format, container_format, words
):  # noqa: E501
    image = tapi.create(name="liar", disk_format=disk_format, container_format=container_format)
    resp = tapi.upload(image["id"], (disks / "disk.qcow2").read_bytes())
    assert resp.status_code == 400, resp.text
    assert words in resp.json()["message"]


def test_docker_tarball_upload_and_import_become_active(tapi, tmp_path):
    data = docker_tarball(tmp_path / "app.tar").read_bytes()
    uploaded = tapi.create(name="app", disk_format="raw", container_format="docker")
    assert tapi.upload(uploaded["id"], data).status_code == 204
    shown = get(tapi, uploaded["id"])
    assert (shown["status"], shown["size"]) == ("active", len(data))
    imported = tapi.create(name="app", disk_format="raw", container_format="docker")
    headers = {"Content-Type": "application/octet-stream"}
    tapi.http.put(f"/v2/images/{imported['id']}/stage", content=data, headers=headers)
    body = {"method": {"name": "glance-direct"}}
    tapi.http.post(f"/v2/images/{imported['id']}/import", json=body)
    assert wait_task(tapi, imported["id"])["status"] == "success"
    assert get(tapi, imported["id"])["status"] == "active"
