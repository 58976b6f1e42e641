"""python-glanceclient v2 against the image service."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from glanceclient import Client
from glanceclient import exc as glance_exc


@pytest.fixture(scope="module")
def glance(cloud):
    return Client("2", session=cloud.admin_session())


def test_create_upload_download_round_trip(glance):
    data = os.urandom(1024 * 1024 + 3)
    image = glance.images.create(name="gc", disk_format="qcow2", container_format="bare")
    with pytest.raises(glance_exc.HTTPBadRequest, match="not the declared disk_format"):
        glance.images.upload(image.id, io.BytesIO(data), image_size=len(data))
    # random bytes are no qcow2 image: the upload is refused and the image stays queued
    assert glance.images.get(image.id).status == "queued"
    image = glance.images.create(name="gc-raw", disk_format="raw", container_format="bare")
    glance.images.upload(image.id, io.BytesIO(data), image_size=len(data))
    shown = glance.images.get(image.id)
    assert shown.status == "active"
    assert shown.checksum == hashlib.md5(data).hexdigest()
    assert shown.os_hash_value == hashlib.sha512(data).hexdigest()
    assert b"".join(glance.images.data(image.id)) == data


def test_update_with_properties_and_remove(glance):
    image = glance.images.create(name="gc-upd", disk_format="raw", container_format="bare")
    glance.images.update(image.id, name="gc-upd2", hw_disk_bus="scsi")
    assert glance.images.get(image.id).hw_disk_bus == "scsi"
    glance.images.update(image.id, remove_props=["hw_disk_bus"])
    shown = glance.images.get(image.id)
    assert shown.name == "gc-upd2"
    assert "hw_disk_bus" not in shown


def test_tags_and_filters(glance):
    image = glance.images.create(name="gc-tag", disk_format="raw", container_format="bare")
    glance.image_tags.update(image.id, "blue")
    found = [i.id for i in glance.images.list(filters={"tag": ["blue"]})]
    assert found == [image.id]
    glance.image_tags.delete(image.id, "blue")
    assert [i.id for i in glance.images.list(filters={"tag": ["blue"]})] == []


def test_protected_image_cannot_be_deleted(glance):
    image = glance.images.create(
        name="gc-prot", disk_format="raw", container_format="bare", protected=True
    )
    with pytest.raises(glance_exc.HTTPForbidden):
        glance.images.delete(image.id)
    glance.images.update(image.id, protected=False)
    glance.images.delete(image.id)
    with pytest.raises(glance_exc.HTTPNotFound):
        glance.images.get(image.id)


def test_deactivate_and_reactivate(glance):
    image = glance.images.create(name="gc-deact", disk_format="raw", container_format="bare")
    glance.images.upload(image.id, io.BytesIO(b"x" * 100))
    glance.images.deactivate(image.id)
    assert glance.images.get(image.id).status == "deactivated"
    glance.images.reactivate(image.id)
    assert glance.images.get(image.id).status == "active"


def test_schema_is_served_and_lists_formats(glance):
    schema = glance.schemas.get("image")
    assert "disk_format" in schema.raw()["properties"]
    assert "qcow2" in schema.raw()["properties"]["disk_format"]["enum"]


def test_base_properties_are_in_the_schema_and_kept(glance):
    properties = glance.schemas.get("image").raw()["properties"]
    assert {"architecture", "os_distro", "os_version", "kernel_id", "ramdisk_id"} <= set(properties)
    kernel = glance.images.create(name="kernel", disk_format="aki", container_format="aki")
    image = glance.images.create(
        name="distro", os_distro="ubuntu", architecture="x86_64", kernel_id=kernel.id
    )
    shown = glance.images.get(image.id)
    assert (shown.os_distro, shown.architecture, shown.kernel_id) == ("ubuntu", "x86_64", kernel.id)
