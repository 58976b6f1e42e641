"""Version documents, microversion negotiation, and Nova's error bodies."""

from __future__ import annotations

import httpx

from kilocloud.compute import microversions
from tests.functional.compute.conftest import error

MAX = microversions.text(microversions.MAX)


def test_root_lists_v2_and_v21_with_absolute_links(cloud) -> None:
    resp = httpx.get(f"{cloud.url}/compute/")
    assert resp.status_code == 200
    versions = resp.json()["versions"]
    assert [v["id"] for v in versions] == ["v2.0", "v2.1"]
    assert versions[1] | {"links": None} == {
        "id": "v2.1",
        "status": "CURRENT",
        "version": MAX,
        "min_version": "2.1",
        "updated": "2013-07-23T11:33:21Z",
        "links": None,
    }
    assert versions[1]["links"] == [{"rel": "self", "href": f"{cloud.url}/compute/v2.1/"}]
    assert "openstack-api-version" not in resp.headers


def test_each_self_link_returns_the_same_self_link(cloud) -> None:
    for entry in httpx.get(f"{cloud.url}/compute/").json()["versions"]:
        href = entry["links"][0]["href"]
        doc = httpx.get(href).json()["version"]
        assert doc["id"] == entry["id"]
        assert doc["links"][0] == {"rel": "self", "href": href}


def test_no_version_header_is_2_1_and_is_echoed_with_vary(compute) -> None:
    resp = compute.get("/flavors")
    assert resp.headers["openstack-api-version"] == "compute 2.1"
    assert resp.headers["x-openstack-nova-api-version"] == "2.1"
    assert "OpenStack-API-Version" in resp.headers.get_list("vary")
    assert "X-OpenStack-Nova-API-Version" in resp.headers.get_list("vary")
    assert resp.headers["x-compute-request-id"] == resp.headers["x-openstack-request-id"]


def test_latest_and_legacy_header(compute) -> None:
    resp = compute.get("/flavors", headers={"OpenStack-API-Version": "compute latest"})
    assert resp.headers["openstack-api-version"] == f"compute {MAX}"
    resp = compute.get("/flavors", headers={"X-OpenStack-Nova-API-Version": "2.1"})
    assert resp.headers["x-openstack-nova-api-version"] == "2.1"


def test_out_of_range_version_is_406(compute) -> None:
    resp = compute.get("/flavors", headers={"OpenStack-API-Version": "compute 2.999"})
    message = error(resp, 406)
    assert (
        message
        == f"Version 2.999 is not supported by the API. Minimum is 2.1 and maximum is {MAX}."
    )
    assert error(compute.get("/flavors", headers={"OpenStack-API-Version": "compute 3.0"}), 406)


def test_malformed_version_is_400(compute) -> None:
    resp = compute.get("/flavors", headers={"OpenStack-API-Version": "compute 2.x"})
    assert "invalid format" in error(resp, 400)


def test_unknown_path_and_method_in_nova_body(compute) -> None:
    assert error(compute.get("/no-such-thing"), 404) == "The resource could not be found."
    resp = compute.http.patch("/flavors")
    assert resp.status_code == 405 and "badMethod" in resp.json()


def test_unauthenticated_is_401(cloud) -> None:
    resp = httpx.get(f"{cloud.url}/compute/v2.1/flavors")
    assert resp.status_code == 401 and "unauthorized" in resp.json()


def test_malformed_body_is_400(compute) -> None:
    resp = compute.http.post(
        "/flavors", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert error(resp, 400) == "Malformed request body"


def test_catalog_names_nova(cloud) -> None:
    services = cloud.cli_json("catalog", "list")
    compute = next(s for s in services if s["Type"] == "compute")
    assert compute["Name"] == "nova"
    assert all(e["url"] == f"{cloud.url}/compute/v2.1" for e in compute["Endpoints"])
