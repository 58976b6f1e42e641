"""Percent-encoded bytes that are not UTF-8 are refused with each service's own 400."""

from __future__ import annotations

import httpx
import pytest


@pytest.fixture(scope="module")
def admin(cloud) -> httpx.Client:  # noqa: ANN001
    headers = {
        "X-Auth-Token": cloud.admin_token(),
        "Client-ID": "3381af92-2b9e-11e3-b191-71861300734c",
    }
    with httpx.Client(base_url=cloud.url, headers=headers, timeout=30) as client:
        yield client


def test_an_image_tag_or_filter_that_is_not_utf8_is_400_in_glance_form(admin):
    image = admin.post("/image/v2/images", json={"name": "utf8"}).json()
    resp = admin.put(f"/image/v2/images/{image['id']}/tags/%ff")
    assert resp.status_code == 400
    assert "not UTF-8" in resp.text
    resp = admin.get("/image/v2/images?name=%ff", headers={"Accept": "application/json"})
    assert resp.status_code == 400 and "not UTF-8" in resp.json()["message"]
    # a real U+FFFD, encoded properly, is an ordinary tag
    assert admin.put(f"/image/v2/images/{image['id']}/tags/%EF%BF%BD").status_code == 204
    tags = admin.get(f"/image/v2/images/{image['id']}").json()["tags"]
    assert tags == ["\ufffd"]


def test_identity_and_messaging_refuse_it_in_their_own_error_bodies(admin):
    resp = admin.get("/identity/v3/users?name=ab%c3")
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == 400
    resp = admin.get("/messaging/v2/queues/%fe%ff/stats")
    assert resp.status_code == 400
    assert resp.json()["title"]
