"""Metadef policy by persona: admins change the catalog; others read public namespaces and
their own project's private ones, and cannot even see other projects' private ones."""

from __future__ import annotations

import uuid

import pytest

from .conftest import ImageAPI

NS = "/v2/metadefs/namespaces"


@pytest.fixture(scope="module")
def personas(cloud) -> dict[str, object]:
    member = cloud.new_project_user("member")
    reader = cloud.new_project_user("reader")
    return {
        "admin": ImageAPI(cloud, cloud.admin_token()),
        "member": ImageAPI(cloud, member.token()),
        "member_project": member.project_id,
        "reader": ImageAPI(cloud, reader.token()),
        "reader_project": reader.project_id,
    }


def _make(admin: ImageAPI, **extra) -> str:
    name = f"OS::Persona::{uuid.uuid4().hex[:8]}"
    body = {"namespace": name, "properties": {"p": {"title": "P", "type": "string"}}, **extra}
    body.setdefault("objects", [{"name": "o"}])
    body.setdefault("tags", [{"name": "t"}])
    assert admin.http.post(NS, json=body).status_code == 201
    return name


def test_non_admins_cannot_create_namespaces(personas):
    for who in ("member", "reader"):
        resp = personas[who].http.post(NS, json={"namespace": f"OS::Mine::{who}"})
        assert resp.status_code == 403, resp.text
        assert resp.json()["message"]


def test_everyone_reads_a_public_namespace_but_only_admins_change_it(personas):
    name = _make(personas["admin"], visibility="public")
    for who in ("member", "reader"):
        api = personas[who]
        assert api.http.get(f"{NS}/{name}").status_code == 200
        assert name in [
            n["namespace"] for n in api.http.get(NS, params={"limit": 1000}).json()["namespaces"]
        ]
        for path in (
            "objects",
            "objects/o",
            "properties",
            "properties/p",
            "tags",
            "tags/t",
            "resource_types",
        ):
            assert api.http.get(f"{NS}/{name}/{path}").status_code == 200, path
        refused = [
            api.http.put(f"{NS}/{name}", json={"namespace": name}),
            api.http.delete(f"{NS}/{name}"),
            api.http.post(f"{NS}/{name}/objects", json={"name": "x"}),
            api.http.put(f"{NS}/{name}/objects/o", json={"name": "o"}),
            api.http.delete(f"{NS}/{name}/objects/o"),
            api.http.delete(f"{NS}/{name}/objects"),
            api.http.post(
                f"{NS}/{name}/properties", json={"name": "x", "title": "X", "type": "string"}
            ),
            api.http.delete(f"{NS}/{name}/properties/p"),
            api.http.delete(f"{NS}/{name}/properties"),
            api.http.post(f"{NS}/{name}/tags/x"),
            api.http.post(f"{NS}/{name}/tags", json={"tags": [{"name": "x"}]}),
            api.http.put(f"{NS}/{name}/tags/t", json={"name": "u"}),
            api.http.delete(f"{NS}/{name}/tags/t"),
            api.http.delete(f"{NS}/{name}/tags"),
            api.http.post(f"{NS}/{name}/resource_types", json={"name": "OS::X"}),
        ]
        assert [r.status_code for r in refused] == [403] * len(refused)
    assert personas["admin"].http.delete(f"{NS}/{name}").status_code == 204


def test_another_projects_private_namespace_is_404(personas):
    name = _make(personas["admin"])  # private to the admin project
    for who in ("member", "reader"):
        api = personas[who]
        assert api.http.get(f"{NS}/{name}").status_code == 404
        listed = api.http.get(NS, params={"limit": 1000}).json()["namespaces"]
        assert name not in [n["namespace"] for n in listed]
        for path in (
            "objects",
            "objects/o",
            "properties",
            "properties/p",
            "tags",
            "tags/t",
            "resource_types",
        ):
            assert api.http.get(f"{NS}/{name}/{path}").status_code == 404, path
        assert api.http.delete(f"{NS}/{name}").status_code == 404
        assert api.http.put(f"{NS}/{name}", json={"namespace": name}).status_code == 404
        assert api.http.post(f"{NS}/{name}/tags/x").status_code == 404
        assert api.http.get(NS, params={"marker": name}).status_code == 404
    assert personas["admin"].http.get(f"{NS}/{name}").status_code == 200
    assert personas["admin"].http.delete(f"{NS}/{name}").status_code == 204


def test_a_project_reads_its_own_private_namespace(personas):
    name = _make(personas["admin"], owner=personas["member_project"])
    member, reader = personas["member"], personas["reader"]
    assert member.http.get(f"{NS}/{name}").json()["owner"] == personas["member_project"]
    private = member.http.get(NS, params={"visibility": "private", "limit": 1000}).json()
    assert name in [n["namespace"] for n in private["namespaces"]]
    assert member.http.delete(f"{NS}/{name}").status_code == 403  # visible, yet admin-only
    assert reader.http.get(f"{NS}/{name}").status_code == 404
    assert personas["admin"].http.delete(f"{NS}/{name}").status_code == 204


def test_anyone_lists_resource_types_and_schemas(personas):
    for who in ("member", "reader"):
        api = personas[who]
        assert api.http.get("/v2/metadefs/resource_types").status_code == 200
        assert api.http.get("/v2/schemas/metadefs/namespace").json()["name"] == "namespace"
