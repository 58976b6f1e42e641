"""The body of POST /v2/images/{id}/import, checked: method, its URI, and the target stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kilocloud.core.errors import BadRequest, Conflict
from kilocloud.image.stores import Stores

KNOWN_METHODS = ("glance-direct", "web-download", "copy-image")


@dataclass
class Plan:
    """What an import request asks for."""

    method: str
    body: dict[str, Any]
    uri: str = ""
    stores: list[str] = field(default_factory=list)
    all_stores_must_succeed: bool = True


def plan(body: Any, enabled: list[str], stores: Stores) -> Plan:
    """The checked request; 400 for a malformed or disabled method, 409 for unknown stores."""
    if not isinstance(body, dict) or not isinstance(body.get("method"), dict):
        raise BadRequest("The request body must be an object with a 'method' object.")
    name = body["method"].get("name")
    if name not in KNOWN_METHODS:
        raise BadRequest(f"Unknown import method name {name!r}.")
    if name not in enabled:
        raise BadRequest(f"Import method {name} is not enabled on this cloud.")
    result = Plan(method=name, body=body)
    if name == "web-download":
        uri = body["method"].get("uri")
        if not isinstance(uri, str) or not uri:
            raise BadRequest("web-download needs a 'uri' string in its method object.")
        result.uri = uri
    must = body.get("all_stores_must_succeed", True)
    if not isinstance(must, bool):
        raise BadRequest("all_stores_must_succeed must be a boolean.")
    result.all_stores_must_succeed = must
    result.stores = _stores(body, stores, name)
    return result


def _stores(body: dict[str, Any], stores: Stores, method: str) -> list[str]:
    wanted, every = body.get("stores"), body.get("all_stores", False)
    if not isinstance(every, bool):
        raise BadRequest("all_stores must be a boolean.")
    if wanted is not None and every:
        raise BadRequest("Give either stores or all_stores, not both.")
    if wanted is not None and (
        not isinstance(wanted, list) or not all(isinstance(s, str) for s in wanted)
    ):
        raise BadRequest("stores must be a list of store identifiers.")
    if every:
        return list(stores.by_name)
    if wanted:
        unknown = [s for s in wanted if s not in stores.by_name]
        if unknown:
            raise Conflict(f"Unknown stores: {', '.join(unknown)}")
        return list(dict.fromkeys(wanted))
    if method == "copy-image":
        raise BadRequest("copy-image needs the stores to copy to (stores or all_stores).")
    return [stores.default]
