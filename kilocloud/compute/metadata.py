"""Nova's metadata API: what a server reads from 169.254.169.254, in the OpenStack and EC2
formats. The server is the one the network agent's proxy names in X-Instance-ID, signed with the
shared secret (X-Instance-ID-Signature), as nova-api-metadata trusts Neutron's proxy."""

from __future__ import annotations

import base64
import hmac
import json
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kilocloud.deps import Services

OPENSTACK_VERSIONS = ["2012-08-10", "2013-04-04", "2013-10-17", "2015-10-15", "2016-06-30",
                      "2016-10-06", "2017-02-22", "2018-08-27", "2020-10-14", "latest"]  # fmt: skip
EC2_VERSIONS = ["1.0", "2007-01-19", "2007-03-01", "2007-08-29", "2007-10-10", "2007-12-15",
                "2008-02-01", "2008-09-01", "2009-04-04", "latest"]  # fmt: skip


@dataclass(frozen=True)
class ServerData:
    """What the metadata documents say about one server."""

    uuid: str
    ec2_id: int
    name: str
    hostname: str
    project_id: str
    launch_index: int
    availability_zone: str | None
    meta: dict[str, str]
    key_name: str | None
    key_data: str | None
    user_data: bytes | None
    flavor_name: str
    image_ref: str
    reservation_id: str
    security_groups: list[str]
    addresses: dict[str, list[dict]] = field(default_factory=dict)  # Nova's server addresses


def meta_data(server: ServerData) -> dict:
    """openstack/<version>/meta_data.json."""
    keys = {server.key_name: server.key_data} if server.key_name and server.key_data else {}
    document = {
        "uuid": server.uuid,
        "name": server.name,
        "hostname": server.hostname,
        "launch_index": server.launch_index,
        "availability_zone": server.availability_zone,
        "project_id": server.project_id,
        "meta": server.meta,
        "devices": [],
    }
    if keys:
        document["public_keys"] = keys
        document["keys"] = [{"name": n, "type": "ssh", "data": d} for n, d in keys.items()]
    return document


def network_data(server: ServerData) -> dict:
    """openstack/<version>/network_data.json: a link per MAC, addresses left to DHCP."""
    links, networks = [], []
    for addresses in server.addresses.values():
        for address in addresses:
            mac = address.get("OS-EXT-IPS-MAC:mac_addr")
            if mac and all(link["ethernet_mac_address"] != mac for link in links):
                links.append({"id": f"tap{len(links)}", "type": "phy", "ethernet_mac_address": mac})
            kind = "ipv4_dhcp" if address.get("version", 4) == 4 else "ipv6_dhcp"
            if address.get("OS-EXT-IPS:type", "fixed") == "fixed":
                link = next(x["id"] for x in links if x["ethernet_mac_address"] == mac)
                networks.append({"id": f"network{len(networks)}", "type": kind, "link": link})
    return {"links": links, "networks": networks, "services": []}


def ec2_meta_data(server: ServerData) -> dict[str, object]:
    """The EC2 meta-data tree (leaves are strings, folders dicts)."""
    fixed, floating = _ipv4(server, "fixed"), _ipv4(server, "floating")
    tree: dict[str, object] = {
        "ami-id": server.image_ref,
        "ami-launch-index": str(server.launch_index),
        "hostname": server.hostname,
        "instance-id": f"i-{server.ec2_id:08x}",
        "instance-type": server.flavor_name,
        "local-hostname": server.hostname,
        "local-ipv4": fixed[0] if fixed else "",
        "placement": {"availability-zone": server.availability_zone or ""},
        "public-hostname": server.hostname,
        "public-ipv4": floating[0] if floating else "",
        "reservation-id": server.reservation_id,
        "security-groups": "\n".join(server.security_groups),
    }
    if server.key_name and server.key_data:
        tree["public-keys"] = {f"0={server.key_name}": {"openssh-key": server.key_data}}
    return tree


