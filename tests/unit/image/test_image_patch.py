"""JSON patch of images: both media types, Glance's add/replace/remove rules."""

from __future__ import annotations

import pytest

from kilocloud.core.errors import BadRequest, Conflict, Forbidden
from kilocloud.image.service import patch

V21, V20 = patch.PATCH_V21, patch.PATCH_V20
ENTITY = {"name": "a", "min_ram": 0, "tags": [], "flavor": "small"}


def test_v21_and_v20_forms_normalize_alike():
    new = patch.normalize([{"op": "replace", "path": "/name", "value": "b"}], V21)
    old = patch.normalize([{"replace": "/name", "value": "b"}], V20)
    assert [(c["op"], c["path"], c["value"]) for c in new] == [("replace", "name", "b")]
    assert [(c["op"], c["path"], c["value"]) for c in old] == [("replace", "name", "b")]


def test_json_pointer_escapes_are_decoded():
    change = patch.normalize([{"op": "add", "path": "/a~1b~0c", "value": "x"}], V21)[0]
    assert change["path"] == "a/b~c"


@pytest.mark.parametrize(
    "body",
    [
        {"op": "add"},
        [{"op": "test", "path": "/name", "value": "x"}],
        [{"op": "add", "path": "/name/first", "value": "x"}],
        [{"op": "add", "path": "", "value": "x"}],
        [{"op": "add", "path": "/name"}],
        ["add"],
    ],
)
def test_malformed_patches_are_bad_requests(body):
    with pytest.raises(BadRequest):
        patch.normalize(body, V21)


def test_v20_operation_needs_exactly_one_verb():
    with pytest.raises(BadRequest):
        patch.normalize([{"add": "/a", "remove": "/b", "value": 1}], V20)


@pytest.mark.parametrize("name", ["id", "status", "size", "checksum", "os_glance_x", "self"])
def test_read_only_and_reserved_paths_are_forbidden(name):
    with pytest.raises(Forbidden):
        patch.normalize([{"op": "replace", "path": f"/{name}", "value": "x"}], V21)


def test_apply_add_replace_remove():
    changes = patch.normalize(
        [
            {"op": "add", "path": "/os_distro", "value": "debian"},
            {"op": "replace", "path": "/name", "value": "b"},
            {"op": "remove", "path": "/flavor"},
        ],
        V21,
    )
    result = patch.apply(ENTITY, changes)
    assert result == {"name": "b", "min_ram": 0, "tags": [], "os_distro": "debian"}
    assert ENTITY["flavor"] == "small"


def test_replace_of_missing_property_is_conflict():
    changes = patch.normalize([{"op": "replace", "path": "/nope", "value": "x"}], V21)
    with pytest.raises(Conflict):
        patch.apply(ENTITY, changes)


def test_remove_of_core_attribute_is_forbidden():
    changes = patch.normalize([{"op": "remove", "path": "/name"}], V21)
    with pytest.raises(Forbidden):
        patch.apply(ENTITY, changes)


def test_v20_add_of_present_property_is_conflict_but_v21_add_replaces():
    with pytest.raises(Conflict):
        patch.apply(ENTITY, patch.normalize([{"add": "/flavor", "value": "big"}], V20))
    changes = patch.normalize([{"op": "add", "path": "/flavor", "value": "big"}], V21)
    assert patch.apply(ENTITY, changes)["flavor"] == "big"
