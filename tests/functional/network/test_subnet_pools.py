"""Subnet pools and address scopes through the CLI: subnets carved from a pool's prefixes."""

from __future__ import annotations

from tests.functional.network.conftest import NetAPI


def test_subnets_from_a_pool(cloud) -> None:  # noqa: ANN001
    scope = cloud.cli_json("address scope", "create", "--ip-version", "4", "scope4")
    pool = cloud.cli_json(
        "subnet pool", "create", "pool4", "--pool-prefix", "10.200.0.0/16",
        "--default-prefix-length", "26", "--address-scope", "scope4",
    )  # fmt: skip
    assert pool["address_scope_id"] == scope["id"] and pool["ip_version"] == 4
    assert str(pool["default_prefixlen"]) == "26" and str(pool["min_prefixlen"]) == "8"
    cloud.cli_json("network", "create", "pooled")
    first = cloud.cli_json(
        "subnet", "create", "p1", "--network", "pooled", "--subnet-pool", "pool4"
    )
    second = cloud.cli_json(
        "subnet", "create", "p2", "--network", "pooled", "--subnet-pool", "pool4",
        "--prefix-length", "28",
    )  # fmt: skip
    assert first["cidr"] == "10.200.0.0/26" and first["subnetpool_id"] == pool["id"]
    assert second["cidr"] == "10.200.0.64/28"
    in_use = cloud.cli("subnet pool", "delete", "pool4", check=False)
    assert in_use.returncode != 0
    scoped = cloud.cli("address scope", "delete", "scope4", check=False)
    assert scoped.returncode != 0
    cloud.cli("subnet", "delete", "p1", "p2")
    cloud.cli("subnet pool", "delete", "pool4")
    cloud.cli("address scope", "delete", "scope4")


def test_pool_bad_input(admin_api: NetAPI) -> None:
    mixed = admin_api.post(
        "/subnetpools", subnetpool={"name": "m", "prefixes": ["10.0.0.0/8", "2001:db8::/32"]}
    )
    assert admin_api.error(mixed, 400) == "InvalidInput"
    pool = admin_api.http.post(
        "/subnetpools",
        json={"subnetpool": {"name": "small", "prefixes": ["10.210.0.0/30"], "min_prefixlen": 30}},
    ).json()["subnetpool"]
    network = admin_api.create("network", name="tight")
    body = {
        "network_id": network["id"],
        "ip_version": 4,
        "subnetpool_id": pool["id"],
        "enable_dhcp": False,
    }
    assert admin_api.post("/subnets", subnet=body).status_code == 201
    full = admin_api.post("/subnets", subnet=body)
    assert admin_api.error(full, 409) == "SubnetAllocationError"
    shrink = admin_api.http.put(
        f"/subnetpools/{pool['id']}", json={"subnetpool": {"prefixes": ["10.211.0.0/24"]}}
    )
    assert admin_api.error(shrink, 400) == "InvalidInput"
    member_shared = admin_api.http.get(f"/subnetpools/{pool['id']}").json()["subnetpool"]
    assert member_shared["prefixes"] == ["10.210.0.0/30"]
