"""Interoperable import end to end: glance-direct and web-download with conversion."""

from __future__ import annotations

import subprocess

from tests.functional.image_tasks.conftest import get, sha512, wait_task


def test_info_import_lists_enabled_methods(tapi) -> None:
    methods = tapi.http.get("/v2/info/import").json()["import-methods"]["value"]
    assert methods == ["glance-direct", "web-download", "copy-image"]


def test_glance_direct_qcow2_is_converted_to_raw(tapi, disks, tmp_path) -> None:
    image = tapi.create(name="gd", disk_format="qcow2")
    resp = tapi.http.put(
        f"/v2/images/{image['id']}/stage",
        content=(disks / "disk.qcow2").read_bytes(),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert resp.status_code == 204, resp.text
    assert get(tapi, image["id"])["status"] == "uploading"
    resp = tapi.http.post(
        f"/v2/images/{image['id']}/import", json={"method": {"name": "glance-direct"}}
    )
    assert resp.status_code == 202, resp.text
    task = wait_task(tapi, image["id"])
    assert task["status"] == "success", task
    done = get(tapi, image["id"])
    by_hand = tmp_path / "by-hand.raw"
    subprocess.run(
        [
            "qemu-img",
            "convert",
            "-f",
            "qcow2",
            "-O",
            "raw",
            str(disks / "disk.qcow2"),
            str(by_hand),
        ],
        check=True,
    )
    assert done["status"] == "active"
    assert done["disk_format"] == "raw"
    assert done["virtual_size"] == 8 * 1024 * 1024
    assert done["os_hash_value"] == sha512(by_hand)
    assert done["os_glance_original_disk_format"] == "qcow2"
    assert done["injected_by"] == "kilocloud"
    assert "os_glance_import_task" not in done
    data = tapi.http.get(f"/v2/images/{image['id']}/file").content
    assert data == by_hand.read_bytes()


def test_web_download_of_vmdk(tapi, web) -> None:
    image = tapi.create(name="wd", disk_format="vmdk")
    body = {"method": {"name": "web-download", "uri": f"{web}/disk.vmdk"}}
    resp = tapi.http.post(f"/v2/images/{image['id']}/import", json=body)
    assert resp.status_code == 202, resp.text
    task = wait_task(tapi, image["id"])
    assert task["status"] == "success", task
    done = get(tapi, image["id"])
    assert (done["status"], done["disk_format"], done["virtual_size"]) == ("active", "raw", 8 << 20)
