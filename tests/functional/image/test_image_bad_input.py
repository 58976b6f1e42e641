"""Bad requests get Glance's 4xx status and error body, never a 500 or half-written data."""

from __future__ import annotations

import json
import os
import socket
import time
import uuid

import httpx
import pytest

from .conftest import ImageAPI


def _error(resp, status):
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["code"].startswith(str(status)) and body["message"]
    assert resp.headers["x-openstack-request-id"].startswith("req-")
    return body


def test_invalid_disk_format_is_rejected(api):
    resp = api.http.post("/v2/images", json={"disk_format": "floppy"})
    _error(resp, 400)


def test_invalid_container_format_is_rejected(api):
    _error(api.http.post("/v2/images", json={"container_format": "zip"}), 400)


@pytest.mark.parametrize("attribute", ["status", "size", "checksum", "self", "os_glance_x"])
def test_create_with_read_only_or_reserved_attribute_is_forbidden(api, attribute):
    _error(api.http.post("/v2/images", json={attribute: "x"}), 403)


def test_non_string_extra_property_is_rejected(api):
    _error(api.http.post("/v2/images", json={"flavor": 3}), 400)


@pytest.mark.parametrize("key", ["kernel_id", "ramdisk_id"])
def test_kernel_and_ramdisk_ids_must_be_uuids(api, key):
    body = _error(api.http.post("/v2/images", json={key: "not-a-uuid"}), 400)
    assert key in body["message"]


