"""The metadefs migration and queries on MariaDB and PostgreSQL, through the real server."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from .conftest import ImageAPI

NS = "/v2/metadefs/namespaces"


@pytest.mark.parametrize("backend", ["mariadb", "postgresql"])
def test_metadefs_on(backend, cloud_factory, throwaway_database):
    cloud = cloud_factory(throwaway_database(backend))
    api = ImageAPI(cloud, cloud.admin_token())
    body = {
        "namespace": "OS::Db::Über",
        "description": "ünïcödé 🚀",
        "resource_type_associations": [{"name": "OS::Glance::Image", "prefix": "hw_"}],
        "properties": {"cpu": {"title": "CPU", "type": "integer", "default": 2}},
        "objects": [{"name": "Mem", "properties": {"s": {"title": "S", "type": "string"}}}],
        "tags": [{"name": "Fast"}],
    }
    assert api.http.post(NS, json=body).status_code == 201, backend
    # names are exact on every backend: a name differing only in case is another namespace
    assert api.http.post(NS, json={"namespace": "os::db::über"}).status_code == 201
    assert api.http.post(NS, json={"namespace": "OS::Db::Über"}).status_code == 409
    assert api.http.post(f"{NS}/OS::Db::Über/tags/fast").status_code == 409
    assert api.http.post(f"{NS}/OS::Db::Über/tags/🏷").status_code == 201
    shown = api.http.get(f"{NS}/OS::Db::Über").json()
    assert shown["description"] == "ünïcödé 🚀"
    assert shown["properties"]["cpu"]["default"] == 2
    page = api.http.get(NS, params={"limit": 1, "sort_key": "namespace", "sort_dir": "asc"})
    assert [n["namespace"] for n in page.json()["namespaces"]] == ["OS::Db::Über"]
    rest = api.http.get(page.json()["next"]).json()
    assert [n["namespace"] for n in rest["namespaces"]] == ["os::db::über"]
    filtered = api.http.get(NS, params={"resource_types": "OS::Glance::Image"}).json()
    assert [n["namespace"] for n in filtered["namespaces"]] == ["OS::Db::Über"]
    renamed = {
        "name": "Mem2",
        "required": ["s"],
        "properties": {"s": {"title": "S", "type": "string"}},
    }
    assert api.http.put(f"{NS}/OS::Db::Über/objects/Mem", json=renamed).status_code == 200
    assert (
        api.http.post(
            f"{NS}/os::db::über/resource_types", json={"name": "OS::Glance::Image"}
        ).status_code
        == 201
    )
    types = api.http.get("/v2/metadefs/resource_types").json()["resource_types"]
    assert [t["name"] for t in types] == ["OS::Glance::Image"]
    assert api.http.delete(f"{NS}/OS::Db::Über").status_code == 204
    assert api.http.get(f"{NS}/OS::Db::Über/objects/Mem2").status_code == 404
    assert api.http.delete(f"{NS}/os::db::über/resource_types/OS::Glance::Image").status_code == 204


@pytest.mark.parametrize("backend", ["sqlite", "mariadb", "postgresql"])
def test_racing_creates_of_one_name_make_one_namespace(
    backend, cloud, cloud_factory, throwaway_database
):
    target = cloud if backend == "sqlite" else cloud_factory(throwaway_database(backend))
    token = target.admin_token()
    name = f"OS::Race::{backend}"
    body = {"namespace": name, "resource_type_associations": [{"name": f"OS::Race::{backend}"}]}

    async def create_all() -> list[int]:
        headers = {"X-Auth-Token": token, "Accept": "application/json"}
        async with httpx.AsyncClient(base_url=f"{target.url}/image", headers=headers) as http:
            answers = await asyncio.gather(*(http.post(NS, json=body) for _ in range(12)))
        return sorted(r.status_code for r in answers)

    assert asyncio.run(create_all()) == [201] + [409] * 11
