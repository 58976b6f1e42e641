"""Regions, services and endpoints: CRUD, filters, and the catalog following every change."""

from __future__ import annotations

import uuid

import pytest


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def admin(cloud):
    return cloud.connect()


def test_cli_region_create_list_and_delete(cloud):
    name = _name("R")
    created = cloud.cli_json("region", "create", name, "--description", "second")
    assert created["region"] == name
    child = cloud.cli_json("region", "create", name + "-a", "--parent-region", name)
    assert child["parent_region"] == name
    assert cloud.cli("region", "delete", name, check=False).returncode != 0
    cloud.cli("region", "delete", name + "-a")
    cloud.cli("region", "delete", name)
    assert name not in [r["Region"] for r in cloud.cli_json("region", "list")]


def test_region_errors(admin):
    name = _name("R")
    admin.identity.create_region(id=name)
    resp = admin.identity.post("/regions", json={"region": {"id": name}}, raise_exc=False)
    assert resp.status_code == 409
    orphan = {"region": {"id": _name("R"), "parent_region_id": "nope"}}
    assert admin.identity.post("/regions", json=orphan, raise_exc=False).status_code == 400
    loop = admin.identity.patch(
        f"/regions/{name}", json={"region": {"parent_region_id": name}}, raise_exc=False
    )
    assert loop.status_code == 400
    assert admin.identity.get("/regions/nope", raise_exc=False).status_code == 404


def test_cli_endpoint_list_shows_the_bootstrap_catalog(cloud):
    rows = cloud.cli_json("endpoint", "list")
    assert {"identity", "image", "messaging"} <= {r["Service Type"] for r in rows}
    assert {r["Interface"] for r in rows} == {"public", "internal", "admin"}
    public = cloud.cli_json("endpoint", "list", "--interface", "public", "--service", "image")
    assert [r["URL"] for r in public] == [f"{cloud.url}/image"]


def test_new_service_and_endpoint_appear_in_the_catalog(cloud, admin):
    kind = _name("type")
    service = admin.identity.create_service(type=kind, name=_name("svc"))
    endpoint = admin.identity.create_endpoint(
        service_id=service.id, interface="public", url="http://example.org/x", region_id="RegionOne"
    )
    catalog = cloud.cli_json("catalog", "list")
    assert kind in {c["Type"] for c in catalog}
    assert [s.id for s in admin.identity.services(type=kind)] == [service.id]
    admin.identity.update_endpoint(endpoint, url="http://example.org/y")
    assert admin.identity.get_endpoint(endpoint.id).url == "http://example.org/y"
    admin.identity.delete_service(service)
    assert admin.identity.get(f"/endpoints/{endpoint.id}", raise_exc=False).status_code == 404
    assert kind not in {c["Type"] for c in cloud.cli_json("catalog", "list")}


def test_endpoint_bad_input(admin):
    service = admin.identity.create_service(type=_name("type"), name=_name("svc"))
    base = {"service_id": service.id, "interface": "public", "url": "http://example.org"}
    for change, status in (
        ({"interface": "private"}, 400),
        ({"url": "not a url"}, 400),
        ({"region_id": "nowhere"}, 400),
        ({"service_id": "nope"}, 404),
    ):
        body = {"endpoint": base | change}
        assert admin.identity.post("/endpoints", json=body, raise_exc=False).status_code == status
    missing = admin.identity.post(
        "/endpoints", json={"endpoint": {"url": "http://x"}}, raise_exc=False
    )
    assert missing.status_code == 400
    assert list(admin.identity.endpoints(service_id=service.id)) == []
    admin.identity.delete_service(service)


def test_member_sees_regions_but_not_services_or_endpoints(cloud):
    conn = cloud.new_project_user("member").connect()
    assert conn.identity.get("/regions", raise_exc=False).status_code == 200
    assert conn.identity.get("/services", raise_exc=False).status_code == 403
    assert conn.identity.get("/endpoints", raise_exc=False).status_code == 403
    body = {"region": {"id": _name("R")}}
    assert conn.identity.post("/regions", json=body, raise_exc=False).status_code == 403