def test_create_reads_json_whatever_the_content_type_says(api):
    resp = api.http.post(
        "/v2/images", content=b'{"name": "typed"}', headers={"Content-Type": "text/plain"}
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["name"] == "typed"


def test_malformed_json_body_is_rejected(api):
    resp = api.http.post(
        "/v2/images", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    _error(resp, 400)


def test_patch_of_read_only_attribute_is_forbidden(api):
    image = api.create(name="ro")
    _error(api.patch(image["id"], [{"op": "replace", "path": "/size", "value": 1}]), 403)
    _error(api.patch(image["id"], [{"op": "add", "path": "/os_glance_lock", "value": "1"}]), 403)


@pytest.mark.parametrize(
    "changes",
    [
        {"op": "replace", "path": "/name", "value": "x"},
        [{"op": "move", "path": "/name", "value": "x"}],
        [{"op": "replace", "path": "/a/b", "value": "x"}],
        [{"op": "replace", "path": "name", "value": "x"}],
        [{"op": "replace", "path": "/name"}],
        [{"op": "replace", "path": "/min_ram", "value": "lots"}],
        [{"op": "add", "path": "/a~2b", "value": "x"}],
        [{"op": "add", "path": "/a~", "value": "x"}],
        [{"op": "add", "path": "/ ", "value": "x"}],
        [{"op": "add", "path": "//", "value": "x"}],
    ],
)
def test_malformed_json_patch_is_rejected(api, changes):
    image = api.create(name="patchme")
    _error(api.patch(image["id"], changes), 400)


def test_patch_with_wrong_media_type_is_415_with_accept_patch(api):
    image = api.create(name="mt")
    resp = api.http.patch(f"/v2/images/{image['id']}", json=[])
    _error(resp, 415)
    assert "application/openstack-images-v2.1-json-patch" in resp.headers["accept-patch"]
    assert "application/openstack-images-v2.0-json-patch" in resp.headers["accept-patch"]


def test_both_patch_media_types_are_accepted(api):
    image = api.create(name="v20")
    resp = api.patch(image["id"], [{"replace": "/name", "value": "old-style"}], media="v2.0")
    assert resp.status_code == 200 and resp.json()["name"] == "old-style"
    resp = api.patch(image["id"], [{"op": "add", "path": "/k", "value": "v"}])
    assert resp.status_code == 200 and resp.json()["k"] == "v"


def test_pointer_tokens_are_trimmed_as_glance_trims_them(api):
    image = api.create(name="spaced")
    resp = api.patch(image["id"], [{"op": "replace", "path": "/ name ", "value": "trimmed"}])
    assert resp.status_code == 200 and resp.json()["name"] == "trimmed"
    _error(api.patch(image["id"], [{"op": "add", "path": "/ os_glance_x", "value": "1"}]), 403)
    _error(api.patch(image["id"], [{"op": "replace", "path": "/ status", "value": "x"}]), 403)


def test_remove_of_missing_property_is_conflict(api):
    image = api.create(name="rm")
    _error(api.patch(image["id"], [{"op": "remove", "path": "/nothere"}]), 409)


def test_upload_with_wrong_content_type_is_415(api):
    image = api.create(name="ct")
    _error(api.upload(image["id"], b"abc", **{"Content-Type": "text/plain"}), 415)


def test_upload_to_active_image_is_conflict(api):
    image = api.create(name="twice")
    assert api.upload(image["id"], b"first").status_code == 204
    _error(api.upload(image["id"], b"second"), 409)


def test_declared_size_mismatch_is_refused_and_leaves_image_queued(api):
    image = api.create(name="mismatch")
    resp = api.upload(image["id"], b"x" * 1000, **{"x-openstack-image-size": "999"})
    _error(resp, 400)
    shown = api.http.get(f"/v2/images/{image['id']}").json()
    assert shown["status"] == "queued" and shown["size"] is None
    assert not _stored(api.cloud, image["id"])


def test_download_of_image_without_data_is_204(api):
    image = api.create(name="empty")
    assert api.http.get(f"/v2/images/{image['id']}/file").status_code == 204


def test_range_requests(api):
    data = os.urandom(10000)
    image = api.create(name="ranged")
    api.upload(image["id"], data)
    url = f"/v2/images/{image['id']}/file"
    resp = api.http.get(url, headers={"Range": "bytes=100-199"})
    assert resp.status_code == 206 and resp.content == data[100:200]
    assert resp.headers["content-range"] == "bytes 100-199/10000"
    resp = api.http.get(url, headers={"Range": "bytes=-10"})
    assert resp.status_code == 206 and resp.content == data[-10:]
    resp = api.http.get(url, headers={"Range": "bytes=9990-"})
    assert resp.content == data[9990:]
    resp = api.http.get(url, headers={"Range": "Bytes = 5-9"})
    assert resp.status_code == 206 and resp.content == data[5:10]
    _error(api.http.get(url, headers={"Range": "bytes=0-1,5-6"}), 400)
    head = api.http.head(url)
    assert head.status_code == 200 and head.headers["content-length"] == "10000"
    assert head.content == b""


@pytest.mark.parametrize("header", ["bytes=20000-", "bytes=5-2", "items=0-1", "bytes=-"])
def test_invalid_range_is_416(api, header):
    image = api.create(name="badrange")
    api.upload(image["id"], b"y" * 100)
    resp = api.http.get(f"/v2/images/{image['id']}/file", headers={"Range": header})
    _error(resp, 416)
    assert resp.headers["content-range"] == "bytes */100"


@pytest.mark.parametrize(
    "query",
    ["limit=x", "limit=%C2%B2", "limit=-1", "sort_key=colour", "sort_dir=up", "marker=nope"]
    + ["size_min=big"],
)
def test_bad_list_parameters_are_400(api, query):
    _error(api.http.get(f"/v2/images?{query}"), 400)


def test_limit_is_read_as_glance_reads_it(api):
    for name in ("lim-a", "lim-b"):
        api.create(name=name)
    for raw in ("+1", "%201", "1%20"):
        resp = api.http.get(f"/v2/images?limit={raw}")
        assert resp.status_code == 200 and len(resp.json()["images"]) == 1, raw


def test_too_many_filters_are_400_and_many_still_work(api):
    too_many = "&".join(f"p{i}=v" for i in range(1000))
    _error(api.http.get(f"/v2/images?{too_many}"), 400)
    _error(api.http.get("/v2/images?" + "&".join(["tag=t"] * 2000)), 400)
    many = "&".join(f"p{i}=v" for i in range(200))
    resp = api.http.get(f"/v2/images?{many}")
    assert resp.status_code == 200 and resp.json()["images"] == []


@pytest.mark.parametrize("action", ["deactivate", "reactivate"])
def test_deactivate_or_reactivate_of_an_image_without_data_is_403(api, action):
    image = api.create(name="no-data")
    body = _error(api.http.post(f"/v2/images/{image['id']}/actions/{action}"), 403)
    assert "queued" in str(body)
    assert api.http.get(f"/v2/images/{image['id']}").json()["status"] == "queued"


@pytest.mark.parametrize(
    "image_id",
    [None, 5, "", "urn:uuid:6f1c1ac0-5bd8-4c1c-9b8e-43e8e4bd1e22"]
    + ["{6f1c1ac0-5bd8-4c1c-9b8e-43e8e4bd1e22}", "6f1c1ac05bd84c1c9b8e43e8e4bd1e22"],
)
def test_a_client_id_that_is_not_a_hyphenated_uuid_is_400(api, image_id):
    _error(api.http.post("/v2/images", json={"id": image_id, "name": "odd-id"}), 400)


def test_a_client_id_is_kept(api):
    image_id = str(uuid.uuid4())
    created = api.http.post("/v2/images", json={"id": image_id.upper(), "name": "upper-id"})
    assert created.status_code == 201 and created.json()["id"] == image_id
    assert api.http.get(f"/v2/images/{image_id}").status_code == 200


@pytest.mark.parametrize("key", ["", " ", " padded", "padded "])
def test_a_property_name_no_patch_could_reach_is_400(api, key):
    _error(api.http.post("/v2/images", json={"name": "odd-key", key: "v"}), 400)


def test_member_of_an_image_that_has_none_is_404(api):
    image = api.create(name="private-one", visibility="private")
    _error(api.http.get(f"/v2/images/{image['id']}/members/someone"), 404)


def test_unknown_image_is_404(api):
    _error(api.http.get("/v2/images/3f1c1ac0-5bd8-4c1c-9b8e-43e8e4bd1e22"), 404)


@pytest.mark.parametrize(
    ("accept", "media_type", "start"),
    [
        ("application/json", "application/json", b'{"code":"404 Not Found"'),
        ("*/*", "text/html", b"<html>"),
        ("text/plain", "text/plain", b"404 Not Found\n\nNo image found"),
    ],
)
def test_error_body_takes_the_form_accept_asks_for(api, accept, media_type, start):
    path = "/v2/images/3f1c1ac0-5bd8-4c1c-9b8e-43e8e4bd1e22"
    resp = api.http.get(path, headers={"Accept": accept})
    assert resp.status_code == 404
    assert resp.headers["content-type"].split(";")[0] == media_type
    assert resp.content.startswith(start), resp.content


def test_missing_token_is_401(cloud):
    resp = httpx.get(f"{cloud.url}/image/v2/images", headers={"Accept": "application/json"})
    assert resp.status_code == 401
    assert resp.headers["www-authenticate"].startswith("Keystone uri=")


def test_client_disconnect_during_upload_leaves_image_queued_without_data(api):
    image = api.create(name="cut")
    head = (
        f"PUT /image/v2/images/{image['id']}/file HTTP/1.1\r\nHost: x\r\n"
        f"X-Auth-Token: {api.http.headers['X-Auth-Token']}\r\n"
        "Content-Type: application/octet-stream\r\nContent-Length: 50000000\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", api.cloud.port)) as sock:
        sock.sendall(head.encode() + os.urandom(3 * 1024 * 1024))
        time.sleep(0.3)
    for _ in range(100):
        time.sleep(0.05)
        shown = api.http.get(f"/v2/images/{image['id']}").json()
        if shown["status"] == "queued":
            break
    assert shown["status"] == "queued" and shown["size"] is None
    assert not _stored(api.cloud, image["id"])


def _stored(cloud, image_id: str) -> list[str]:
    found = []
    for root, _dirs, files in os.walk(cloud.state_dir / "images"):
        found += [os.path.join(root, f) for f in files if f.startswith(image_id)]
    return found


def test_publicizing_needs_admin_but_community_does_not(cloud):
    user = ImageAPI(cloud, cloud.new_project_user().token())
    _error(user.http.post("/v2/images", json={"visibility": "public"}), 403)
    image = user.create(name="mine")
    changes = [{"op": "replace", "path": "/visibility", "value": "public"}]
    _error(user.patch(image["id"], changes), 403)
    changes = [{"op": "replace", "path": "/visibility", "value": "community"}]
    assert user.patch(image["id"], changes).json()["visibility"] == "community"


def test_member_cannot_change_another_projects_public_image(api, cloud):
    image = api.create(name="pub", visibility="public")
    user = ImageAPI(cloud, cloud.new_project_user().token())
    assert user.http.get(f"/v2/images/{image['id']}").status_code == 200
    _error(user.patch(image["id"], [{"op": "replace", "path": "/name", "value": "x"}]), 403)
    _error(user.http.delete(f"/v2/images/{image['id']}"), 403)


def test_client_chosen_id_is_kept_and_a_duplicate_is_conflict(api):
    image_id = str(uuid.uuid4())
    assert api.create(id=image_id)["id"] == image_id
    _error(api.http.post("/v2/images", json={"id": image_id}), 409)
    _error(api.http.post("/v2/images", json={"id": "not-a-uuid"}), 400)


def test_image_deleted_during_upload_answers_410_and_keeps_no_data(api):
    image = api.create(name="vanishing")
    size = 4 * 1024 * 1024
    head = (
        f"PUT /image/v2/images/{image['id']}/file HTTP/1.1\r\nHost: x\r\n"
        f"X-Auth-Token: {api.http.headers['X-Auth-Token']}\r\nAccept: application/json\r\n"
        f"Content-Type: application/octet-stream\r\nContent-Length: {size}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", api.cloud.port)) as sock:
        sock.sendall(head.encode() + os.urandom(size // 2))
        for _ in range(100):
            if api.http.get(f"/v2/images/{image['id']}").json()["status"] == "saving":
                break
            time.sleep(0.05)
        assert api.http.delete(f"/v2/images/{image['id']}").status_code == 204
        sock.sendall(os.urandom(size - size // 2))
        sock.settimeout(10)
        answer = b""
        while not answer.endswith(b"}"):
            answer += sock.recv(4096)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b" 410 " in head.split(b"\r\n")[0]
    assert json.loads(body)["code"] == "410 Gone"
    assert not _stored(api.cloud, image["id"])


def test_download_of_data_missing_from_the_store_is_204_as_in_glance(api):
    image = api.create(name="lost")
    assert api.upload(image["id"], b"soon gone").status_code == 204
    for path in _stored(api.cloud, image["id"]):
        os.unlink(path)
    resp = api.http.get(f"/v2/images/{image['id']}/file")
    assert resp.status_code == 204 and resp.content == b""
