"""Port updates: addresses, security groups, port security, address pairs, bindings."""

from __future__ import annotations

import pytest

from tests.functional.network.conftest import NetAPI


@pytest.fixture(scope="module")
def net(admin_api: NetAPI) -> dict:
    network = admin_api.create("network", name="updates")
    subnet = admin_api.create("subnet", network_id=network["id"], ip_version=4, cidr="10.85.0.0/24")
    return {"network": network, "subnet": subnet}


def test_fixed_ips_replaced_and_freed(admin_api: NetAPI, net: dict) -> None:
    port = admin_api.create("port", network_id=net["network"]["id"])
    old = port["fixed_ips"][0]["ip_address"]
    wanted = [{"subnet_id": net["subnet"]["id"], "ip_address": "10.85.0.200"}]
    resp = admin_api.http.put(f"/ports/{port['id']}", json={"port": {"fixed_ips": wanted}})
    assert resp.json()["port"]["fixed_ips"] == wanted
    assert resp.json()["port"]["revision_number"] == port["revision_number"] + 1
    reuse = admin_api.create(
        "port", network_id=net["network"]["id"], fixed_ips=[{"ip_address": old}]
    )
    assert reuse["fixed_ips"][0]["ip_address"] == old
    taken = admin_api.http.put(
        f"/ports/{reuse['id']}", json={"port": {"fixed_ips": [{"ip_address": "10.85.0.200"}]}}
    )
    assert admin_api.error(taken, 409) == "IpAddressAlreadyAllocated"
    shown = admin_api.http.get(f"/ports/{reuse['id']}").json()["port"]
    assert shown["fixed_ips"][0]["ip_address"] == old  # nothing half-changed


def test_port_security_and_groups(cloud, net: dict) -> None:  # noqa: ANN001
    conn = cloud.connect()
    group = conn.network.create_security_group(name="upd")
    port = conn.network.create_port(network_id=net["network"]["id"])
    port = conn.network.update_port(port, security_group_ids=[group.id])
    assert port.security_group_ids == [group.id]
    with pytest.raises(Exception, match="security group"):
        conn.network.update_port(port, is_port_security_enabled=False)
    port = conn.network.update_port(port, security_group_ids=[], is_port_security_enabled=False)
    assert port.is_port_security_enabled is False and port.security_group_ids == []
    port = conn.network.update_port(port, is_port_security_enabled=True)
    pairs = [{"ip_address": "10.85.0.0/28"}]
    port = conn.network.update_port(port, allowed_address_pairs=pairs)
    assert port.allowed_address_pairs == [
        {"ip_address": "10.85.0.0/28", "mac_address": port.mac_address}
    ]
    conn.network.update_port(port, security_group_ids=[group.id])
    with pytest.raises(Exception, match="in use"):
        conn.network.delete_security_group(group)


def test_binding_host_as_nova_sets_it(cloud, net: dict) -> None:  # noqa: ANN001
    conn = cloud.connect()
    port = conn.network.create_port(
        network_id=net["network"]["id"], device_id="server-1", device_owner="compute:nova"
    )
    assert port.binding_vif_type == "unbound"
    port = conn.network.update_port(port, binding_host_id="host-a")
    assert port.binding_vif_type == "bridge"
    assert port.binding_vif_details == {"port_filter": True, "connectivity": "l2"}
    found = list(conn.network.ports(device_id="server-1"))
    assert [p.id for p in found] == [port.id]
    listed = cloud.cli_json("port", "list", "--host", "host-a")
    assert [p["ID"] for p in listed] == [port.id]
