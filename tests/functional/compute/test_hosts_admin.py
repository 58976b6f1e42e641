"""Compute services and hypervisors: heartbeats, enable/disable, forced down, by persona."""

from __future__ import annotations

from tests.functional.compute.conftest import ComputeAPI, error


def test_cli_lists_three_compute_hosts_up(fake_cloud) -> None:
    services = fake_cloud.cli_json("compute", "service", "list")
    hosts = {s["Host"]: (s["Binary"], s["Status"], s["State"]) for s in services}
    assert {"fake-a", "fake-b"} <= set(hosts)
    assert all(v == ("nova-compute", "enabled", "up") for v in hosts.values())
    hypervisors = fake_cloud.cli_json("hypervisor", "list")
    assert {h["Hypervisor Hostname"] for h in hypervisors} >= {"fake-a", "fake-b"}


def test_disable_with_reason_and_force_down_at_2_53(fake_cloud) -> None:
    api = ComputeAPI(fake_cloud, fake_cloud.admin_token(), "2.53")
    services = api.get("/os-services?host=fake-b").json()["services"]
    service_id = services[0]["id"]
    body = {"status": "disabled", "disabled_reason": "maintenance"}
    shown = api.put(f"/os-services/{service_id}", body).json()["service"]
    assert (shown["status"], shown["disabled_reason"]) == ("disabled", "maintenance")
    shown = api.put(f"/os-services/{service_id}", {"forced_down": True}).json()["service"]
    assert shown["state"] == "down" and shown["forced_down"] is True
    node = [
        h
        for h in api.get("/os-hypervisors").json()["hypervisors"]
        if h["hypervisor_hostname"] == "fake-b"
    ][0]
    assert (node["state"], node["status"]) == ("down", "disabled")
    api.put(f"/os-services/{service_id}", {"status": "enabled", "forced_down": False})
    assert api.get("/os-services?host=fake-b").json()["services"][0]["state"] == "up"


def test_legacy_disable_and_enable(fake_cloud) -> None:
    api = ComputeAPI(fake_cloud, fake_cloud.admin_token())
    body = {"host": "fake-a", "binary": "nova-compute", "disabled_reason": "r"}
    resp = api.put("/os-services/disable-log-reason", body)
    assert resp.json() == {
        "service": {
            "host": "fake-a",
            "binary": "nova-compute",
            "status": "disabled",
            "disabled_reason": "r",
        }
    }
    resp = api.put("/os-services/enable", {"host": "fake-a", "binary": "nova-compute"})
    assert resp.json()["service"]["status"] == "enabled"


def test_hypervisor_statistics_until_2_87(fake_cloud) -> None:
    api = ComputeAPI(fake_cloud, fake_cloud.admin_token())
    stats = api.get("/os-hypervisors/statistics").json()["hypervisor_statistics"]
    assert stats["count"] >= 3 and stats["memory_mb"] >= 3 * 4096
    error(api.at("2.88").get("/os-hypervisors/statistics"), 404)
    detail = api.at("2.88").get("/os-hypervisors/detail").json()["hypervisors"][0]
    assert "uptime" in detail and "memory_mb" not in detail


def test_services_and_hypervisors_are_admin_only(fake_cloud) -> None:
    member = ComputeAPI(fake_cloud, fake_cloud.new_project_user("member").token())
    assert error(member.get("/os-services"), 403) == (
        "Policy doesn't allow os_compute_api:os-services:list to be performed."
    )
    error(member.get("/os-hypervisors"), 403)


def test_aggregate_zone_places_servers(fake_cloud) -> None:
    from tests.functional.compute.conftest import make_image, wait_status

    agg = fake_cloud.cli_json("aggregate", "create", "--zone", "edge", "edge-agg")
    fake_cloud.cli("aggregate", "add", "host", "edge-agg", "fake-a")
    zones = {
        z["Zone Name"] for z in fake_cloud.cli_json("availability", "zone", "list", "--compute")
    }
    assert {"edge", "nova"} <= zones
    api = ComputeAPI(fake_cloud, fake_cloud.admin_token())
    image = make_image(fake_cloud)
    body = {
        "server": {"name": "edge", "imageRef": image, "flavorRef": "1", "availability_zone": "edge"}
    }
    server_id = api.post("/servers", body).json()["server"]["id"]
    server = wait_status(api, server_id, "ACTIVE")
    assert server["OS-EXT-SRV-ATTR:host"] == "fake-a"
    assert server["OS-EXT-AZ:availability_zone"] == "edge"
    resp = api.post("/servers", {"server": {**body["server"], "availability_zone": "nowhere"}})
    assert error(resp, 400) == "The requested availability zone is not available"
    api.delete(f"/servers/{server_id}")
    assert error(api.delete(f"/os-aggregates/{agg['id']}"), 400)
    fake_cloud.cli("aggregate", "remove", "host", "edge-agg", "fake-a")
    fake_cloud.cli("aggregate", "delete", "edge-agg")
