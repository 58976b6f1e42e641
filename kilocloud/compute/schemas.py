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
