"""copy-image and multi-store import on a cloud with two file stores."""

from __future__ import annotations

import os
import shutil

import httpx
import pytest

from tests.functional.image.conftest import ImageAPI
from tests.functional.image_tasks.conftest import TASK_CONFIG, get, wait_task


@pytest.fixture(scope="module")
def mapi(cloud_factory):  # noqa: ANN001, ANN201
    config = {k: dict(v) for k, v in TASK_CONFIG.items()}
    config["DEFAULT"]["enabled_backends"] = "fast:file,slow:file"
    config["glance_store"] = {"default_backend": "fast"}
    cloud = cloud_factory(config=config)
    return ImageAPI(cloud, cloud.admin_token())


def _uploaded(api: ImageAPI, disks) -> dict:  # noqa: ANN001
    image = api.create(name="to-copy", disk_format="qcow2")
    assert api.upload(image["id"], (disks / "disk.qcow2").read_bytes()).status_code == 204
    return get(api, image["id"])


def test_copy_image_adds_a_store_and_keeps_the_image_active(mapi, disks):
    image = _uploaded(mapi, disks)
    assert image["stores"] == "fast"
    body = {"method": {"name": "copy-image"}, "stores": ["slow"]}
    assert mapi.http.post(f"/v2/images/{image['id']}/import", json=body).status_code == 202
    assert get(mapi, image["id"])["status"] == "active"
    task = wait_task(mapi, image["id"])
    assert task["status"] == "success", task
    copied = get(mapi, image["id"])
    assert copied["stores"] == "fast,slow"
    assert copied["os_hash_value"] == image["os_hash_value"]
    assert "os_glance_importing_to_stores" not in copied


def test_copy_to_a_store_that_has_it_conflicts(mapi, disks):
    image = _uploaded(mapi, disks)
    body = {"method": {"name": "copy-image"}, "stores": ["fast"]}
    assert mapi.http.post(f"/v2/images/{image['id']}/import", json=body).status_code == 409


def test_copy_image_is_for_admins(mapi, disks):
    image = _uploaded(mapi, disks)
    user = mapi.cloud.new_project_user("member")
    http = httpx.Client(base_url=f"{mapi.cloud.url}/image", headers={"X-Auth-Token": user.token()})
    mine = http.post("/v2/images", json={"disk_format": "raw", "container_format": "bare"}).json()
    http.put(
        f"/v2/images/{mine['id']}/file",
        content=b"x" * 512,
        headers={"Content-Type": "application/octet-stream"},
    )
    body = {"method": {"name": "copy-image"}, "all_stores": True}
    assert http.post(f"/v2/images/{mine['id']}/import", json=body).status_code == 403
    assert image["status"] == "active"


def test_web_download_to_all_stores(mapi, web):
    image = mapi.create(name="everywhere", disk_format="vhdx")
    body = {"method": {"name": "web-download", "uri": f"{web}/disk.vhdx"}, "all_stores": True}
    assert mapi.http.post(f"/v2/images/{image['id']}/import", json=body).status_code == 202
    task = wait_task(mapi, image["id"])
    assert task["status"] == "success", task
    done = get(mapi, image["id"])
    assert set(done["stores"].split(",")) == {"fast", "slow"} and done["disk_format"] == "raw"


def test_sdk_copy_image(mapi, disks):
    image = _uploaded(mapi, disks)
    conn = mapi.cloud.connect()
    conn.image.import_image(conn.image.get_image(image["id"]), method="copy-image", stores=["slow"])
    task = wait_task(mapi, image["id"])
    assert task["status"] == "success", task
    assert get(mapi, image["id"])["stores"] == "fast,slow"


def test_all_stores_must_succeed_decides_what_a_failing_store_does(cloud_factory, web):
    config = {k: dict(v) for k, v in TASK_CONFIG.items()}
    config["DEFAULT"]["enabled_backends"] = "fast:file,broken:file"
    config["glance_store"] = {"default_backend": "fast"}
    cloud = cloud_factory(config=config)
    api = ImageAPI(cloud, cloud.admin_token())
    # the stores (and their folders) are made on first use: use them, then break one
    assert api.http.get("/v2/info/stores").status_code == 200
    shutil.rmtree(cloud.state_dir / "images" / "broken")  # writes to that store now fail
    method = {"name": "web-download", "uri": f"{web}/disk.raw"}
    lenient = api.create(name="lenient", disk_format="raw")
    body = {"method": method, "all_stores": True, "all_stores_must_succeed": False}
    assert api.http.post(f"/v2/images/{lenient['id']}/import", json=body).status_code == 202
    assert wait_task(api, lenient["id"])["status"] == "success"
    done = get(api, lenient["id"])
    assert (done["status"], done["stores"], done["os_glance_failed_import"]) == (
        "active",
        "fast",
        "broken",
    )
    strict = api.create(name="strict", disk_format="raw")
    body = {"method": method, "all_stores": True}
    assert api.http.post(f"/v2/images/{strict['id']}/import", json=body).status_code == 202
    task = wait_task(api, strict["id"])
    assert task["status"] == "failure" and "broken" in task["message"]
    assert get(api, strict["id"])["status"] == "queued"
    assert strict["id"] not in os.listdir(cloud.state_dir / "images" / "fast")
