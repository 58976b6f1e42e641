"""The config drive: a server's metadata and user data in the OpenStack layout."""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path

from kilocloud.compute.drivers import commands
from kilocloud.compute.drivers.base import InstanceSpec

LABEL = "config-2"


def write_tree(spec: InstanceSpec, root: Path) -> Path:
    """Write openstack/latest/{meta_data.json,user_data,...} under root and return root."""
    latest = root / "openstack" / "latest"
    latest.mkdir(parents=True, exist_ok=True)
    files = {
        "meta_data.json": json.dumps(meta_data(spec)),
        "network_data.json": json.dumps(network_data(spec)),
        "vendor_data.json": "{}",
        "vendor_data2.json": "{}",
    }
    for name, text in files.items():
        (latest / name).write_text(text)
    if spec.user_data is not None:
        (latest / "user_data").write_bytes(spec.user_data)
    return root


def meta_data(spec: InstanceSpec) -> dict:
    """meta_data.json as Nova's metadata service writes it."""
    keys = {}
    if spec.key_name and spec.key_data:
        keys = {spec.key_name: spec.key_data}
    return {
        "uuid": spec.uuid,
        "name": spec.name,
        "hostname": spec.hostname,
        "launch_index": spec.launch_index,
        "project_id": spec.project_id,
        "availability_zone": None,
        "meta": dict(spec.metadata),
        "public_keys": keys,
        "keys": [{"name": k, "type": "ssh", "data": v} for k, v in keys.items()],
        "devices": [],
        "random_seed": base64.b64encode(os.urandom(512)).decode(),
    }


def network_data(spec: InstanceSpec) -> dict:
    """network_data.json: one link per vif, configured by DHCP."""
    links = [
        {
            "id": f"tap{vif.port_id[:11]}",
            "vif_id": vif.port_id,
            "type": "phy",
            "ethernet_mac_address": vif.mac,
            "mtu": vif.mtu,
        }
        for vif in spec.vifs
    ]
    networks = [
        {
            "id": f"network{i}",
            "link": link["id"],
            "network_id": vif.network_id,
            "type": "ipv4_dhcp",
        }
        for i, (vif, link) in enumerate(zip(spec.vifs, links, strict=True))
    ]
    return {"links": links, "networks": networks, "services": []}


async def make_iso(tree: Path, iso: Path) -> Path:
    """An ISO9660 image (Joliet, Rock Ridge) of tree, labelled config-2 as cloud-init expects."""
    tool = shutil.which("xorriso")
    argv = [tool, "-as", "mkisofs"] if tool else [shutil.which("genisoimage") or "genisoimage"]
    argv += ["-quiet", "-J", "-R", "-V", LABEL, "-o", str(iso), str(tree)]
    await commands.run(*argv, timeout=60)
    return iso
