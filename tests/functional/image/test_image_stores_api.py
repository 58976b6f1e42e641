"""Multi-store discovery (/v2/info/stores/detail) and DELETE /v2/stores/{store}/{image}."""

from __future__ import annotations

import openstack.exceptions
import pytest
from glanceclient import Client
from glanceclient import exc as glance_exc
from openstack.image.v2.service_info import Store

from tests.functional.image.conftest import ImageAPI
from tests.functional.image.test_image_notifications import _events
from tests.functional.image_tasks.conftest import get, wait_task


@pytest.fixture(scope="module")
def mapi(cloud_factory) -> ImageAPI:  # noqa: ANN001
    """Admin on a cloud with three file stores, `fast` the default."""
    config = {
        "DEFAULT": {"enabled_backends": "fast:file,slow:file,spare:file"},
        "glance_store": {"default_backend": "fast"},
    }
    cloud = cloud_factory(config=config)
    return ImageAPI(cloud, cloud.admin_token())


@pytest.fixture(scope="module")
def glance(mapi: ImageAPI) -> Client:
    return Client("2", session=mapi.cloud.admin_session())


def _in_two_stores(api: ImageAPI) -> str:
    """An active image stored in `fast` and copied to `slow`."""
    image = api.create(name="twice")
    assert api.upload(image["id"], b"two copies" * 100).status_code == 204
    body = {"method": {"name": "copy-image"}, "stores": ["slow"]}
    assert api.http.post(f"/v2/images/{image['id']}/import", json=body).status_code == 202
    assert wait_task(api, image["id"])["status"] == "success"
    assert get(api, image["id"])["stores"] == "fast,slow"
    return image["id"]


def test_sdk_lists_store_details_for_admin(mapi: ImageAPI) -> None:
    stores = {s.id: s for s in mapi.cloud.connect().image.stores(details=True)}
    assert list(stores) == ["fast", "slow", "spare"]
    assert stores["fast"].is_default and not stores["slow"].is_default
    assert stores["slow"].properties["data_dir"].endswith("slow")
    raw = mapi.http.get("/v2/info/stores/detail").json()["stores"][0]
    assert raw["type"] == "file" and raw["default"] == "true" and raw["weight"] == 0
    assert set(raw["properties"]) == {"data_dir", "chunk_size", "thin_provisioning"}


def test_glanceclient_store_details(glance: Client) -> None:
    detail = glance.images.get_stores_info_detail()
    assert [s["type"] for s in detail["stores"]] == ["file", "file", "file"]


def test_store_details_are_forbidden_to_members(mapi: ImageAPI) -> None:
    member = mapi.cloud.new_project_user("member")
    with pytest.raises(openstack.exceptions.ForbiddenException):
        list(member.connect().image.stores(details=True))
    assert len(list(member.connect().image.stores())) == 3


def test_store_details_without_multistore_are_404(api: ImageAPI) -> None:
    resp = api.http.get("/v2/info/stores/detail")
    assert resp.status_code == 404
    assert resp.json()["title"] == "Not Found"
    assert api.http.delete(f"/v2/stores/fast/{api.create()['id']}").status_code == 404


def test_sdk_deletes_an_image_from_one_store(mapi: ImageAPI) -> None:
    image_id = _in_two_stores(mapi)
    conn = mapi.cloud.connect()
    Store(id="slow").delete_image(conn.image, image_id)
    shown = get(mapi, image_id)
    assert shown["stores"] == "fast" and shown["status"] == "active"
    assert mapi.http.get(f"/v2/images/{image_id}/file").content == b"two copies" * 100
    events = _events(mapi.cloud, mapi.cloud.admin_token(), image_id, until="image.update")
    update = next(e for e in events if e["event_type"] == "image.update")
    assert update["payload"]["id"] == image_id and update["payload"]["status"] == "active"


def test_glanceclient_deletes_from_store_and_refuses_the_last_copy(
    mapi: ImageAPI, glance: Client
) -> None:
    image_id = _in_two_stores(mapi)
    glance.images.delete_from_store("fast", image_id)
    assert get(mapi, image_id)["stores"] == "slow"
    with pytest.raises(glance_exc.HTTPForbidden):
        glance.images.delete_from_store("slow", image_id)
    assert get(mapi, image_id)["stores"] == "slow"


def test_delete_from_a_store_not_holding_the_image_is_404(mapi: ImageAPI) -> None:
    image_id = _in_two_stores(mapi)
    resp = mapi.http.delete(f"/v2/stores/spare/{image_id}")
    assert resp.status_code == 404 and "not stored in store spare" in resp.json()["message"]


def test_delete_from_unknown_store_is_409_as_in_glance(mapi: ImageAPI) -> None:
    image_id = mapi.create()["id"]
    resp = mapi.http.delete(f"/v2/stores/tape/{image_id}")
    assert resp.status_code == 409 and "tape" in resp.json()["message"]


@pytest.mark.parametrize("image_id", ["00000000-0000-0000-0000-000000000000", "not-a-uuid"])
def test_delete_of_unknown_image_from_store_is_404(mapi: ImageAPI, image_id: str) -> None:
    resp = mapi.http.delete(f"/v2/stores/fast/{image_id}")
    assert resp.status_code == 404 and resp.json()["code"] == "404 Not Found"


def test_delete_from_store_needs_an_active_image(mapi: ImageAPI) -> None:
    queued = mapi.create()["id"]
    assert mapi.http.delete(f"/v2/stores/fast/{queued}").status_code == 409
    image_id = _in_two_stores(mapi)
    assert mapi.http.post(f"/v2/images/{image_id}/actions/deactivate").status_code == 204
    resp = mapi.http.delete(f"/v2/stores/slow/{image_id}")
    assert resp.status_code == 409 and "'active'" in resp.json()["message"]
    assert get(mapi, image_id)["stores"] == "fast,slow"


def test_owner_may_not_delete_locations_by_default(mapi: ImageAPI) -> None:
    member = mapi.cloud.new_project_user("member")
    own = ImageAPI(mapi.cloud, member.token())
    image = own.create()
    assert own.upload(image["id"], b"mine").status_code == 204
    assert own.http.delete(f"/v2/stores/fast/{image['id']}").status_code == 403
    assert own.http.delete(f"/v2/stores/fast/{mapi.create()['id']}").status_code == 404


def test_stores_info_via_glanceclient_cli_style_call(glance: Client) -> None:
    listed = glance.images.get_stores_info()["stores"]
    assert [s["id"] for s in listed] == ["fast", "slow", "spare"]
    assert "type" not in listed[0]


def test_upload_to_one_store_then_delete_the_image_removes_all(mapi: ImageAPI) -> None:
    image_id = _in_two_stores(mapi)
    assert mapi.http.delete(f"/v2/images/{image_id}").status_code == 204
    assert mapi.http.delete(f"/v2/stores/fast/{image_id}").status_code == 404


def test_version_document_follows_the_configuration(mapi: ImageAPI, api: ImageAPI) -> None:
    multi = mapi.http.get("/versions").json()["versions"]
    assert multi[0]["id"] == "v2.15" and multi[0]["status"] == "CURRENT"
    assert {"v2.8", "v2.10"} <= {v["id"] for v in multi}
    plain = api.http.get("/").json()["versions"]
    assert plain[0]["id"] == "v2.12"
    assert not {"v2.8", "v2.10", "v2.15"} & {v["id"] for v in plain}
