"""The image API and data paths on SQLite, MariaDB and PostgreSQL."""

from __future__ import annotations

import concurrent.futures
import hashlib
import os

import httpx
import pytest

PATCH = {"Content-Type": "application/openstack-images-v2.1-json-patch"}
OCTETS = {"Content-Type": "application/octet-stream"}


class Images:
    """httpx on one cloud's image endpoint, as one user."""

    def __init__(self, cloud, token: str) -> None:
        self.http = httpx.Client(
            base_url=f"{cloud.url}/image",
            headers={"X-Auth-Token": token, "Accept": "application/json"},
            timeout=60,
        )

    def create(self, **body) -> str:
        body = {"disk_format": "raw", "container_format": "bare", **body}
        resp = self.http.post("/v2/images", json=body)
        assert resp.status_code == 201, resp.text
        return resp.json()["id"]

    def get(self, image_id: str) -> dict:
        return self.http.get(f"/v2/images/{image_id}").json()

    def put(self, image_id: str, data: bytes, **headers) -> int:
        url = f"/v2/images/{image_id}/file"
        return self.http.put(url, content=data, headers={**OCTETS, **headers}).status_code

    def ids(self, query: str) -> list[str]:
        return [i["id"] for i in self.http.get(f"/v2/images?{query}").json()["images"]]


@pytest.fixture(scope="module", params=["sqlite", "mariadb", "postgresql"])
def sql_cloud(request, cloud_factory, throwaway_database):
    db_url = None if request.param == "sqlite" else throwaway_database(request.param)
    config = {"DEFAULT": {"image_size_cap": str(8 * 1024 * 1024)}}
    cloud = cloud_factory(db_url=db_url, config=config)
    return cloud, Images(cloud, cloud.admin_token())


def test_upload_download_and_checksums(sql_cloud):
    _, api = sql_cloud
    data = os.urandom(3 * 1024 * 1024 + 11)
    image_id = api.create(name="data")
    assert api.put(image_id, data) == 204
    shown = api.get(image_id)
    assert shown["status"] == "active" and shown["size"] == len(data)
    assert shown["checksum"] == hashlib.md5(data).hexdigest()
    assert shown["os_hash_value"] == hashlib.sha512(data).hexdigest()
    resp = api.http.get(f"/v2/images/{image_id}/file")
    assert resp.content == data and resp.headers["content-md5"] == shown["checksum"]
    ranged = api.http.get(f"/v2/images/{image_id}/file", headers={"Range": "bytes=7-99"})
    assert ranged.status_code == 206 and ranged.content == data[7:100]


def test_failed_uploads_roll_back_to_queued(sql_cloud):
    _, api = sql_cloud
    image_id = api.create(name="rollback")
    assert api.put(image_id, b"x" * 100, **{"x-openstack-image-size": "99"}) == 400
    assert api.put(image_id, iter([b"y" * (5 << 20), b"y" * (5 << 20)])) == 413
    shown = api.get(image_id)
    assert shown["status"] == "queued" and shown["checksum"] is None
    assert api.put(image_id, b"ok") == 204


def test_concurrent_uploads_to_one_image_let_exactly_one_win(sql_cloud):
    _, api = sql_cloud
    image_id = api.create(name="race")
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        codes = sorted(pool.map(lambda i: api.put(image_id, bytes([i]) * 500000), range(4)))
    assert codes.count(204) == 1 and codes.count(409) == 3
    assert api.get(image_id)["status"] == "active"


def test_listing_filters_sort_and_pages(sql_cloud):
    _, api = sql_cloud
    run = os.urandom(6).hex()
    ids = [
        api.create(name=f"n{i}", run=run, tags=["even" if i % 2 == 0 else "odd"]) for i in range(5)
    ]
    for i, image_id in enumerate(ids[:3]):
        api.put(image_id, b"s" * (i + 1) * 10)
    assert api.ids(f"run={run}&sort=size:asc,name:asc") == [ids[3], ids[4], ids[0], ids[1], ids[2]]
    assert api.ids(f"run={run}&tag=even&sort=name:asc") == [ids[0], ids[2], ids[4]]
    assert api.ids(f"run={run}&size_min=15&sort=name:desc") == [ids[2], ids[1]]
    url, seen = f"/v2/images?run={run}&limit=2&sort=size:desc", []
    while url:
        body = api.http.get(url).json()
        seen += [i["id"] for i in body["images"]]
        url = body.get("next")
    assert seen == [ids[2], ids[1], ids[0], ids[4], ids[3]] or seen == [
        ids[2],
        ids[1],
        ids[0],
        ids[3],
        ids[4],
    ]
    assert len(set(seen)) == 5


