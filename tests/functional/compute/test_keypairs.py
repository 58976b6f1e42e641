"""Key pairs: generate, import (ssh and x509), per user, in Nova's bodies and codes."""

from __future__ import annotations

import base64
import hashlib
import uuid

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from kilocloud.compute import keys
from tests.functional.compute.conftest import ComputeAPI, error


def _name() -> str:
    return f"k-{uuid.uuid4().hex[:8]}"


def _ssh_key() -> str:
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    return key.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode()


def test_generated_rsa_keypair_at_2_1(compute) -> None:
    name = _name()
    resp = compute.post("/os-keypairs", {"keypair": {"name": name}})
    assert resp.status_code == 200
    pair = resp.json()["keypair"]
    assert pair["public_key"].startswith("ssh-rsa ") and pair["public_key"].endswith(
        " Generated-by-Nova"
    )
    assert pair["private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    blob = base64.b64decode(pair["public_key"].split()[1])
    assert pair["fingerprint"] == ":".join(f"{b:02x}" for b in hashlib.md5(blob).digest())
    assert "type" not in pair
    assert compute.delete(f"/os-keypairs/{name}").status_code == 202


def test_import_at_2_2_is_201_with_type_and_delete_204(compute) -> None:
    api, name, public = compute.at("2.2"), _name(), _ssh_key()
    resp = api.post("/os-keypairs", {"keypair": {"name": name, "public_key": public}})
    assert resp.status_code == 201
    assert resp.json()["keypair"]["type"] == "ssh"
    assert "private_key" not in resp.json()["keypair"]
    shown = api.get(f"/os-keypairs/{name}").json()["keypair"]
    assert shown["public_key"] == public and shown["deleted"] is False
    assert api.delete(f"/os-keypairs/{name}").status_code == 204
    error(api.get(f"/os-keypairs/{name}"), 404)


def test_x509_generated(compute) -> None:
    api, name = compute.at("2.2"), _name()
    pair = api.post("/os-keypairs", {"keypair": {"name": name, "type": "x509"}}).json()["keypair"]
    assert pair["type"] == "x509" and "BEGIN CERTIFICATE" in pair["public_key"]
    assert pair["fingerprint"] == keys.x509_fingerprint(pair["public_key"])


def test_duplicate_and_invalid(compute) -> None:
    name = _name()
    compute.post("/os-keypairs", {"keypair": {"name": name, "public_key": _ssh_key()}})
    resp = compute.post("/os-keypairs", {"keypair": {"name": name, "public_key": _ssh_key()}})
    assert error(resp, 409) == f"Key pair '{name}' already exists."
    resp = compute.post(
        "/os-keypairs", {"keypair": {"name": _name(), "public_key": "ssh-rsa nope"}}
    )
    assert error(resp, 400) == "Keypair data is invalid: failed to generate fingerprint"
    resp = compute.post("/os-keypairs", {"keypair": {"name": "bad/name"}})
    assert "Invalid input for field/attribute name" in error(resp, 400)


def test_keypairs_belong_to_their_user(cloud, compute) -> None:
    name = _name()
    compute.post("/os-keypairs", {"keypair": {"name": name, "public_key": _ssh_key()}})
    other = ComputeAPI(cloud, cloud.new_project_user("member").token())
    assert other.get("/os-keypairs").json() == {"keypairs": []}
    error(other.get(f"/os-keypairs/{name}"), 404)


def test_cli_and_sdk_keypairs(cloud) -> None:
    name = _name()
    cloud.cli("keypair", "create", "--public-key", "/dev/stdin", name, check=False)
    conn = cloud.connect()
    made = conn.compute.create_keypair(name=name + "s", public_key=_ssh_key())
    assert made.fingerprint
    names = [k["Name"] for k in cloud.cli_json("keypair", "list")]
    assert name + "s" in names
    conn.compute.delete_keypair(made)
    assert name + "s" not in [k.name for k in conn.compute.keypairs()]


def test_keypair_quota_is_403(cloud, compute) -> None:
    member = cloud.new_project_user("member")
    compute.put(f"/os-quota-sets/{member.project_id}", {"quota_set": {"key_pairs": 1}})
    api = ComputeAPI(cloud, member.token())
    assert (
        api.post("/os-keypairs", {"keypair": {"name": "a", "public_key": _ssh_key()}}).status_code
        == 200
    )
    resp = api.post("/os-keypairs", {"keypair": {"name": "b", "public_key": _ssh_key()}})
    assert error(resp, 403) == "Quota exceeded, too many key pairs."


def test_generation_removed_at_2_92(compute) -> None:
    resp = compute.at("2.92").post("/os-keypairs", {"keypair": {"name": _name()}})
    assert "'public_key' is a required property" in error(resp, 400)
    name = f"a@b.{uuid.uuid4().hex[:6]}"
    resp = compute.at("2.92").post(
        "/os-keypairs", {"keypair": {"name": name, "public_key": _ssh_key()}}
    )
    assert resp.status_code == 201


def test_unknown_query_parameter_is_400_from_2_75(compute) -> None:
    assert compute.at("2.74").get("/os-keypairs?bogus=1").status_code == 200
    assert "'bogus' was unexpected" in error(compute.at("2.75").get("/os-keypairs?bogus=1"), 400)
