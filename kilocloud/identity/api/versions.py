"""Identity version discovery, as keystoneauth1 expects it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.http import json, service_root

MEDIA_TYPE = "application/vnd.openstack.identity-v3+json"


def _version(request: Request) -> dict:
    base = service_root(request)
    return {
        "id": "v3.14",
        "status": "stable",
        "updated": "2020-04-07T00:00:00Z",
        "links": [{"rel": "self", "href": f"{base}/v3/"}],
        "media-types": [{"base": "application/json", "type": MEDIA_TYPE}],
    }


async def list_versions(request: Request) -> Response:
    """GET /: 300 Multiple Choices with the one version."""
    version = _version(request)
    headers = {"Location": version["links"][0]["href"]}
    return json({"versions": {"values": [version]}}, 300, headers)


async def show_version(request: Request) -> Response:
    """GET /v3: the v3 version document."""
    return json({"version": _version(request)})