def test_patch_tags_and_property_changes_persist(sql_cloud):
    _, api = sql_cloud
    image_id = api.create(name="patch", a="1")
    changes = [
        {"op": "replace", "path": "/name", "value": "patched"},
        {"op": "remove", "path": "/a"},
        {"op": "add", "path": "/b", "value": "2"},
        {"op": "replace", "path": "/tags", "value": ["x", "y"]},
    ]
    resp = api.http.patch(f"/v2/images/{image_id}", json=changes, headers=PATCH)
    assert resp.status_code == 200
    shown = api.get(image_id)
    assert (shown["name"], shown.get("a"), shown["b"], shown["tags"]) == (
        "patched",
        None,
        "2",
        ["x", "y"],
    )
    assert api.http.delete(f"/v2/images/{image_id}/tags/x").status_code == 204
    assert api.get(image_id)["tags"] == ["y"]


def test_sharing_between_projects(sql_cloud):
    cloud, _ = sql_cloud
    owner, other = cloud.new_project_user(), cloud.new_project_user()
    api, theirs = Images(cloud, owner.token()), Images(cloud, other.token())
    image_id = api.create(name="shared", visibility="shared")
    resp = api.http.post(f"/v2/images/{image_id}/members", json={"member": other.project_id})
    assert resp.status_code == 200 and resp.json()["status"] == "pending"
    assert image_id not in theirs.ids("")
    assert image_id in theirs.ids("member_status=pending")
    url = f"/v2/images/{image_id}/members/{other.project_id}"
    assert theirs.http.put(url, json={"status": "accepted"}).status_code == 200
    assert image_id in theirs.ids("")
    assert api.http.put(url, json={"status": "rejected"}).status_code == 403
    private = api.create(name="private", visibility="private")
    assert theirs.http.get(f"/v2/images/{private}").status_code == 404


def test_deactivate_protect_and_delete(sql_cloud):
    _, api = sql_cloud
    image_id = api.create(name="life", protected=True)
    api.put(image_id, b"life")
    assert api.http.post(f"/v2/images/{image_id}/actions/deactivate").status_code == 204
    assert api.get(image_id)["status"] == "deactivated"
    assert api.http.post(f"/v2/images/{image_id}/actions/reactivate").status_code == 204
    assert api.http.delete(f"/v2/images/{image_id}").status_code == 403
    unprotect = [{"op": "replace", "path": "/protected", "value": False}]
    api.http.patch(f"/v2/images/{image_id}", json=unprotect, headers=PATCH)
    assert api.http.delete(f"/v2/images/{image_id}").status_code == 204
    assert api.http.get(f"/v2/images/{image_id}").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"name": "nul\u0000byte"},
        {"flavor": "nul\u0000byte"},
        {"tags": ["nul\u0000byte"]},
        {"min_ram": 2**40},
        {"big": "x" * 70000},
        {"owner": "o" * 65},
    ],
)
def test_values_the_database_cannot_hold_are_400(sql_cloud, body):
    _, api = sql_cloud
    assert api.http.post("/v2/images", json=body).status_code == 400


def test_nul_in_paths_and_queries_is_refused_cleanly(sql_cloud):
    _, api = sql_cloud
    image_id = api.create(name="nul", visibility="shared")
    assert api.http.get("/v2/images/a%00b").status_code == 404
    assert api.http.delete(f"/v2/images/{image_id}/tags/a%00b").status_code == 404
    assert api.http.get("/v2/images?name=a%00b").status_code == 400
    member = api.http.post(f"/v2/images/{image_id}/members", json={"member": "m\u0000"})
    assert member.status_code == 400
    long_member = api.http.post(f"/v2/images/{image_id}/members", json={"member": "m" * 65})
    assert long_member.status_code == 400
