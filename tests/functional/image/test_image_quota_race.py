"""user_storage_quota rechecked once data is written: concurrent uploads cannot both fit."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from .conftest import ImageAPI

PART = 3000  # two parts make one upload: 6000 bytes fit the 10 KiB quota once, not twice


@pytest.fixture(scope="module")
def quota_cloud(cloud_factory):  # noqa: ANN001, ANN201
    return cloud_factory(config={"DEFAULT": {"user_storage_quota": "10KB"}})


@pytest.fixture
def owner(quota_cloud) -> ImageAPI:  # noqa: ANN001
    """A fresh project, so that each test starts with its whole quota."""
    return ImageAPI(quota_cloud, quota_cloud.new_project_user().token())


def _stored(cloud) -> set[str]:  # noqa: ANN001
    return {f for _r, _d, files in os.walk(cloud.state_dir / "images") for f in files}


def _held_back(release: threading.Event) -> Iterator[bytes]:
    yield b"a" * PART
    release.wait(30)
    yield b"a" * PART


def _status(api: ImageAPI, image_id: str) -> str:
    return api.http.get(f"/v2/images/{image_id}").json()["status"]


def _wait_saving(api: ImageAPI, image_id: str) -> None:
    deadline = time.monotonic() + 20
    while _status(api, image_id) != "saving":
        assert time.monotonic() < deadline, "the upload never started"
        time.sleep(0.05)


def test_second_upload_to_finish_is_413_and_keeps_nothing(owner: ImageAPI) -> None:
    slow, fast = owner.create(name="slow"), owner.create(name="fast")
    release = threading.Event()
    before = _stored(owner.cloud)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(owner.upload, slow["id"], _held_back(release))
        _wait_saving(owner, slow["id"])
        assert owner.upload(fast["id"], b"b" * 2 * PART).status_code == 204
        release.set()
        refused = pending.result(60)
    assert refused.status_code == 413, refused.text
    assert refused.json()["title"] == "Request Entity Too Large"
    assert "quota" in refused.json()["message"]
    assert _status(owner, slow["id"]) == "queued"
    assert _status(owner, fast["id"]) == "active"
    # the file store names a stored image after its id; the refused one left not even a .part
    assert _stored(owner.cloud) - before == {fast["id"]}
    assert owner.http.get(f"/v2/images/{slow['id']}/file").status_code == 204


def test_refused_upload_can_be_retried_once_space_is_freed(owner: ImageAPI) -> None:
    first, second = owner.create(name="first"), owner.create(name="second")
    release = threading.Event()
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(owner.upload, second["id"], _held_back(release))
        _wait_saving(owner, second["id"])
        assert owner.upload(first["id"], b"c" * 2 * PART).status_code == 204
        release.set()
        assert pending.result(60).status_code == 413
    assert owner.http.delete(f"/v2/images/{first['id']}").status_code == 204
    assert owner.upload(second["id"], b"d" * 2 * PART).status_code == 204
    assert owner.http.get(f"/v2/images/{second['id']}/file").content == b"d" * 2 * PART


def test_uploads_finishing_together_store_exactly_one(owner: ImageAPI) -> None:
    images = [owner.create(name=f"twin-{n}")["id"] for n in range(2)]
    release = threading.Event()
    with ThreadPoolExecutor(2) as pool:
        pending = [pool.submit(owner.upload, i, _held_back(release)) for i in images]
        for image_id in images:
            _wait_saving(owner, image_id)
        release.set()
        codes = sorted(p.result(60).status_code for p in pending)
    assert codes == [204, 413]
    assert sorted(_status(owner, i) for i in images) == ["active", "queued"]
