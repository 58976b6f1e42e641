"""An upload the store fails to write leaves the image queued (Glance v2 never kills it)."""

from __future__ import annotations

import io
import os

import pytest
from glanceclient import Client
from glanceclient import exc as glance_exc

from tests.conftest import free_port
from tests.functional.image.conftest import ImageAPI


@pytest.fixture(scope="module")
def flaky(cloud_factory) -> ImageAPI:  # noqa: ANN001
    """A cloud whose `down` store is an S3 endpoint nobody listens on."""
    config = {
        "DEFAULT": {"enabled_backends": "up:file,down:s3"},
        "glance_store": {"default_backend": "up"},
        "down": {
            "s3_store_host": f"http://127.0.0.1:{free_port()}",
            "s3_store_access_key": "k",
            "s3_store_secret_key": "s",
        },
    }
    cloud = cloud_factory(config=config)
    return ImageAPI(cloud, cloud.admin_token())


def test_store_write_error_is_503_and_the_image_stays_queued(flaky: ImageAPI) -> None:
    image = flaky.create(name="unlucky")
    resp = flaky.upload(image["id"], b"data" * 1000, **{"X-Image-Meta-Store": "down"})
    assert resp.status_code == 503
    assert resp.json()["title"] == "Service Unavailable"
    shown = flaky.http.get(f"/v2/images/{image['id']}").json()
    assert shown["status"] == "queued" and shown["size"] is None
    assert flaky.upload(image["id"], b"data" * 1000).status_code == 204
    shown = flaky.http.get(f"/v2/images/{image['id']}").json()
    assert shown["status"] == "active" and shown["stores"] == "up"


def test_glanceclient_upload_retried_after_the_store_failed(flaky: ImageAPI) -> None:
    glance = Client("2", session=flaky.cloud.admin_session())
    image = glance.images.create(name="retry", disk_format="raw", container_format="bare")
    with pytest.raises(glance_exc.HTTPServiceUnavailable):
        glance.images.upload(image.id, io.BytesIO(b"x" * 4096), backend="down")
    assert glance.images.get(image.id).status == "queued"
    glance.images.upload(image.id, io.BytesIO(b"x" * 4096), backend="up")
    shown = glance.images.get(image.id)
    assert shown.status == "active" and shown.size == 4096


def test_full_disk_while_staging_is_413_and_the_server_keeps_serving(api: ImageAPI) -> None:
    image = api.create(name="full")
    # the staged file is where /stage writes: pointed at /dev/full, every write is ENOSPC
    staged = api.cloud.state_dir / "staging" / image["id"]
    staged.parent.mkdir(mode=0o700, exist_ok=True)
    os.symlink("/dev/full", staged)
    resp = api.http.put(
        f"/v2/images/{image['id']}/stage",
        content=b"x" * (5 << 20),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert resp.status_code == 413, resp.text
    assert resp.json()["message"].startswith("Image storage media is full")
    assert not os.path.lexists(staged)
    assert api.http.get(f"/v2/images/{image['id']}").json()["status"] == "queued"
    assert api.upload(image["id"], b"x" * 4096).status_code == 204
