"""Unusual but valid inputs from real clients: answered, or refused with a 4xx, never a 500."""

from __future__ import annotations

import uuid

import pytest
from glanceclient import Client
from glanceclient import exc as glance_exc

from .conftest import ImageAPI


@pytest.fixture(scope="module")
def glance(cloud) -> Client:  # noqa: ANN001
    return Client("2", session=cloud.admin_session())


@pytest.fixture(scope="module")
def sized(api: ImageAPI) -> tuple[str, str]:
    """A run tag and the id of a 10-byte image carrying it."""
    run = uuid.uuid4().hex
    image = api.create(name="sized", run=run, min_ram=64)
    assert api.upload(image["id"], b"0123456789").status_code == 204
    return run, image["id"]


def _ids(glance: Client, **filters: object) -> list[str]:
    return [i.id for i in glance.images.list(filters=filters)]


def test_size_bounds_beyond_any_column_still_filter(glance: Client, sized) -> None:  # noqa: ANN001
    run, image_id = sized
    huge = 10**30
    assert _ids(glance, run=run, size_max=huge) == [image_id]
    assert _ids(glance, run=run, size_min=huge) == []
    assert _ids(glance, run=run, min_ram=huge) == []
    assert _ids(glance, run=run, min_ram="in:64," + str(huge)) == [image_id]


@pytest.mark.parametrize(
    "query", ["size_min=%C2%B2", "size_max=%D9%A1", "min_ram=%C2%B2", "min_disk=in:1,abc"]
)
def test_numbers_that_are_not_ascii_digits_are_400(api: ImageAPI, query: str) -> None:
    resp = api.http.get(f"/v2/images?{query}")
    assert resp.status_code == 400, resp.text
    assert resp.json()["code"] == "400 Bad Request" and "Invalid value" in resp.json()["message"]


def test_glanceclient_reports_a_bad_number_as_bad_request(glance: Client) -> None:
    with pytest.raises(glance_exc.HTTPBadRequest):
        _ids(glance, min_disk="in:1,²")


@pytest.mark.parametrize("sort", ["protected:asc", "os_hidden:desc,protected:asc", "name:asc"])
def test_sdk_pages_one_by_one_through_boolean_sort_keys(cloud, api: ImageAPI, sort: str) -> None:  # noqa: ANN001
    tag = uuid.uuid4().hex
    flags = [(p, h) for p in (False, True) for h in (False, True)]
    made = {api.create(tags=[tag], protected=p, os_hidden=h)["id"] for p, h in flags}
    made.add(api.create(tags=[tag], name="named")["id"])
    conn = cloud.connect()
    paged = [i.id for i in conn.image.images(tag=tag, sort=sort, limit=1, is_hidden=None)]
    hidden = [i.id for i in conn.image.images(tag=tag, sort=sort, limit=1, is_hidden=True)]
    assert len(paged) == len(set(paged)) and len(hidden) == len(set(hidden))
    assert set(paged) | set(hidden) == made
    for image_id in made:
        api.patch(image_id, [{"op": "replace", "path": "/protected", "value": False}])


WRONG_TYPES = [
    ("visibility", [""]),
    ("visibility", {"a": 1}),
    ("protected", "yes"),
    ("os_hidden", [True]),
    ("disk_format", ["raw"]),
    ("owner", ["p"]),
    ("min_ram", "64"),
    ("tags", "one"),
]


@pytest.mark.parametrize(("key", "value"), WRONG_TYPES)
def test_a_core_attribute_of_the_wrong_type_is_400_on_create(api: ImageAPI, key, value) -> None:  # noqa: ANN001
    resp = api.http.post("/v2/images", json={key: value})
    assert resp.status_code == 400, resp.text
    assert resp.json()["code"] == "400 Bad Request"


@pytest.mark.parametrize(("key", "value"), WRONG_TYPES)
def test_a_core_attribute_of_the_wrong_type_is_400_on_update(api: ImageAPI, key, value) -> None:  # noqa: ANN001
    image = api.create(name="typed")
    resp = api.patch(image["id"], [{"op": "replace", "path": f"/{key}", "value": value}])
    assert resp.status_code == 400, resp.text
    assert api.http.get(f"/v2/images/{image['id']}").json()[key] == image[key]
