"""The version document at the service root and the resource list at /v2.0/."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import json, service_root

CORE = (
    ("network", "networks"),
    ("subnet", "subnets"),
    ("subnetpool", "subnetpools"),
    ("port", "ports"),
)


async def list_versions(request: Request) -> Response:
    """GET /: the one API version, no authentication needed."""
    href = f"{service_root(request)}/v2.0/"
    link = {"rel": "self", "href": href}
    return json({"versions": [{"id": "v2.0", "status": "CURRENT", "links": [link]}]})


async def list_resources(request: Request) -> Response:
    """GET /v2.0/: the core collections."""
    authenticated(request)
    base = f"{service_root(request)}/v2.0"
    resources = [
        {"name": name, "collection": coll, "links": [{"rel": "self", "href": f"{base}/{coll}"}]}
        for name, coll in CORE
    ]
    return json({"resources": resources})
