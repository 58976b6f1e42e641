"""openstacksdk against the image service: upload, download, update, tags, sharing."""

from __future__ import annotations

import hashlib
import os

import pytest


@pytest.fixture(scope="module")
def payload(tmp_path_factory):
    path = tmp_path_factory.mktemp("img") / "disk.raw"
    path.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    return path


def test_create_image_from_file_stores_data_and_checksums(cloud, payload):
    conn = cloud.connect()
    image = conn.create_image(
        "sdk-upload", filename=str(payload), disk_format="raw", container_format="bare", wait=True
    )
    data = payload.read_bytes()
    fetched = conn.image.get_image(image.id)
    assert fetched.status == "active"
    assert fetched.size == len(data)
    assert fetched.checksum == hashlib.md5(data).hexdigest()
    assert fetched.hash_algo == "sha512"
    assert fetched.hash_value == hashlib.sha512(data).hexdigest()


def test_download_image_returns_the_uploaded_bytes(cloud, payload, tmp_path):
    conn = cloud.connect()
    image = conn.create_image(
        "sdk-download", filename=str(payload), disk_format="raw", container_format="bare"
    )
    target = tmp_path / "out"
    conn.image.download_image(image, output=str(target))
    assert target.read_bytes() == payload.read_bytes()


def test_update_image_changes_name_and_properties(cloud):
    conn = cloud.connect()
    image = conn.image.create_image(name="sdk-update", disk_format="qcow2", container_format="bare")
    conn.image.update_image(image, name="renamed", min_ram=512, flavor="small")
    fetched = conn.image.get_image(image.id)
    assert fetched.name == "renamed"
    assert fetched.min_ram == 512
    assert fetched.properties["flavor"] == "small"


def test_add_and_remove_tag(cloud):
    conn = cloud.connect()
    image = conn.image.create_image(name="sdk-tags", disk_format="raw", container_format="bare")
    conn.image.add_tag(image, "gold")
    assert conn.image.get_image(image.id).tags == ["gold"]
    conn.image.remove_tag(image, "gold")
    assert conn.image.get_image(image.id).tags == []


def test_shared_image_becomes_visible_to_member_that_accepts(cloud):
    owner = cloud.new_project_user()
    other = cloud.new_project_user()
    owner_conn, other_conn = owner.connect(), other.connect()
    image = owner_conn.image.create_image(
        name="sdk-shared", disk_format="raw", container_format="bare", visibility="shared"
    )
    member = owner_conn.image.add_member(image, member_id=other.project_id)
    assert member.status == "pending"
    assert image.id not in {i.id for i in other_conn.image.images()}
    other_conn.image.update_member(other.project_id, image, status="accepted")
    assert image.id in {i.id for i in other_conn.image.images()}
    members = list(owner_conn.image.members(image))
    assert [(m.member_id, m.status) for m in members] == [(other.project_id, "accepted")]
    owner_conn.image.remove_member(other.project_id, image)
    assert image.id not in {i.id for i in other_conn.image.images()}


def test_private_image_of_another_project_is_not_found(cloud):
    owner, other = cloud.new_project_user(), cloud.new_project_user()
    image = owner.connect().image.create_image(
        name="sdk-private", disk_format="raw", container_format="bare", visibility="private"
    )
    from openstack import exceptions

    with pytest.raises(exceptions.NotFoundException):
        other.connect().image.get_image(image.id)


def test_list_paginates_with_next_links(cloud):
    user = cloud.new_project_user()
    conn = user.connect()
    created = {
        conn.image.create_image(name=f"page-{i}", disk_format="raw", container_format="bare").id
        for i in range(7)
    }
    seen = [i.id for i in conn.image.images(owner=user.project_id, limit=3)]
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == created


def test_delete_image_removes_it(cloud, payload):
    conn = cloud.connect()
    image = conn.create_image(
        "sdk-delete", filename=str(payload), disk_format="raw", container_format="bare"
    )
    conn.image.delete_image(image)
    assert conn.image.find_image(image.id) is None
