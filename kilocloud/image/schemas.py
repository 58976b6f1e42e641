"""The JSON schemas served at /v2/schemas/*, which are also the ones requests are checked with."""

from __future__ import annotations

import copy
from typing import Any

from oslo_config import cfg

from kilocloud.image import status

RESERVED = frozenset({"location", "deleted", "deleted_at", "direct_url", "self", "file", "schema"})
READ_ONLY = frozenset(
    {
        "id",
        "status",
        "size",
        "virtual_size",
        "checksum",
        "os_hash_algo",
        "os_hash_value",
        "created_at",
        "updated_at",
        "stores",
        "locations",
        "self",
        "file",
        "schema",
    }
)


_UUID = "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$"


def _nullable(kind: str, **extra: Any) -> dict:
    return {"type": [kind, "null"], **extra}


def _read_only(kind: Any, description: str, **extra: Any) -> dict:
    return {"type": kind, "readOnly": True, "description": description, **extra}


_STAMP = {"format": "date-time"}
_INT_MAX = 2**31 - 1  # the INTEGER columns of every database
# the attributes whose schema does not depend on configuration
FIXED_PROPERTIES: dict = {
    "id": _read_only("string", "An identifier for the image", pattern=_UUID),
    "name": _nullable("string", maxLength=255, description="Descriptive name"),
    "status": _read_only("string", "Status of the image", enum=list(status.ALL)),
    "visibility": {
        "type": "string",
        "enum": ["community", "public", "private", "shared"],
        "description": "Scope of image accessibility",
    },
    "protected": {"type": "boolean", "description": "If true, image cannot be deleted"},
    "os_hidden": {"type": "boolean", "description": "If true, image is left out of lists"},
    "checksum": _read_only(["null", "string"], "MD5 of the image data", maxLength=32),
    "os_hash_algo": _read_only(["null", "string"], "Algorithm of os_hash_value"),
    "os_hash_value": _read_only(["null", "string"], "Secure hash of the image data"),
    "owner": _nullable("string", maxLength=64, description="Project owning the image"),
    "size": _read_only(["null", "integer"], "Size of image data in bytes"),
    "virtual_size": _read_only(["null", "integer"], "Virtual size of the image"),
    "created_at": _read_only("string", "Creation time", **_STAMP),
    "updated_at": _read_only("string", "Last change time", **_STAMP),
    "tags": {
        "type": "array",
        "items": {"type": "string", "maxLength": 255},
        "description": "List of strings related to the image",
    },
    "min_ram": {"type": "integer", "minimum": 0, "maximum": _INT_MAX, "description": "RAM, MB"},
    "min_disk": {"type": "integer", "minimum": 0, "maximum": _INT_MAX, "description": "Disk, GB"},
    "stores": _read_only("string", "Stores holding the image data, comma separated"),
    "locations": _read_only("array", "A set of URLs to access the image file", items={}),
    "direct_url": _read_only("string", "URL to access the image file kept in external store"),
    # Glance's base properties: free-form properties every deployment knows the meaning of
    "architecture": {"type": "string", "description": "CPU architecture (e.g. x86_64)"},
    "os_distro": {"type": "string", "description": "Common name of the operating system"},
    "os_version": {"type": "string", "description": "Operating system version"},
    "instance_uuid": {"type": "string", "description": "Server the image was taken from"},
    "kernel_id": {"type": "string", "pattern": _UUID, "description": "Image used as kernel"},
    "ramdisk_id": {"type": "string", "pattern": _UUID, "description": "Image used as ramdisk"},
    "self": _read_only("string", "An image self url"),
    "file": _read_only("string", "An image file url"),
    "schema": _read_only("string", "An image schema url"),
}


def image_schema(conf: cfg.ConfigOpts) -> dict:
    """The image entity schema, with the formats this cloud accepts."""
    fmt = conf.image_format
    formats = {
        "container_format": _nullable(
            "string", enum=[None, *fmt.container_formats], description="Container format"
        ),
        "disk_format": _nullable(
            "string", enum=[None, *fmt.disk_formats], description="Disk format"
        ),
    }
    return {
        "name": "image",
        "properties": {**copy.deepcopy(FIXED_PROPERTIES), **formats},
        "additionalProperties": {"type": "string"},
        "links": [
            {"rel": "self", "href": "{self}"},
            {"rel": "enclosure", "href": "{file}"},
            {"rel": "describedby", "href": "{schema}"},
        ],
    }


def images_schema(conf: cfg.ConfigOpts) -> dict:
    """The image list schema."""
    return {
        "name": "images",
        "properties": {
            "images": {"type": "array", "items": image_schema(conf)},
            "schema": {"type": "string"},
            "first": {"type": "string"},
            "next": {"type": "string"},
        },
        "links": [
            {"rel": "first", "href": "{first}"},
            {"rel": "next", "href": "{next}"},
            {"rel": "describedby", "href": "{schema}"},
        ],
    }


MEMBER_SCHEMA: dict = {
    "name": "member",
    "properties": {
        "image_id": {"type": "string", "pattern": "^[0-9a-fA-F-]{32,36}$"},
        "member_id": {
            "type": "string",
            "maxLength": 64,
            "description": "Project the image is shared with",
        },
        "status": {"type": "string", "enum": ["pending", "accepted", "rejected"]},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "schema": {"type": "string", "readOnly": True},
    },
}


def members_schema() -> dict:
    """The member list schema."""
    return {
        "name": "members",
        "properties": {
            "members": {"type": "array", "items": copy.deepcopy(MEMBER_SCHEMA)},
            "schema": {"type": "string"},
        },
        "links": [{"rel": "describedby", "href": "{schema}"}],
    }
