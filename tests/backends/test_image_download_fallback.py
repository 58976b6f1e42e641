"""A download falls back to the next store when the first one is down or lost the object."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from tests.backends.test_image_stores import _s3_client, moto_server, s3_config
from tests.functional.image.conftest import ImageAPI
from tests.functional.image_tasks.conftest import wait_task


@pytest.fixture(scope="module")
def moto() -> Iterator[tuple[subprocess.Popen, str]]:
    """A moto S3 server of this module's own, so that a test may stop it."""
    with moto_server() as server:
        yield server


@pytest.fixture(scope="module")
def api(cloud_factory, moto: tuple[subprocess.Popen, str]) -> ImageAPI:  # noqa: ANN001
    """Admin on a cloud whose default store `cold` is S3, with a file store `warm` beside it."""
    config = {
        "DEFAULT": {"enabled_backends": "cold:s3,warm:file"},
        "glance_store": {"default_backend": "cold"},
        "cold": s3_config(moto[1], "cold-images"),
    }
    cloud = cloud_factory(config=config)
    return ImageAPI(cloud, cloud.admin_token())


def _in_both_stores(api: ImageAPI, data: bytes) -> str:
    image = api.create(name="cold and warm")
    assert api.upload(image["id"], data).status_code == 204
    body = {"method": {"name": "copy-image"}, "stores": ["warm"]}
    assert api.http.post(f"/v2/images/{image['id']}/import", json=body).status_code == 202
    assert wait_task(api, image["id"])["status"] == "success"
    assert api.http.get(f"/v2/images/{image['id']}").json()["stores"] == "cold,warm"
    return image["id"]


def test_object_missing_from_s3_is_served_from_the_file_store(
    api: ImageAPI, moto: tuple[subprocess.Popen, str]
) -> None:
    data = os.urandom(1 << 20)
    image_id = _in_both_stores(api, data)
    _s3_client(moto[1]).delete_object(Bucket="cold-images", Key=image_id)
    resp = api.http.get(f"/v2/images/{image_id}/file")
    assert resp.status_code == 200 and resp.content == data


def test_unreachable_s3_store_is_skipped_for_the_next_one(
    api: ImageAPI, moto: tuple[subprocess.Popen, str]
) -> None:
    data = os.urandom(1 << 20)
    image_id = _in_both_stores(api, data)
    moto[0].terminate()
    moto[0].wait(10)
    resp = api.http.get(f"/v2/images/{image_id}/file", headers={"Range": "bytes=10-"})
    assert resp.status_code == 206 and resp.content == data[10:]
