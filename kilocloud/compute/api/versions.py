"""HTTP face of the version documents at /, /v2 and /v2.1."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.compute import microversions
from kilocloud.core.http import json, service_root

MEDIA = [{"base": "application/json", "type": "application/vnd.openstack.compute+json;version=2.1"}]


def _entry(base: str, legacy: bool) -> dict:
    if legacy:
        return {
            "id": "v2.0",
            "status": "DEPRECATED",
            "version": "",
            "min_version": "",
            "updated": "2025-07-04T12:00:00Z",
            "links": [{"rel": "self", "href": f"{base}/v2/"}],
        }
    return {
        "id": "v2.1",
        "status": "CURRENT",
        "version": microversions.text(microversions.MAX),
        "min_version": microversions.text(microversions.MIN),
        "updated": "2013-07-23T11:33:21Z",
        "links": [{"rel": "self", "href": f"{base}/v2.1/"}],
    }


async def list_versions(request: Request) -> Response:
    """GET /: every API version, v2.0 first."""
    base = service_root(request)
    return json({"versions": [_entry(base, True), _entry(base, False)]})


def _document(request: Request, legacy: bool) -> dict:
    entry = _entry(service_root(request), legacy)
    entry["links"].append(
        {"rel": "describedby", "type": "text/html", "href": "http://docs.openstack.org/"}
    )
    entry["media-types"] = MEDIA
    return {"version": entry}


async def show_version(request: Request) -> Response:
    """GET /v2.1: this version's document."""
    return json(_document(request, False))


async def show_legacy_version(request: Request) -> Response:
    """GET /v2: the legacy v2.0 document."""
    return json(_document(request, True))
