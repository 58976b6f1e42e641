"""The `openstack image ...` commands against the image service."""

from __future__ import annotations

import hashlib
import os

import httpx
import pytest


@pytest.fixture
def disk(tmp_path):
    path = tmp_path / "disk.raw"
    path.write_bytes(os.urandom(2 * 1024 * 1024 + 5))
    return path


def _create(cloud, name, disk, *extra):
    return cloud.cli_json(
        "image", "create", "--file", str(disk), "--disk-format", "raw",
        "--container-format", "bare", *extra, name,
    )  # fmt: skip


def test_image_create_with_file_then_save_round_trips(cloud, disk, tmp_path):
    image = _create(cloud, "cli-roundtrip", disk)
    assert image["status"] == "active"
    assert image["checksum"] == hashlib.md5(disk.read_bytes()).hexdigest()
    out = tmp_path / "saved"
    cloud.cli("image", "save", "--file", str(out), image["id"])
    assert out.read_bytes() == disk.read_bytes()


def test_image_set_property_and_show(cloud, disk):
    image = _create(cloud, "cli-props", disk)
    cloud.cli("image", "set", "--property", "os_distro=debian", "--name", "cli-p2", image["id"])
    shown = cloud.cli_json("image", "show", image["id"])
    assert shown["name"] == "cli-p2"
    assert shown["properties"]["os_distro"] == "debian"


def test_image_set_deactivate_blocks_download_for_members_until_reactivated(cloud, disk, tmp_path):
    user = cloud.new_project_user()
    env = {**cloud.env, "OS_USERNAME": user.user_name, "OS_PASSWORD": user.password}
    env["OS_PROJECT_NAME"] = user.project_name
    image = _create_as(cloud, env, disk)
    cloud.cli("image", "set", "--deactivate", image["id"], env=env)
    assert cloud.cli_json("image", "show", image["id"], env=env)["status"] == "deactivated"
    failed = cloud.cli(
        "image", "save", "--file", str(tmp_path / "x"), image["id"], env=env, check=False
    )
    assert failed.returncode != 0
    url = f"{cloud.url}/image/v2/images/{image['id']}/file"
    assert httpx.get(url, headers={"X-Auth-Token": user.token()}).status_code == 403
    cloud.cli("image", "set", "--activate", image["id"], env=env)
    cloud.cli("image", "save", "--file", str(tmp_path / "y"), image["id"], env=env)
    assert (tmp_path / "y").read_bytes() == disk.read_bytes()


def _create_as(cloud, env, disk):
    return cloud.cli_json(
        "image", "create", "--file", str(disk), "--disk-format", "raw",
        "--container-format", "bare", "cli-deact", env=env,
    )  # fmt: skip


def test_image_add_project_and_member_accept(cloud, disk):
    other = cloud.new_project_user()
    image = _create(cloud, "cli-share", disk, "--shared")
    cloud.cli("image", "add", "project", image["id"], other.project_id)
    env = {**cloud.env, "OS_USERNAME": other.user_name, "OS_PASSWORD": other.password}
    env["OS_PROJECT_NAME"] = other.project_name
    listed = {i["ID"] for i in cloud.cli_json("image", "list", env=env)}
    assert image["id"] not in listed
    cloud.cli("image", "set", "--accept", image["id"], env=env)
    listed = {i["ID"] for i in cloud.cli_json("image", "list", env=env)}
    assert image["id"] in listed
    members = cloud.cli_json("image", "member", "list", image["id"])
    assert [(m["Member ID"], m["Status"]) for m in members] == [(other.project_id, "accepted")]


def test_image_delete_removes_image(cloud, disk):
    image = _create(cloud, "cli-delete", disk)
    cloud.cli("image", "delete", image["id"])
    result = cloud.cli("image", "show", image["id"], check=False)
    assert result.returncode != 0
    assert "No Image found" in result.stderr or "404" in result.stderr


def test_image_set_project_gives_the_image_to_another_project_only_for_an_admin(cloud, disk):
    other = cloud.new_project_user()
    image = _create(cloud, "cli-give", disk, "--private")
    cloud.cli("image", "set", "--project", other.project_id, image["id"])
    assert cloud.cli_json("image", "show", image["id"])["owner"] == other.project_id
    env = {**cloud.env, "OS_USERNAME": other.user_name, "OS_PASSWORD": other.password}
    env["OS_PROJECT_NAME"] = other.project_name
    listed = {i["ID"] for i in cloud.cli_json("image", "list", "--private", env=env)}
    assert image["id"] in listed
    refused = cloud.cli("image", "set", "--project", "admin", image["id"], env=env, check=False)
    assert refused.returncode != 0 and "403" in refused.stderr
    assert cloud.cli_json("image", "show", image["id"])["owner"] == other.project_id
