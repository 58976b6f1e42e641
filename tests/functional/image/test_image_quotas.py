"""Glance's quota options: size cap, storage quota, property, tag and member counts."""

from __future__ import annotations

import os

import pytest

from .conftest import ImageAPI


@pytest.fixture(scope="module")
def limited(cloud_factory):
    config = {
        "DEFAULT": {
            "image_size_cap": "4096",
            "user_storage_quota": "6KB",
            "image_property_quota": "2",
            "image_tag_quota": "2",
            "image_member_quota": "1",
        }
    }
    cloud = cloud_factory(config=config)
    return ImageAPI(cloud, cloud.admin_token())


def _stored(cloud) -> list[str]:
    return [f for _r, _d, files in os.walk(cloud.state_dir / "images") for f in files]


def test_upload_over_size_cap_is_413_and_keeps_nothing(limited):
    image = limited.create(name="big")
    before = _stored(limited.cloud)
    resp = limited.upload(image["id"], os.urandom(5000))
    assert resp.status_code == 413
    assert limited.http.get(f"/v2/images/{image['id']}").json()["status"] == "queued"
    assert _stored(limited.cloud) == before


def test_chunked_upload_over_size_cap_is_413(limited):
    image = limited.create(name="big-chunked")
    resp = limited.upload(image["id"], iter([b"z" * 3000, b"z" * 3000]))
    assert resp.status_code == 413
    assert limited.http.get(f"/v2/images/{image['id']}").json()["status"] == "queued"


def test_storage_quota_counts_existing_images(limited):
    first = limited.create(name="q1")
    assert limited.upload(first["id"], b"a" * 4000).status_code == 204
    second = limited.create(name="q2")
    assert limited.upload(second["id"], b"b" * 3000).status_code == 413
    assert limited.upload(second["id"], b"b" * 2000).status_code == 204


def test_too_many_properties_is_413(limited):
    resp = limited.http.post("/v2/images", json={"a": "1", "b": "2", "c": "3"})
    assert resp.status_code == 413
    image = limited.create(name="props", a="1", b="2")
    resp = limited.patch(image["id"], [{"op": "add", "path": "/c", "value": "3"}])
    assert resp.status_code == 413


def test_too_many_tags_is_413(limited):
    image = limited.create(name="tags", tags=["x", "y"])
    assert limited.http.put(f"/v2/images/{image['id']}/tags/z").status_code == 413
    assert limited.http.get(f"/v2/images/{image['id']}").json()["tags"] == ["x", "y"]


def test_too_many_members_is_413(limited):
    image = limited.create(name="members", visibility="shared")
    url = f"/v2/images/{image['id']}/members"
    assert limited.http.post(url, json={"member": "p1"}).status_code == 200
    assert limited.http.post(url, json={"member": "p2"}).status_code == 413
