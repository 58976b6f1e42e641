"""What a client sees when the store cannot keep or give back the data, as Glance answers."""

from __future__ import annotations

import os

import pytest

from tests.functional.image.conftest import ImageAPI
from tests.functional.image.test_image_send import _sends
from tests.functional.image_tasks.conftest import wait_task


@pytest.fixture(scope="module")
def datadir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("images"))


@pytest.fixture(scope="module")
def fapi(cloud_factory, datadir: str) -> ImageAPI:  # noqa: ANN001
    """Admin on a single file-store cloud whose data directory the test can reach into."""
    cloud = cloud_factory(config={"glance_store": {"filesystem_store_datadir": datadir}})
    return ImageAPI(cloud, cloud.admin_token())


def test_upload_to_a_full_disk_is_413_and_the_image_stays_queued(
    fapi: ImageAPI, datadir: str
) -> None:
    image = fapi.create(name="no room")
    # the store writes to {id}.part: pointed at /dev/full, every write fails with ENOSPC
    os.symlink("/dev/full", os.path.join(datadir, f"{image['id']}.part"))
    resp = fapi.upload(image["id"], b"data" * 300_000)
    assert resp.status_code == 413, resp.text
    assert "Image storage media is full" in resp.json()["message"]
    shown = fapi.http.get(f"/v2/images/{image['id']}").json()
    assert shown["status"] == "queued" and shown["size"] is None
    assert not os.path.lexists(os.path.join(datadir, f"{image['id']}.part"))
    assert fapi.upload(image["id"], b"room again").status_code == 204
    assert fapi.http.get(f"/v2/images/{image['id']}/file").content == b"room again"


@pytest.mark.parametrize(
    "size", ["²".encode("latin-1"), "12³".encode("latin-1"), "①".encode(), "١٢".encode()]
)
def test_non_ascii_digits_as_declared_size_are_400(fapi: ImageAPI, size: bytes) -> None:
    # header bytes are read as latin-1: b"\xb2" is "²", a digit to str.isdigit() but not to int()
    image = fapi.create(name="odd size")
    resp = fapi.upload(image["id"], b"12", **{"x-openstack-image-size": size})
    assert resp.status_code == 400, resp.text
    assert "x-openstack-image-size" in resp.json()["message"]
    assert fapi.http.get(f"/v2/images/{image['id']}").json()["status"] == "queued"


def test_store_header_is_ignored_without_multistore(fapi: ImageAPI, datadir: str) -> None:
    image = fapi.create(name="single store")
    resp = fapi.upload(image["id"], b"one store", **{"X-Image-Meta-Store": "foo"})
    assert resp.status_code == 204, resp.text
    shown = fapi.http.get(f"/v2/images/{image['id']}").json()
    assert shown["status"] == "active" and "stores" not in shown
    assert os.path.exists(os.path.join(datadir, image["id"]))


def test_image_delete_removes_the_part_file_a_crashed_upload_left(
    fapi: ImageAPI, datadir: str
) -> None:
    image = fapi.create(name="crashed")
    partial = os.path.join(datadir, f"{image['id']}.part")
    with open(partial, "wb") as fh:  # what a kill -9 in the middle of an upload leaves
        fh.write(b"half an image")
    assert fapi.http.delete(f"/v2/images/{image['id']}").status_code == 204
    assert not os.path.exists(partial)


@pytest.fixture(scope="module")
def datadirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {name: str(tmp_path_factory.mktemp(name)) for name in ("first", "second")}


@pytest.fixture(scope="module")
def mapi(cloud_factory, datadirs: dict[str, str]) -> ImageAPI:  # noqa: ANN001
    """Admin on a cloud with two file stores, `first` the default."""
    config = {
        "DEFAULT": {"enabled_backends": "first:file,second:file"},
        "glance_store": {"default_backend": "first"},
    }
    for name, datadir in datadirs.items():
        config[name] = {"filesystem_store_datadir": datadir}
    cloud = cloud_factory(config=config)
    return ImageAPI(cloud, cloud.admin_token())


def _in_both_stores(api: ImageAPI, data: bytes) -> str:
    image = api.create(name="twice")
    assert api.upload(image["id"], data).status_code == 204
    body = {"method": {"name": "copy-image"}, "stores": ["second"]}
    assert api.http.post(f"/v2/images/{image['id']}/import", json=body).status_code == 202
    assert wait_task(api, image["id"])["status"] == "success"
    assert api.http.get(f"/v2/images/{image['id']}").json()["stores"] == "first,second"
    return image["id"]


def test_download_falls_back_to_the_next_store_when_the_first_lost_the_data(
    mapi: ImageAPI, datadirs: dict[str, str]
) -> None:
    data = os.urandom(3 << 20)
    image_id = _in_both_stores(mapi, data)
    os.unlink(os.path.join(datadirs["first"], image_id))
    resp = mapi.http.get(f"/v2/images/{image_id}/file")
    assert resp.status_code == 200 and resp.content == data
    [send] = _sends(mapi.cloud, mapi.cloud.admin_token(), image_id)
    assert send["priority"] == "INFO" and send["payload"]["bytes_sent"] == len(data)
    ranged = mapi.http.get(f"/v2/images/{image_id}/file", headers={"Range": "bytes=5-9"})
    assert ranged.status_code == 206 and ranged.content == data[5:10]


def test_download_when_no_store_has_the_data_is_204(
    mapi: ImageAPI, datadirs: dict[str, str]
) -> None:
    image_id = _in_both_stores(mapi, b"gone from both")
    for datadir in datadirs.values():
        os.unlink(os.path.join(datadir, image_id))
    resp = mapi.http.get(f"/v2/images/{image_id}/file")
    assert resp.status_code == 204 and resp.content == b""
