"""JSON schemas of compute request bodies, as Nova's API validates them."""

from __future__ import annotations

from typing import Any

from kilocloud.compute.validation import BOOLEAN

NAME = {
    "type": "string",
    "minLength": 1,
    "maxLength": 255,
    "pattern": r"^(?! )[^\x00-\x1f]*(?<! )$",
}
DESCRIPTION = {"type": ["string", "null"], "maxLength": 65535}
FLAVOR_ID = {
    "type": ["string", "null"],
    "minLength": 1,
    "maxLength": 255,
    "pattern": r"^(?! )[a-zA-Z0-9. _-]+(?<! )$",
}
POSITIVE = {
    "type": ["integer", "string"],
    "pattern": r"^[0-9]*$",
    "minimum": 1,
    "maximum": 2147483647,
}
NON_NEGATIVE = {**POSITIVE, "minimum": 0}


def flavor_create(version: tuple[int, int]) -> dict[str, Any]:
    """POST /flavors at `version`: `description` from 2.55, no `rxtx_factor` from 2.102."""
    props: dict[str, Any] = {
        "name": NAME,
        "id": FLAVOR_ID,
        "ram": POSITIVE,
        "vcpus": POSITIVE,
        "disk": NON_NEGATIVE,
        "OS-FLV-EXT-DATA:ephemeral": NON_NEGATIVE,
        "swap": NON_NEGATIVE,
        "rxtx_factor": {
            "type": ["number", "string"],
            "pattern": r"^[0-9]+(\.[0-9]+)?$",
            "minimum": 0,
            "exclusiveMinimum": True,
            "maximum": 3.40282e38,
        },
        "os-flavor-access:is_public": BOOLEAN,
    }
    if version >= (2, 55):
        props["description"] = DESCRIPTION
    if version >= (2, 102):
        del props["rxtx_factor"]
    flavor = {
        "type": "object",
        "properties": props,
        "required": ["name", "ram", "vcpus", "disk"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {"flavor": flavor},
        "required": ["flavor"],
        "additionalProperties": False,
    }


FLAVOR_UPDATE = {
    "type": "object",
    "properties": {
        "flavor": {
            "type": "object",
            "properties": {"description": DESCRIPTION},
            "required": ["description"],
            "additionalProperties": False,
        }
    },
    "required": ["flavor"],
    "additionalProperties": False,
}
SPEC_KEY = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[a-zA-Z0-9-_:. ]+$"}
SPEC_VALUE = {"type": ["string", "number", "boolean"], "minLength": 0, "maxLength": 255}
EXTRA_SPECS = {
    "type": "object",
    "properties": {
        "extra_specs": {
            "type": "object",
            "patternProperties": {r"^[a-zA-Z0-9-_:. ]{1,255}$": SPEC_VALUE},
            "additionalProperties": False,
        }
    },
    "required": ["extra_specs"],
    "additionalProperties": False,
}
EXTRA_SPEC = {
    "type": "object",
    "patternProperties": {r"^[a-zA-Z0-9-_:. ]{1,255}$": SPEC_VALUE},
    "additionalProperties": False,
    "minProperties": 1,
    "maxProperties": 1,
}
TENANT = {
    "type": "object",
    "properties": {
        "tenant": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": r"^[a-zA-Z0-9-_.]*$",
        }
    },
    "required": ["tenant"],
    "additionalProperties": False,
}


def keypair_create(version: tuple[int, int]) -> dict[str, Any]:
    """POST /os-keypairs at `version`."""
    pattern = r"^[a-zA-Z0-9 @._-]+$" if version >= (2, 92) else r"^[a-zA-Z0-9 _-]+$"
    props: dict[str, Any] = {
        "name": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": pattern},
        "public_key": {"type": "string"},
    }
    if version >= (2, 2):
        props["type"] = {"type": "string", "enum": ["ssh", "x509"]}
    if version >= (2, 10):
        props["user_id"] = {"type": "string"}
    keypair = {
        "type": "object",
        "properties": props,
        "required": ["name"],
        "additionalProperties": False,
    }
    if version >= (2, 92):
        keypair["required"] = ["name", "public_key"]
    return {
        "type": "object",
        "properties": {"keypair": keypair},
        "required": ["keypair"],
        "additionalProperties": False,
    }


QUOTA_VALUE = {
    "type": ["integer", "string"],
    "pattern": r"^-?[0-9]+$",
    "minimum": -1,
    "maximum": 2147483647,
}


