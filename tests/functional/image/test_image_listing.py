"""GET /v2/images: filters, operators, sorting, paging links, hidden images."""

from __future__ import annotations

import time
import uuid

import pytest


@pytest.fixture(scope="module")
def batch(api):
    """Five images of one run, told apart by a unique property."""
    run = uuid.uuid4().hex
    images = []
    for i, (fmt, size) in enumerate(
        [("raw", 10), ("qcow2", 0), ("raw", 30), ("iso", 0), ("raw", 50)]
    ):
        image = api.create(name=f"list-{i}", disk_format=fmt, run=run, tags=[f"t{i % 2}"])
        if size:
            assert api.upload(image["id"], b"r" * size).status_code == 204
        images.append(image["id"])
        time.sleep(1.01 if i == 2 else 0)  # a second boundary for the created_at filters
    return run, images


def _ids(api, query: str) -> list[str]:
    resp = api.http.get(f"/v2/images?{query}")
    assert resp.status_code == 200, resp.text
    return [i["id"] for i in resp.json()["images"]]


def test_custom_property_filter_and_default_sort_newest_first(api, batch):
    run, images = batch
    assert _ids(api, f"run={run}") == images[::-1]


def test_filters_on_core_attributes(api, batch):
    run, images = batch
    assert _ids(api, f"run={run}&disk_format=raw&sort_dir=asc") == [images[0], images[2], images[4]]
    assert _ids(api, f"run={run}&status=queued&sort_dir=asc") == [images[1], images[3]]
    assert _ids(api, f"run={run}&size_min=20&size_max=40") == [images[2]]
    assert _ids(api, f"run={run}&name=list-3") == [images[3]]
    assert _ids(api, f"run={run}&name=in:list-1,list-4&sort_dir=asc") == [images[1], images[4]]
    assert _ids(api, f"run={run}&tag=t1&sort_dir=asc") == [images[1], images[3]]


def test_query_values_read_as_glance_reads_them(api, batch):
    run, images = batch
    assert _ids(api, f"run={run}&name=eq:list-3") == [images[3]]
    assert _ids(api, f"run={run}&disk_format=in:iso,qcow2&sort_dir=asc") == images[1:4:2]
    assert _ids(api, f"run={run}&tag=%20t1%20&sort_dir=asc") == [images[1], images[3]]
    assert _ids(api, f"run={run}&sort=name:%20asc") == images
    assert _ids(api, f"run={run}&sort_key=%20name&sort_dir=asc%20") == images
    assert _ids(api, f"run={run}&size_max=-1") == []
    assert _ids(api, f"run={run}&protected=false&sort_dir=asc") == images


@pytest.mark.parametrize(
    "query",
    ["name=gte:list-1", "status=like:q", "protected=yes", "changes-since=2020-01-01T00:00:00Z"],
)
def test_filters_glance_refuses_are_400(api, query):
    resp = api.http.get(f"/v2/images?{query}", headers={"Accept": "application/json"})
    assert resp.status_code == 400, resp.text
    assert resp.json()["code"] == "400 Bad Request"


def test_sort_keys_and_sort_parameter(api, batch):
    run, images = batch
    by_name = _ids(api, f"run={run}&sort_key=name&sort_dir=asc")
    assert by_name == images
    assert _ids(api, f"run={run}&sort=name:desc") == images[::-1]
    by_size = _ids(api, f"run={run}&sort=size:desc,name:asc")
    assert by_size == [images[4], images[2], images[0], images[1], images[3]]


def test_created_at_operators(api, batch):
    run, images = batch
    third = api.http.get(f"/v2/images/{images[2]}").json()["created_at"]
    after = _ids(api, f"run={run}&created_at=gt:{third}&sort_dir=asc")
    assert after == [images[3], images[4]]
    before = _ids(api, f"run={run}&created_at=lte:{third}&sort_dir=asc")
    assert before == images[:3]


def test_paging_links_walk_every_image_once(api, batch):
    run, images = batch
    url, seen = f"/v2/images?run={run}&limit=2&sort=name:asc", []
    while url:
        body = api.http.get(url).json()
        assert body["schema"] == "/v2/schemas/images"
        assert body["first"].startswith("/v2/images?")
        seen += [i["id"] for i in body["images"]]
        url = body.get("next")
    assert seen == images


def test_hidden_images_are_listed_only_when_asked(api, batch):
    run, images = batch
    api.patch(images[0], [{"op": "replace", "path": "/os_hidden", "value": True}])
    assert images[0] not in _ids(api, f"run={run}")
    assert _ids(api, f"run={run}&os_hidden=true") == [images[0]]
    api.patch(images[0], [{"op": "replace", "path": "/os_hidden", "value": False}])


def test_visibility_filter(api, batch):
    run, images = batch
    api.patch(images[1], [{"op": "replace", "path": "/visibility", "value": "public"}])
    assert _ids(api, f"run={run}&visibility=public") == [images[1]]
    assert images[1] not in _ids(api, f"run={run}&visibility=shared")
