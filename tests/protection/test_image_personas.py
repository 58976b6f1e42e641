"""The image policy by persona on a multi-store cloud: store details and deleting from a store."""

from __future__ import annotations

import pytest

from tests.functional.image.conftest import ImageAPI
from tests.functional.image_tasks.conftest import get, wait_task

STORES = {
    "DEFAULT": {"enabled_backends": "fast:file,slow:file"},
    "glance_store": {"default_backend": "fast"},
}
PERSONAS = ["admin", "member", "reader", "other", "service"]


@pytest.fixture(scope="module")
def world(cloud_factory):  # noqa: ANN001, ANN201
    """A two-store cloud, a project with a member and a reader, another project, a service user."""
    cloud = cloud_factory(config=STORES)
    member = cloud.new_project_user("member")
    admin = cloud.connect()
    reader = cloud.new_project_user("reader")
    admin.identity.assign_project_role_to_user(
        member.project_id, reader.user_id, admin.identity.find_role("reader")
    )
    reader_token = cloud.token(reader.user_name, reader.password, member.project_name)
    return {
        "admin": ImageAPI(cloud, cloud.admin_token()),
        "member": ImageAPI(cloud, member.token()),
        "reader": ImageAPI(cloud, reader_token),
        "other": ImageAPI(cloud, cloud.new_project_user("member").token()),
        "service": ImageAPI(cloud, cloud.new_project_user("service").token()),
        "project": member.project_id,
    }


def _in_both_stores(admin: ImageAPI, owner: str, visibility: str) -> str:
    """An active image of `owner` stored in `fast` and copied to `slow`."""
    image = admin.create(name="two-copies", owner=owner, visibility=visibility)
    assert admin.upload(image["id"], b"copy" * 256).status_code == 204
    body = {"method": {"name": "copy-image"}, "stores": ["slow"]}
    assert admin.http.post(f"/v2/images/{image['id']}/import", json=body).status_code == 202
    assert wait_task(admin, image["id"])["status"] == "success"
    return image["id"]


# Glance: stores_info_detail is admin or service; get_image_location is admin or project
# reader and delete_image_location admin only, after the image was found (404 if not visible)
STORE_DETAIL = dict(admin=200, member=403, reader=403, other=403, service=200)
DELETE_PRIVATE = dict(admin=204, member=403, reader=403, other=404, service=404)
DELETE_PUBLIC = dict(admin=204, member=403, reader=403, other=403, service=403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_store_details_by_persona(world, persona: str) -> None:  # noqa: ANN001
    resp = world[persona].http.get("/v2/info/stores/detail")
    assert resp.status_code == STORE_DETAIL[persona], resp.text
    if resp.status_code == 200:
        assert {s["type"] for s in resp.json()["stores"]} == {"file"}
    else:
        assert resp.json()["code"] == "403 Forbidden"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("visibility", "expected"), [("private", DELETE_PRIVATE), ("public", DELETE_PUBLIC)]
)
def test_delete_from_store_by_persona(world, persona: str, visibility: str, expected) -> None:  # noqa: ANN001
    admin = world["admin"]
    image_id = _in_both_stores(admin, world["project"], visibility)
    resp = world[persona].http.delete(f"/v2/stores/slow/{image_id}")
    assert resp.status_code == expected[persona], resp.text
    stores = "fast" if expected[persona] == 204 else "fast,slow"
    assert get(admin, image_id)["stores"] == stores


@pytest.mark.parametrize("persona", ["member", "reader", "other", "service"])
def test_refused_personas_learn_nothing_about_the_store_state(world, persona: str) -> None:  # noqa: ANN001
    admin = world["admin"]
    queued = admin.create(name="queued", owner=world["project"], visibility="public")
    resp = world[persona].http.delete(f"/v2/stores/slow/{queued['id']}")
    assert resp.status_code == 403, resp.text
