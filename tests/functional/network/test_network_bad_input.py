"""Bad input: each answered with Neutron's status and error type, and nothing half-made."""

from __future__ import annotations

import pytest

from tests.functional.network.conftest import NetAPI


@pytest.fixture(scope="module")
def net(admin_api: NetAPI) -> dict:
    network = admin_api.create("network", name="bad-input")
    subnet = admin_api.create("subnet", network_id=network["id"], ip_version=4, cidr="10.60.0.0/24")
    return {"network": network, "subnet": subnet}


def _subnet(api: NetAPI, network_id: str, **attrs) -> object:
    return api.post("/subnets", subnet={"network_id": network_id, "ip_version": 4, **attrs})


@pytest.mark.parametrize(
    ("attrs", "status", "kind"),
    [
        ({"cidr": "10.60.0.128/25"}, 400, "InvalidInput"),
        ({"cidr": "10.61.0.0/33"}, 400, "HTTPBadRequest"),
        ({"cidr": "not-a-cidr"}, 400, "HTTPBadRequest"),
        ({"cidr": "2001:db8::/64"}, 400, "InvalidInput"),
        ({"cidr": "10.62.0.0/24", "gateway_ip": "10.62.0.0"}, 400, "InvalidInput"),
        ({"cidr": "10.62.0.0/24", "gateway_ip": "2001:db8::1"}, 400, "InvalidInput"),
        (
            {
                "cidr": "10.62.0.0/24",
                "allocation_pools": [{"start": "10.62.1.1", "end": "10.62.1.9"}],
            },
            400,
            "OutOfBoundsAllocationPool",
        ),
        (
            {
                "cidr": "10.62.0.0/24",
                "allocation_pools": [{"start": "10.62.0.1", "end": "10.62.0.9"}],
            },
            409,
            "GatewayConflictWithAllocationPools",
        ),
        (
            {"cidr": "10.62.0.0/24", "dns_nameservers": ["1.1.1.1", "1.1.1.1"]},
            400,
            "HTTPBadRequest",
        ),
        ({"cidr": "10.62.0.0/24", "colour": "red"}, 400, "HTTPBadRequest"),
    ],
)
def test_bad_subnets(admin_api: NetAPI, net: dict, attrs: dict, status: int, kind: str) -> None:
    before = admin_api.count("subnet")
    resp = _subnet(admin_api, net["network"]["id"], **attrs)
    assert admin_api.error(resp, status) == kind
    assert admin_api.count("subnet") == before


def test_overlap_message_is_neutrons(admin_api: NetAPI, net: dict) -> None:
    resp = _subnet(admin_api, net["network"]["id"], cidr="10.60.0.0/16")
    assert "overlaps with another subnet" in resp.json()["NeutronError"]["message"]


def test_bad_ports(admin_api: NetAPI, net: dict) -> None:
    network_id, subnet_id = net["network"]["id"], net["subnet"]["id"]
    admin_api.create("port", network_id=network_id, fixed_ips=[{"ip_address": "10.60.0.40"}])
    cases = [
        ({"fixed_ips": [{"ip_address": "10.60.0.40"}]}, 409, "IpAddressAlreadyAllocated"),
        (
            {"fixed_ips": [{"subnet_id": subnet_id, "ip_address": "10.70.0.4"}]},
            400,
            "InvalidIpForSubnet",
        ),
        ({"fixed_ips": [{"ip_address": "10.70.0.4"}]}, 400, "InvalidIpForNetwork"),
        ({"fixed_ips": [{"ip_address": "10.60.0.255"}]}, 400, "InvalidIpForNetwork"),
        ({"mac_address": "01:00:5e:00:00:01"}, 400, "HTTPBadRequest"),
        ({"port_security_enabled": False, "security_groups": []}, 201, None),
    ]
    for attrs, status, kind in cases:
        resp = admin_api.post("/ports", port={"network_id": network_id, **attrs})
        if kind:
            assert admin_api.error(resp, status) == kind, attrs
    mac = resp.json()["port"]["mac_address"]
    dup = admin_api.post("/ports", port={"network_id": network_id, "mac_address": mac})
    assert admin_api.error(dup, 409) == "MacAddressInUse"
    pairs = {"port_security_enabled": False, "allowed_address_pairs": [{"ip_address": "10.0.0.9"}]}
    resp = admin_api.post("/ports", port={"network_id": network_id, **pairs})
    assert admin_api.error(resp, 409) == "AddressPairAndPortSecurityRequired"


