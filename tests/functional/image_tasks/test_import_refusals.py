"""Malicious or malformed imports end in failure: task failed, image not active, no data kept."""

from __future__ import annotations

import os
import time

import pytest

from tests.functional.image.conftest import ImageAPI
from tests.functional.image_tasks.conftest import get, wait_task


def _stage_and_import(api, path, disk_format: str) -> tuple[dict, dict]:
    image = api.create(name="bad", disk_format=disk_format)
    resp = api.http.put(
        f"/v2/images/{image['id']}/stage",
        content=path.read_bytes(),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert resp.status_code == 204, resp.text
    resp = api.http.post(
        f"/v2/images/{image['id']}/import", json={"method": {"name": "glance-direct"}}
    )
    assert resp.status_code == 202, resp.text
    return wait_task(api, image["id"]), get(api, image["id"])


def _assert_refused(task: dict, image: dict, state_dir, words: str) -> None:
    assert task["status"] == "failure"
    assert words in task["message"]
    assert image["status"] == "queued"
    assert image["os_glance_failed_import"]
    assert image["size"] is None or image["checksum"] is None
    assert "os_glance_import_task" not in image
    assert image["id"] not in os.listdir(state_dir / "images" / "file")
    assert not [n for n in os.listdir(state_dir / "staging") if n.startswith(image["id"])]


@pytest.mark.parametrize(
    ("name", "declared", "words"),
    [
        ("backing.qcow2", "qcow2", "backing_file"),
        ("datafile.qcow2", "qcow2", "data_file"),
        ("disk.raw", "qcow2", "not the declared disk_format"),
        ("disk.qcow2", "raw", "not the declared disk_format"),
        ("disk.vmdk", "vhdx", "not the declared disk_format"),
    ],
)
def test_unsafe_or_mismatched_data_is_refused(tapi, task_cloud, disks, name, declared, words):
    task, image = _stage_and_import(tapi, disks / name, declared)
    _assert_refused(task, image, task_cloud.state_dir, words)


def _web_download(api, uri: str) -> tuple[dict, dict]:
    image = api.create(name="wd-bad", disk_format="raw")
    body = {"method": {"name": "web-download", "uri": uri}}
    resp = api.http.post(f"/v2/images/{image['id']}/import", json=body)
    assert resp.status_code == 202, resp.text
    return wait_task(api, image["id"]), get(api, image["id"])


def test_redirect_to_a_disallowed_address_is_refused(tapi, task_cloud, web):
    task, image = _web_download(tapi, f"{web}/redirect?to=http://169.254.169.254/latest/meta-data")
    _assert_refused(task, image, task_cloud.state_dir, "non-public address")


def test_redirect_to_a_disallowed_scheme_is_refused(tapi, task_cloud, web):
    task, image = _web_download(tapi, f"{web}/redirect?to=file:///etc/passwd")
    _assert_refused(task, image, task_cloud.state_dir, "scheme 'file' is not allowed")


def test_gzip_bomb_download_is_stopped_at_the_size_cap(tapi, task_cloud, web):
    task, image = _web_download(tapi, f"{web}/bomb")
    _assert_refused(task, image, task_cloud.state_dir, "more than the size cap")


def test_web_download_of_a_missing_file_fails(tapi, task_cloud, web):
    task, image = _web_download(tapi, f"{web}/nothing-here")
    _assert_refused(task, image, task_cloud.state_dir, "HTTP 404")


def test_default_filters_refuse_a_loopback_url_at_once(cloud, web):
    api = ImageAPI(cloud, cloud.admin_token())
    image = api.create(name="wd-default", disk_format="raw")
    body = {"method": {"name": "web-download", "uri": f"{web}/disk.raw"}}
    resp = api.http.post(f"/v2/images/{image['id']}/import", json=body)
    assert resp.status_code == 400
    assert "Port" in resp.json()["message"]
    assert get(api, image["id"])["status"] == "queued"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 400),
        ({"method": "glance-direct"}, 400),
        ({"method": {"name": "nope"}}, 400),
        ({"method": {"name": "web-download"}}, 400),
        ({"method": {"name": "web-download", "uri": "ftp://example.com/x"}}, 400),
        ({"method": {"name": "web-download", "uri": "http://" + "a" * 3000 + ".org/x"}}, 400),
        ({"method": {"name": "glance-direct"}}, 409),
        ({"method": {"name": "glance-direct"}, "stores": ["nowhere"]}, 409),
        ({"method": {"name": "glance-direct"}, "stores": "file"}, 400),
        ({"method": {"name": "copy-image"}}, 400),
        (
            {"method": {"name": "web-download", "uri": "http://x"}, "all_stores_must_succeed": 1},
            400,
        ),
    ],
)
def test_bad_import_requests_get_4xx(tapi, body, status):
    image = tapi.create(name="bad-req")
    resp = tapi.http.post(f"/v2/images/{image['id']}/import", json=body)
    assert resp.status_code == status, resp.text


def test_stage_twice_conflicts_and_stage_needs_octet_stream(tapi):
    image = tapi.create(name="twice")
    url = f"/v2/images/{image['id']}/stage"
    octet = {"Content-Type": "application/octet-stream"}
    assert (
        tapi.http.put(url, content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415
    )
    assert tapi.http.put(url, content=b"x" * 10, headers=octet).status_code == 204
    assert tapi.http.put(url, content=b"x", headers=octet).status_code == 409
    assert (
        tapi.http.put(
            "/v2/images/00000000-0000-0000-0000-000000000000/stage", content=b"x", headers=octet
        ).status_code
        == 404
    )


def test_stage_over_the_size_cap_is_413_and_image_stays_queued(tapi):
    image = tapi.create(name="huge")
    resp = tapi.http.put(
        f"/v2/images/{image['id']}/stage",
        content=b"\0" * ((64 << 20) + 1),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert resp.status_code == 413
    assert get(tapi, image["id"])["status"] == "queued"


def test_deleting_a_staged_image_removes_its_staged_data(tapi, task_cloud):
    image = tapi.create(name="staged-then-deleted")
    headers = {"Content-Type": "application/octet-stream"}
    assert (
        tapi.http.put(
            f"/v2/images/{image['id']}/stage", content=b"s" * 4096, headers=headers
        ).status_code
        == 204
    )
    assert image["id"] in os.listdir(task_cloud.state_dir / "staging")
    assert tapi.http.delete(f"/v2/images/{image['id']}").status_code == 204
    deadline = time.monotonic() + 10
    while image["id"] in os.listdir(task_cloud.state_dir / "staging"):
        assert time.monotonic() < deadline, "staged data outlived its image"
        time.sleep(0.1)
