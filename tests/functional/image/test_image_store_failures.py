"""What a client sees when the store cannot keep or give back the data, as Glance answers."""

from __future__ import annotations

import os

import pytest

from tests.functional.image.conftest import ImageAPI


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