def _ipv4(server: ServerData, kind: str) -> list[str]:
    """The server's IPv4 addresses of one kind (fixed, floating)."""
    return [
        a["addr"]
        for addresses in server.addresses.values()
        for a in addresses
        if a.get("OS-EXT-IPS:type", "fixed") == kind and a.get("version", 4) == 4
    ]


def answer(server: ServerData, path: str) -> tuple[bytes, str] | None:
    """The body and content type at `path` for this server; None when nothing is there."""
    parts = [p for p in path.split("/") if p]
    if not parts:
        return _listing(["openstack", *EC2_VERSIONS[:-1], "latest"])
    if parts[0] == "openstack":
        return _openstack(server, parts[1:])
    if parts[0] in EC2_VERSIONS:
        return _ec2(server, parts[1:])
    return None


def _openstack(server: ServerData, parts: list[str]) -> tuple[bytes, str] | None:
    if not parts:
        return _listing(OPENSTACK_VERSIONS)
    if parts[0] not in OPENSTACK_VERSIONS:
        return None
    files = {"meta_data.json": meta_data(server), "network_data.json": network_data(server)}
    files["vendor_data.json"] = files["vendor_data2.json"] = {}
    if len(parts) == 1:
        return _listing([*files, *(["user_data"] if server.user_data else [])])
    if parts[1:] == ["user_data"]:
        return (server.user_data, "text/plain") if server.user_data else None
    if len(parts) == 2 and parts[1] in files:
        return json.dumps(files[parts[1]]).encode(), "application/json"
    return None


def _ec2(server: ServerData, parts: list[str]) -> tuple[bytes, str] | None:
    if not parts:
        return _listing(["meta-data/", *(["user-data"] if server.user_data else [])])
    if parts == ["user-data"]:
        return (server.user_data, "text/plain") if server.user_data else None
    if parts[0] != "meta-data":
        return None
    node: object = ec2_meta_data(server)
    for part in parts[1:]:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if isinstance(node, dict):
        return _listing([f"{k}/" if isinstance(v, dict) else k for k, v in node.items()])
    return str(node).encode(), "text/plain"


def _listing(names: list[str]) -> tuple[bytes, str]:
    return "\n".join(names).encode(), "text/plain"


async def load_server(services: Services, instance_id: str) -> ServerData | None:
    """The server's metadata from the compute tables."""
    from sqlalchemy import select

    from kilocloud.compute.models import Instance

    async with services.db.read() as session:
        row = await session.scalar(select(Instance).where(Instance.uuid == instance_id))
    if row is None or row.vm_state == "deleted":
        return None
    user_data = base64.b64decode(row.user_data) if row.user_data else None
    return ServerData(
        uuid=row.uuid, ec2_id=row.id, name=row.display_name, hostname=row.hostname,
        project_id=row.project_id, launch_index=row.launch_index,
        availability_zone=row.availability_zone, meta=dict(row.meta or {}),
        key_name=row.key_name, key_data=row.key_data, user_data=user_data,
        flavor_name=(row.flavor or {}).get("name", ""), image_ref=row.image_ref or "",
        reservation_id=row.reservation_id, security_groups=list(row.security_groups or []),
        addresses=dict(row.addresses or {}),
    )  # fmt: skip


def build(services: Services, secret: str) -> Starlette:
    """The metadata API app: every GET answered for the server the signed headers name."""

    async def serve(request: Request) -> Response:
        instance_id = request.headers.get("x-instance-id", "")
        signature = request.headers.get("x-instance-id-signature", "")
        expected = hmac.new(secret.encode(), instance_id.encode(), "sha256").hexdigest()
        if not instance_id or not hmac.compare_digest(signature, expected):
            return Response("403 Forbidden\n", 403, media_type="text/plain")
        server = await load_server(services, instance_id)
        found = answer(server, request.url.path) if server else None
        if found is None:
            return Response("404 Not Found\n", 404, media_type="text/plain")
        return Response(found[0], media_type=found[1])

    return Starlette(routes=[Route("/{path:path}", serve, methods=["GET", "HEAD"])])
