"""The metadata documents a server reads, in the OpenStack and EC2 formats."""

from __future__ import annotations

import json

from kilocloud.compute.metadata import ServerData, answer

SERVER = ServerData(
    uuid="6f7c1f27-9d1c-4a51-9a4f-0e9b3c1c2d11",
    ec2_id=42,
    name="web",
    hostname="web",
    project_id="p1",
    launch_index=0,
    availability_zone="nova",
    meta={"role": "frontend"},
    key_name="mykey",
    key_data="ssh-ed25519 AAAA me@host",
    user_data=b"#!/bin/sh\necho hi\n",
    flavor_name="m1.tiny",
    image_ref="img-1",
    reservation_id="r-abc",
    security_groups=["default"],
    addresses={
        "private": [
            {"addr": "10.0.0.5", "version": 4, "OS-EXT-IPS:type": "fixed",
             "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:01"},
            {"addr": "172.24.4.9", "version": 4, "OS-EXT-IPS:type": "floating",
             "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:01"},
        ]
    },
)  # fmt: skip


def test_meta_data_json_names_the_server_and_its_key() -> None:
    body, kind = answer(SERVER, "/openstack/latest/meta_data.json")
    document = json.loads(body)
    assert kind == "application/json"
    assert document["uuid"] == SERVER.uuid
    assert document["meta"] == {"role": "frontend"}
    assert document["public_keys"] == {"mykey": "ssh-ed25519 AAAA me@host"}


def test_user_data_is_served_raw_in_both_formats() -> None:
    assert answer(SERVER, "/openstack/latest/user_data")[0] == b"#!/bin/sh\necho hi\n"
    assert answer(SERVER, "/latest/user-data")[0] == b"#!/bin/sh\necho hi\n"


def test_network_data_has_a_link_per_mac_and_dhcp_networks() -> None:
    document = json.loads(answer(SERVER, "/openstack/2018-08-27/network_data.json")[0])
    assert document["links"] == [
        {"id": "tap0", "type": "phy", "ethernet_mac_address": "fa:16:3e:00:00:01"}
    ]
    assert document["networks"] == [{"id": "network0", "type": "ipv4_dhcp", "link": "tap0"}]


def test_ec2_paths() -> None:
    assert answer(SERVER, "/latest/meta-data/instance-id")[0] == b"i-0000002a"
    assert answer(SERVER, "/2009-04-04/meta-data/local-ipv4")[0] == b"10.0.0.5"
    assert answer(SERVER, "/latest/meta-data/public-ipv4")[0] == b"172.24.4.9"
    assert b"public-keys/" in answer(SERVER, "/latest/meta-data/")[0]
    assert answer(SERVER, "/latest/meta-data/public-keys/0=mykey/openssh-key")[0].startswith(b"ssh")


def test_unknown_paths_and_absent_user_data_are_nothing() -> None:
    bare = ServerData(**{**SERVER.__dict__, "user_data": None})
    assert answer(SERVER, "/openstack/1999-01-01/meta_data.json") is None
    assert answer(bare, "/openstack/latest/user_data") is None
    assert answer(SERVER, "/latest/meta-data/nothing") is None
