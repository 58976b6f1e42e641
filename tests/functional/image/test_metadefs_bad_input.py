"""Bad metadef requests get Glance's 4xx status and error body, never a 500."""

from __future__ import annotations

import uuid

import pytest

from .conftest import ImageAPI

NS = "/v2/metadefs/namespaces"


def _error(resp, status: int) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["code"].startswith(str(status)) and body["message"]
    assert resp.headers["x-openstack-request-id"].startswith("req-")
    return body


@pytest.fixture
def ns(api: ImageAPI) -> str:
    """A fresh private namespace with a property, an object and a tag; removed afterwards."""
    name = f"OS::Bad::{uuid.uuid4().hex[:8]}"
    body = {
        "namespace": name,
        "properties": {"p": {"title": "P", "type": "string"}},
        "objects": [{"name": "o"}],
        "tags": [{"name": "t"}],
    }
    assert api.http.post(NS, json=body).status_code == 201
    yield name
    api.http.delete(f"{NS}/{name}")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"namespace": 5},
        {"namespace": ""},
        {"namespace": "x" * 81},
        {"namespace": "ok", "visibility": "shared"},
        {"namespace": "ok", "protected": "yes"},
        {"namespace": "ok", "description": "d" * 501},
        {"namespace": "ok", "unknown": 1},
        {"namespace": "ok", "properties": {"p": {"title": "P"}}},
        {"namespace": "ok", "properties": {"x" * 81: {"title": "P", "type": "string"}}},
        {"namespace": "ok", "objects": [{"description": "no name"}]},
        {"namespace": "ok", "tags": [{"name": "y" * 81}]},
        {"namespace": "ok", "resource_type_associations": [{"prefix": "hw_"}]},
        {"namespace": "nul\x00"},
        ["namespace"],
    ],
)
def test_bad_namespace_bodies_are_400(api, body):
    _error(api.http.post(NS, json=body), 400)


def test_malformed_and_empty_json_are_400(api, ns):
    headers = {"Content-Type": "application/json"}
    _error(api.http.post(NS, content=b"{not json", headers=headers), 400)
    _error(api.http.post(NS, content=b"", headers=headers), 400)
    for path in ("objects", "properties", "tags", "resource_types"):
        _error(api.http.post(f"{NS}/{ns}/{path}", content=b"[", headers=headers), 400)
    for path in ("", "/objects/o", "/properties/p", "/tags/t"):
        _error(api.http.put(f"{NS}/{ns}{path}", content=b"{", headers=headers), 400)


@pytest.mark.parametrize("attribute", ["self", "schema", "created_at", "updated_at"])
def test_read_only_attributes_are_403(api, ns, attribute):
    _error(api.http.post(NS, json={"namespace": "ro", attribute: "x"}), 403)
    _error(api.http.put(f"{NS}/{ns}", json={"namespace": ns, attribute: "x"}), 403)
    _error(api.http.post(f"{NS}/{ns}/objects", json={"name": "ro", attribute: "x"}), 403)


def test_duplicates_are_409(api, ns):
    _error(api.http.post(NS, json={"namespace": ns}), 409)
    _error(api.http.post(f"{NS}/{ns}/objects", json={"name": "o"}), 409)
    prop = {"name": "p", "title": "P", "type": "string"}
    _error(api.http.post(f"{NS}/{ns}/properties", json=prop), 409)
    _error(api.http.post(f"{NS}/{ns}/tags/t"), 409)
    _error(api.http.post(f"{NS}/{ns}/tags/T"), 409)  # tag names ignore case
    twice = {"tags": [{"name": "a"}, {"name": "A"}]}
    _error(api.http.post(f"{NS}/{ns}/tags", json=twice), 409)
    append = {"X-OpenStack-Append": "True"}
    _error(api.http.post(f"{NS}/{ns}/tags", json={"tags": [{"name": "t"}]}, headers=append), 409)
    assert api.http.post(f"{NS}/{ns}/resource_types", json={"name": "OS::Dup"}).status_code == 201
    _error(api.http.post(f"{NS}/{ns}/resource_types", json={"name": "OS::Dup"}), 409)
    other = f"{ns}-2"
    assert api.http.post(NS, json={"namespace": other}).status_code == 201
    _error(api.http.put(f"{NS}/{other}", json={"namespace": ns}), 409)
    assert api.http.post(f"{NS}/{ns}/objects", json={"name": "o2"}).status_code == 201
    _error(api.http.put(f"{NS}/{ns}/objects/o2", json={"name": "o"}), 409)
    api.http.delete(f"{NS}/{other}")


