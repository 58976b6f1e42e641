"""Concurrent port creation on SQLite, MariaDB and PostgreSQL: distinct addresses, clean 409s."""

from __future__ import annotations

import concurrent.futures

import httpx
import pytest


@pytest.fixture(scope="module", params=["sqlite", "mariadb", "postgresql"])
def api(request, cloud_factory, throwaway_database) -> httpx.Client:  # noqa: ANN001
    db_url = None if request.param == "sqlite" else throwaway_database(request.param)
    cloud = cloud_factory(db_url=db_url)
    return httpx.Client(
        base_url=f"{cloud.url}/networking/v2.0",
        headers={"X-Auth-Token": cloud.admin_token()},
        timeout=120,
    )


def _subnet(api: httpx.Client, cidr: str) -> str:
    network = api.post("/networks", json={"network": {"name": cidr}}).json()["network"]
    body = {"subnet": {"network_id": network["id"], "ip_version": 4, "cidr": cidr}}
    assert api.post("/subnets", json=body).status_code == 201
    return network["id"]


def _burst(api: httpx.Client, network_id: str, count: int) -> list[httpx.Response]:
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        body = {"port": {"network_id": network_id}}
        return list(pool.map(lambda _: api.post("/ports", json=body), range(count)))


def _addresses(api: httpx.Client, network_id: str) -> list[str]:
    ports = api.get("/ports", params={"network_id": network_id}).json()["ports"]
    return [ip["ip_address"] for p in ports for ip in p["fixed_ips"]]


def test_32_ports_at_once_get_32_distinct_addresses(api: httpx.Client) -> None:
    network_id = _subnet(api, "10.80.0.0/24")
    answers = _burst(api, network_id, 32)
    assert [r.status_code for r in answers] == [201] * 32
    mine = [r.json()["port"]["fixed_ips"][0]["ip_address"] for r in answers]
    assert len(set(mine)) == 32
    held = _addresses(api, network_id)
    assert len(held) == len(set(held)) == 33  # with the DHCP port's


def test_an_exhausted_subnet_answers_409_and_never_a_duplicate(api: httpx.Client) -> None:
    network_id = _subnet(api, "10.81.0.0/27")  # 29 pool addresses, one for DHCP
    answers = _burst(api, network_id, 36)
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] * 28 + [409] * 8
    kinds = {r.json()["NeutronError"]["type"] for r in answers if r.status_code == 409}
    assert kinds == {"IpAddressGenerationFailure"}
    held = _addresses(api, network_id)
    assert len(held) == len(set(held)) == 29
