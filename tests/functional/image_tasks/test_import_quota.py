"""user_storage_quota holds for imports (glance-direct, web-download) as for uploads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.functional.image.conftest import ImageAPI
from tests.functional.image_tasks.conftest import TASK_CONFIG, get, serve, wait_task

KB = 1024


@pytest.fixture(scope="module")
def quota_cloud(cloud_factory):  # noqa: ANN001, ANN201
    """A cloud where each project may store 20 KB of image data."""
    config = {k: dict(v) for k, v in TASK_CONFIG.items()}
    config["DEFAULT"]["user_storage_quota"] = "20KB"
    return cloud_factory(config=config)


@pytest.fixture
def user_api(quota_cloud) -> ImageAPI:  # noqa: ANN001
    """A member of a fresh project, so that each test starts with the whole quota."""
    return ImageAPI(quota_cloud, quota_cloud.new_project_user().token())


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An HTTP server on loopback with a 12 KB raw disk at /12k.raw."""
    root: Path = tmp_path_factory.mktemp("quota-web")
    (root / "12k.raw").write_bytes(b"\0" * (12 * KB))
    server, url = serve(root)
    yield url
    server.shutdown()


def _stored_image(api: ImageAPI, size: int) -> str:
    image = api.create(name="stored")
    assert api.upload(image["id"], b"\0" * size).status_code == 204
    return image["id"]


def _import(api: ImageAPI, image_id: str, method: dict) -> dict:
    resp = api.http.post(f"/v2/images/{image_id}/import", json={"method": method})
    assert resp.status_code == 202, resp.text
    return wait_task(api, image_id)


def test_glance_direct_import_over_the_quota_fails_and_leaves_the_image_queued(user_api):
    _stored_image(user_api, 12 * KB)
    image = user_api.create(name="staged")
    staged = user_api.http.put(
        f"/v2/images/{image['id']}/stage",
        content=b"\0" * (12 * KB),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert staged.status_code == 204
    task = _import(user_api, image["id"], {"name": "glance-direct"})
    assert task["status"] == "failure" and "quota" in task["message"]
    shown = get(user_api, image["id"])
    assert shown["status"] == "queued" and "stores" not in shown


def test_web_download_over_the_quota_fails(user_api, files):
    _stored_image(user_api, 12 * KB)
    image = user_api.create(name="fetched")
    task = _import(user_api, image["id"], {"name": "web-download", "uri": f"{files}/12k.raw"})
    assert task["status"] == "failure" and "quota" in task["message"]
    assert get(user_api, image["id"])["status"] == "queued"


def test_imported_data_counts_against_later_uploads(user_api, files):
    image = user_api.create(name="fits")
    task = _import(user_api, image["id"], {"name": "web-download", "uri": f"{files}/12k.raw"})
    assert task["status"] == "success", task
    assert get(user_api, image["id"])["size"] == 12 * KB
    late = user_api.create(name="late")
    assert user_api.upload(late["id"], b"\0" * (12 * KB)).status_code == 413
    assert user_api.upload(late["id"], b"\0" * (6 * KB)).status_code == 204