def quota_update(resources: list[str]) -> dict[str, Any]:
    """PUT /os-quota-sets/{project_id} for the resources this version shows."""
    props: dict[str, Any] = {r: QUOTA_VALUE for r in resources}
    props["force"] = BOOLEAN
    quota_set = {"type": "object", "properties": props, "additionalProperties": False}
    return {
        "type": "object",
        "properties": {"quota_set": quota_set},
        "required": ["quota_set"],
        "additionalProperties": False,
    }


UUID = {
    "type": "string",
    "pattern": r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$",
}
METADATA = {
    "type": "object",
    "patternProperties": {r"^[a-zA-Z0-9-_:. ]{1,255}$": {"type": "string", "maxLength": 255}},
    "additionalProperties": False,
}
TAG = {"type": "string", "minLength": 1, "maxLength": 60, "pattern": r"^[^,/]*$"}
TAGS = {"type": "array", "items": TAG, "maxItems": 50}
SERVER_NAME = {
    "type": "string",
    "minLength": 1,
    "maxLength": 255,
    "pattern": r"^(?! )[^\x00-\x1f\x7f]*(?<! )$",
}
HOSTNAME = {
    "type": "string",
    "minLength": 2,
    "maxLength": 63,
    "pattern": r"^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$",
}
COUNT = {"type": ["integer", "string"], "pattern": r"^[0-9]*$", "minimum": 1, "minLength": 1}
BDM = {
    "type": "object",
    "properties": {
        "source_type": {"type": "string", "enum": ["volume", "image", "snapshot", "blank"]},
        "destination_type": {"type": "string", "enum": ["local", "volume"]},
        "uuid": {"type": "string", "minLength": 1, "maxLength": 255},
        "boot_index": {"type": ["integer", "string", "null"]},
        "volume_size": {"type": ["integer", "string", "null"]},
        "delete_on_termination": BOOLEAN,
        "device_name": {"type": ["string", "null"]},
        "guest_format": {"type": ["string", "null"]},
        "disk_bus": {"type": ["string", "null"]},
        "device_type": {"type": ["string", "null"]},
        "tag": {"type": "string"},
        "volume_type": {"type": ["string", "null"]},
        "no_device": {},
    },
    "additionalProperties": False,
}
NETWORK = {
    "type": "object",
    "properties": {
        "uuid": {"type": "string"},
        "port": {"type": ["string", "null"]},
        "fixed_ip": {"type": "string"},
        "tag": {"type": "string"},
    },
    "additionalProperties": False,
}


def server_create(version: tuple[int, int]) -> dict[str, Any]:
    """POST /servers at `version`."""
    props: dict[str, Any] = {
        "name": SERVER_NAME,
        "imageRef": {"type": "string", "pattern": r"^$|" + UUID["pattern"]},
        "flavorRef": {"type": ["string", "integer"], "minLength": 1},
        "adminPass": {"type": "string"},
        "metadata": METADATA,
        "networks": {"type": "array", "items": NETWORK},
        "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]},
        "accessIPv4": {"type": "string"},
        "accessIPv6": {"type": "string"},
        "availability_zone": {"type": "string", "minLength": 1, "maxLength": 255},
        "block_device_mapping_v2": {"type": "array", "items": BDM},
        "config_drive": BOOLEAN,
        "key_name": {"type": "string", "minLength": 1, "maxLength": 255},
        "min_count": COUNT,
        "max_count": COUNT,
        "return_reservation_id": BOOLEAN,
        "security_groups": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}},
                "additionalProperties": False,
            },
        },
        "user_data": {"type": "string", "maxLength": 65535},
    }
    if version < (2, 57):
        props["personality"] = {"type": "array", "items": {"type": "object"}}
    if version >= (2, 19):
        props["description"] = {"type": ["string", "null"], "maxLength": 255}
    if version >= (2, 37):
        props["networks"] = {
            "oneOf": [
                {
                    "type": "array",
                    "items": {**NETWORK, "properties": {**NETWORK["properties"], "uuid": UUID}},
                },
                {"type": "string", "enum": ["none", "auto"]},
            ]
        }
    if version >= (2, 52):
        props["tags"] = TAGS
    if version >= (2, 63):
        props["trusted_image_certificates"] = {"type": ["array", "null"]}
    if version >= (2, 74):
        props["host"] = {"type": "string"}
        props["hypervisor_hostname"] = {"type": "string"}
    if version >= (2, 90):
        props["hostname"] = HOSTNAME
    required = ["name", "flavorRef"] + (["networks"] if version >= (2, 37) else [])
    server = {
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }
    hints = {"type": "object", "properties": {"group": UUID}, "additionalProperties": True}
    return {
        "type": "object",
        "properties": {
            "server": server,
            "os:scheduler_hints": hints,
            "OS-SCH-HNT:scheduler_hints": hints,
        },
        "required": ["server"],
        "additionalProperties": False,
    }