def test_unknown_namespace_is_404_everywhere(api):
    gone = f"{NS}/OS::Missing::{uuid.uuid4().hex[:6]}"
    for method, path, body in [
        ("GET", "", None),
        ("PUT", "", {"namespace": "x"}),
        ("DELETE", "", None),
        ("GET", "/objects", None),
        ("POST", "/objects", {"name": "o"}),
        ("DELETE", "/objects", None),
        ("GET", "/objects/o", None),
        ("GET", "/properties", None),
        ("POST", "/properties", {"name": "p", "title": "P", "type": "string"}),
        ("DELETE", "/properties", None),
        ("GET", "/properties/p", None),
        ("GET", "/tags", None),
        ("POST", "/tags", {"tags": [{"name": "t"}]}),
        ("DELETE", "/tags", None),
        ("POST", "/tags/t", None),
        ("GET", "/resource_types", None),
        ("POST", "/resource_types", {"name": "OS::X"}),
        ("DELETE", "/resource_types/OS::X", None),
    ]:
        _error(api.http.request(method, gone + path, json=body), 404)


def test_unknown_children_are_404(api, ns):
    for path in ("objects/nope", "properties/nope", "tags/nope"):
        _error(api.http.get(f"{NS}/{ns}/{path}"), 404)
        _error(api.http.delete(f"{NS}/{ns}/{path}"), 404)
    _error(api.http.put(f"{NS}/{ns}/objects/nope", json={"name": "nope"}), 404)
    prop = {"name": "nope", "title": "N", "type": "string"}
    _error(api.http.put(f"{NS}/{ns}/properties/nope", json=prop), 404)
    _error(api.http.put(f"{NS}/{ns}/tags/nope", json={"name": "x"}), 404)
    _error(api.http.delete(f"{NS}/{ns}/resource_types/OS::Never"), 404)
    _error(api.http.get(f"{NS}/{ns}/properties/p", params={"resource_type": "OS::Never"}), 404)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("objects", {"name": 3}),
        ("objects", {"name": "o", "required": "cores"}),
        ("objects", {"name": "o", "properties": {"c": {"type": "integer"}}}),
        ("properties", {"name": "p", "title": "P"}),
        ("properties", {"name": "p", "title": "P", "type": "decimal"}),
        ("properties", {"name": "p", "title": "P", "type": "string", "pattern": "("}),
        ("properties", {"name": "p", "title": "P", "type": "integer", "minimum": "1"}),
        ("properties", {"name": "p", "title": "P", "type": "string", "maxLength": -1}),
        ("properties", {"name": "z" * 81, "title": "P", "type": "string"}),
        ("tags", {"tags": "a"}),
        ("tags", {"tags": [{"label": "a"}]}),
        ("tags", {"tags": [{"name": "n" * 81}]}),
        ("resource_types", {"name": ["OS::X"]}),
        ("resource_types", {"name": "OS::X", "prefix": "p" * 81}),
    ],
)
def test_bad_child_bodies_are_400(api, ns, path, body):
    _error(api.http.post(f"{NS}/{ns}/{path}", json=body), 400)


def test_bad_tag_names_and_renames_are_400(api, ns):
    _error(api.http.post(f"{NS}/{ns}/tags/{'n' * 81}"), 400)
    _error(api.http.put(f"{NS}/{ns}/tags/t", json={"name": 1}), 400)
    _error(api.http.put(f"{NS}/{ns}/tags/t", json={}), 400)
    _error(api.http.put(f"{NS}/{ns}/tags/t", json={"name": "u", "created_at": "x"}), 403)


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "x"},
        {"limit": "-1"},
        {"sort_dir": "up"},
        {"sort_key": "owner; drop"},
        {"visibility": "shared"},
    ],
)
def test_bad_list_parameters_are_400(api, params):
    _error(api.http.get(NS, params=params), 400)


def test_unknown_marker_is_404(api):
    _error(api.http.get(NS, params={"marker": "OS::Never::There"}), 404)


def test_protected_namespace_and_its_contents_refuse_delete(api, ns):
    changes = {"namespace": ns, "protected": True}
    assert api.http.put(f"{NS}/{ns}", json=changes).status_code == 200
    assoc = api.http.post(f"{NS}/{ns}/resource_types", json={"name": "OS::Kept"})
    assert assoc.status_code == 201
    for path in ("", "/objects", "/properties", "/tags", "/objects/o", "/properties/p", "/tags/t"):
        _error(api.http.delete(f"{NS}/{ns}{path}"), 403)
    _error(api.http.delete(f"{NS}/{ns}/resource_types/OS::Kept"), 403)
    shown = api.http.get(f"{NS}/{ns}").json()
    assert shown["objects"] and shown["properties"] and shown["tags"]
    assert api.http.put(f"{NS}/{ns}", json={"namespace": ns}).status_code == 200


def test_unknown_schema_is_404(api):
    _error(api.http.get("/v2/schemas/metadefs/nothing"), 404)