def test_bulk_create_is_all_or_nothing(admin_api: NetAPI, net: dict) -> None:
    network_id = net["network"]["id"]
    before = admin_api.count("port", network_id=network_id)
    bulk = [
        {"network_id": network_id, "name": "bulk-ok"},
        {"network_id": network_id, "fixed_ips": [{"ip_address": "10.99.0.1"}]},
    ]
    resp = admin_api.http.post("/ports", json={"ports": bulk})
    assert admin_api.error(resp, 400) == "InvalidIpForNetwork"
    assert admin_api.count("port", network_id=network_id) == before


def test_exhausted_subnet_is_409_never_a_duplicate(admin_api: NetAPI) -> None:
    network = admin_api.create("network", name="tiny")
    admin_api.create("subnet", network_id=network["id"], ip_version=4, cidr="10.65.0.0/29")
    made = []
    while True:
        resp = admin_api.post("/ports", port={"network_id": network["id"]})
        if resp.status_code != 201:
            break
        made.append(resp.json()["port"]["fixed_ips"][0]["ip_address"])
    assert admin_api.error(resp, 409) == "IpAddressGenerationFailure"
    assert len(made) == len(set(made)) == 4  # .2-.6 less the DHCP port's .2


def test_in_use_deletes_are_409(admin_api: NetAPI) -> None:
    network = admin_api.create("network", name="busy")
    subnet = admin_api.create("subnet", network_id=network["id"], ip_version=4, cidr="10.66.0.0/24")
    port = admin_api.create("port", network_id=network["id"])
    gone = admin_api.http.delete(f"/networks/{network['id']}")
    assert admin_api.error(gone, 409) == "NetworkInUse"
    assert "There are one or more ports still in use" in gone.json()["NeutronError"]["message"]
    assert admin_api.error(admin_api.http.delete(f"/subnets/{subnet['id']}"), 409) == "SubnetInUse"
    assert admin_api.http.delete(f"/ports/{port['id']}").status_code == 204
    assert admin_api.http.delete(f"/networks/{network['id']}").status_code == 204
    assert admin_api.error(admin_api.http.get(f"/subnets/{subnet['id']}"), 404) == "SubnetNotFound"


def test_malformed_bodies_and_headers(admin_api: NetAPI, net: dict) -> None:
    http = admin_api.http
    resp = http.post("/networks", content=b"{nope", headers={"Content-Type": "application/json"})
    assert admin_api.error(resp, 400) == "MalformedRequestBody"
    assert admin_api.error(http.post("/networks", json={"net": {}}), 400) == "HTTPBadRequest"
    assert admin_api.error(http.post("/networks", json={"network": []}), 400) == "HTTPBadRequest"
    readonly = http.put(f"/subnets/{net['subnet']['id']}", json={"subnet": {"cidr": "10.1.0.0/24"}})
    assert admin_api.error(readonly, 400) == "HTTPBadRequest"
    odd = http.put(
        f"/networks/{net['network']['id']}",
        json={"network": {"name": "x"}},
        headers={"If-Match": "revision_number=abc"},
    )
    assert admin_api.error(odd, 400) == "HTTPBadRequest"
    missing = http.get("/networks/00000000-0000-0000-0000-000000000000")
    assert admin_api.error(missing, 404) == "NetworkNotFound"


def test_ports_on_another_projects_network(cloud, net: dict) -> None:  # noqa: ANN001
    other = NetAPI(cloud, cloud.new_project_user("member").token())
    resp = other.post("/ports", port={"network_id": net["network"]["id"]})
    assert other.error(resp, 404) == "NetworkNotFound"
    resp = other.post(
        "/subnets",
        subnet={"network_id": net["network"]["id"], "ip_version": 4, "cidr": "10.67.0.0/24"},
    )
    assert other.error(resp, 404) == "NetworkNotFound"
