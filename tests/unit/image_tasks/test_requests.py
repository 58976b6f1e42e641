"""Import and task request bodies: what is accepted, and the 4xx for what is not."""

from __future__ import annotations

import pytest

from kilocloud.core.errors import BadRequest, Conflict
from kilocloud.image.stores import Stores
from kilocloud.image.tasks import task_types
from kilocloud.image.tasks.import_plan import plan

ENABLED = ["glance-direct", "web-download", "copy-image"]
STORES = Stores({"fast": object(), "slow": object()}, "fast", multistore=True)


def test_glance_direct_goes_to_the_default_store() -> None:
    request = plan({"method": {"name": "glance-direct"}}, ENABLED, STORES)
    assert (request.method, request.stores, request.all_stores_must_succeed) == (
        "glance-direct",
        ["fast"],
        True,
    )


def test_all_stores_and_explicit_stores() -> None:
    body = {"method": {"name": "web-download", "uri": "http://h/x"}, "all_stores": True}
    assert plan(body, ENABLED, STORES).stores == ["fast", "slow"]
    body = {"method": {"name": "copy-image"}, "stores": ["slow", "slow"]}
    assert plan(body, ENABLED, STORES).stores == ["slow"]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (None, BadRequest),
        ({"method": {"name": "glance-download"}}, BadRequest),
        ({"method": {"name": "web-download", "uri": 5}}, BadRequest),
        ({"method": {"name": "glance-direct"}, "stores": ["x"]}, Conflict),
        ({"method": {"name": "glance-direct"}, "stores": ["fast"], "all_stores": True}, BadRequest),
        ({"method": {"name": "glance-direct"}, "all_stores": "yes"}, BadRequest),
        ({"method": {"name": "copy-image"}}, BadRequest),
    ],
)
def test_bad_import_bodies(body: object, error: type) -> None:
    with pytest.raises(error):
        plan(body, ENABLED, STORES)


def test_a_disabled_method_is_refused() -> None:
    with pytest.raises(BadRequest, match="not enabled"):
        plan({"method": {"name": "web-download", "uri": "http://h"}}, ["glance-direct"], STORES)


def test_import_task_converts_when_the_source_format_differs() -> None:
    props = {"disk_format": "raw", "container_format": "bare"}
    body = {"type": "import", "input": {"import_from": "http://h/x", "import_from_format": "qcow2"}}
    body["input"]["image_properties"] = props
    request = task_types.parse(body, None)
    assert request.source == {"kind": "url", "uri": "http://h/x", "format": "qcow2"}
    assert request.convert_to == "raw"
    del body["input"]["import_from_format"]
    assert task_types.parse(body, None).convert_to is None
    assert task_types.parse(body, "qcow2").convert_to == "qcow2"


def test_convert_task_makes_a_bare_image_of_the_target_format() -> None:
    body = {"type": "convert", "input": {"image_id": "i", "disk_format": "qcow2"}}
    request = task_types.parse(body, None)
    assert request.image == {"container_format": "bare", "disk_format": "qcow2"}
    assert request.source == {"kind": "image", "image_id": "i"}