def server_update(version: tuple[int, int]) -> dict[str, Any]:
    """PUT /servers/{id} at `version`."""
    props: dict[str, Any] = {
        "name": SERVER_NAME,
        "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]},
        "accessIPv4": {"type": "string"},
        "accessIPv6": {"type": "string"},
    }
    if version >= (2, 19):
        props["description"] = {"type": ["string", "null"], "maxLength": 255}
    if version >= (2, 90):
        props["hostname"] = HOSTNAME
    if version >= (2, 104):
        props["pinned_availability_zone"] = {"type": ["string", "null"]}
    server = {"type": "object", "properties": props, "additionalProperties": False}
    return {
        "type": "object",
        "properties": {"server": server},
        "required": ["server"],
        "additionalProperties": False,
    }


METADATA_BODY = {
    "type": "object",
    "properties": {"metadata": METADATA},
    "required": ["metadata"],
    "additionalProperties": False,
}
META_ITEM = {
    "type": "object",
    "properties": {"meta": {**METADATA, "minProperties": 1, "maxProperties": 1}},
    "required": ["meta"],
    "additionalProperties": False,
}
TAGS_BODY = {
    "type": "object",
    "properties": {"tags": TAGS},
    "required": ["tags"],
    "additionalProperties": False,
}


def server_group_create(version: tuple[int, int]) -> dict[str, Any]:
    """POST /os-server-groups at `version`."""
    policies = ["affinity", "anti-affinity"]
    if version >= (2, 15):
        policies += ["soft-affinity", "soft-anti-affinity"]
    props: dict[str, Any] = {"name": NAME}
    if version >= (2, 64):
        props["policy"] = {"type": "string", "enum": policies}
        props["rules"] = {
            "type": "object",
            "properties": {
                "max_server_per_host": {
                    "type": ["integer", "string"],
                    "pattern": r"^[0-9]*$",
                    "minimum": 1,
                }
            },
            "additionalProperties": False,
        }
        required = ["name", "policy"]
    else:
        props["policies"] = {
            "type": "array",
            "items": {"type": "string", "enum": policies},
            "minItems": 1,
            "maxItems": 1,
            "uniqueItems": True,
        }
        required = ["name", "policies"]
    group = {
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {"server_group": group},
        "required": ["server_group"],
        "additionalProperties": False,
    }


def rebuild(version: tuple[int, int]) -> dict[str, Any]:
    """The rebuild action's body at `version`."""
    props: dict[str, Any] = {
        "imageRef": {"type": "string", "pattern": UUID["pattern"]},
        "name": SERVER_NAME,
        "adminPass": {"type": "string"},
        "metadata": METADATA,
        "preserve_ephemeral": BOOLEAN,
        "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]},
        "accessIPv4": {"type": "string"},
        "accessIPv6": {"type": "string"},
    }
    if version < (2, 57):
        props["personality"] = {"type": "array", "items": {"type": "object"}}
    if version >= (2, 19):
        props["description"] = {"type": ["string", "null"], "maxLength": 255}
    if version >= (2, 54):
        props["key_name"] = {"type": ["string", "null"], "minLength": 1, "maxLength": 255}
    if version >= (2, 57):
        props["user_data"] = {"type": ["string", "null"], "maxLength": 65535}
    if version >= (2, 63):
        props["trusted_image_certificates"] = {"type": ["array", "null"]}
    if version >= (2, 90):
        props["hostname"] = HOSTNAME
    return {
        "type": "object",
        "properties": props,
        "required": ["imageRef"],
        "additionalProperties": False,
    }


RESIZE = {
    "type": "object",
    "properties": {
        "flavorRef": {"type": ["string", "integer"], "minLength": 1},
        "OS-DCF:diskConfig": {"type": "string", "enum": ["AUTO", "MANUAL"]},
    },
    "required": ["flavorRef"],
    "additionalProperties": False,
}
