"""Quota sets, limits and availability zones."""

from __future__ import annotations

from tests.functional.compute.conftest import ComputeAPI, error

KEYS_2_1 = {
    "instances",
    "cores",
    "ram",
    "metadata_items",
    "key_pairs",
    "server_groups",
    "server_group_members",
    "injected_files",
    "injected_file_content_bytes",
    "injected_file_path_bytes",
    "fixed_ips",
    "floating_ips",
    "security_groups",
    "security_group_rules",
}


def test_defaults_and_update(cloud, compute) -> None:
    member = cloud.new_project_user("member")
    shown = compute.get(f"/os-quota-sets/{member.project_id}").json()["quota_set"]
    assert set(shown) == KEYS_2_1 | {"id"}
    assert (shown["instances"], shown["cores"], shown["ram"]) == (10, 20, 51200)
    resp = compute.put(f"/os-quota-sets/{member.project_id}", {"quota_set": {"instances": 3}})
    assert resp.status_code == 200 and "id" not in resp.json()["quota_set"]
    assert resp.json()["quota_set"]["instances"] == 3
    detail = compute.get(f"/os-quota-sets/{member.project_id}/detail").json()["quota_set"]
    assert detail["instances"] == {"limit": 3, "in_use": 0, "reserved": 0}
    defaults = compute.get(f"/os-quota-sets/{member.project_id}/defaults").json()["quota_set"]
    assert defaults["instances"] == 10
    assert compute.delete(f"/os-quota-sets/{member.project_id}").status_code == 202
    assert compute.get(f"/os-quota-sets/{member.project_id}").json()["quota_set"]["instances"] == 10


def test_quota_update_is_admin_only_and_validated(cloud, compute) -> None:
    member = cloud.new_project_user("member")
    api = ComputeAPI(cloud, member.token())
    assert api.get(f"/os-quota-sets/{member.project_id}").status_code == 200
    resp = api.put(f"/os-quota-sets/{member.project_id}", {"quota_set": {"instances": 3}})
    assert (
        error(resp, 403)
        == "Policy doesn't allow os_compute_api:os-quota-sets:update to be performed."
    )
    resp = compute.put(f"/os-quota-sets/{member.project_id}", {"quota_set": {"instances": -2}})
    assert "Invalid input for field/attribute instances" in error(resp, 400)
    other = cloud.new_project_user("member")
    error(ComputeAPI(cloud, other.token()).get(f"/os-quota-sets/{member.project_id}"), 403)


def test_limits_at_2_1(compute) -> None:
    absolute = compute.get("/limits").json()["limits"]["absolute"]
    assert absolute["maxTotalInstances"] == 10 and absolute["totalInstancesUsed"] >= 0
    assert "maxImageMeta" in absolute and "maxSecurityGroups" in absolute


def test_cli_quota_and_limits(cloud) -> None:
    limits = {r["Name"]: r["Value"] for r in cloud.cli_json("limits", "show", "--absolute")}
    assert limits["instances"] == 10


def test_availability_zone_detail_is_admin_only(cloud, compute) -> None:
    assert compute.get("/os-availability-zone/detail").status_code == 200
    member = ComputeAPI(cloud, cloud.new_project_user("member").token())
    assert member.get("/os-availability-zone").status_code == 200
    error(member.get("/os-availability-zone/detail"), 403)
