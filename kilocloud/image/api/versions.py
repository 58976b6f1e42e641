"""HTTP face of the version document at the service root."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.http import json, service_root
from kilocloud.core.routing import layer

# 2.11 import locking and 2.12 image tasks work on any cloud; 2.13 (usage), 2.14/2.16 (cache)
# and 2.17 (locations API) are not served, so they are never listed
ALWAYS = ("2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.9", "2.11", "2.12")
# /v2/info/stores (2.8), /v2/stores/{store}/{image} and copy-image (2.10), stores detail (2.15)
MULTISTORE = ("2.8", "2.10", "2.15")


def versions(multistore: bool) -> list[str]:
    """The minor versions whose features this configuration serves, oldest first."""
    found = set(ALWAYS) | (set(MULTISTORE) if multistore else set())
    return sorted(found, key=lambda v: tuple(int(p) for p in v.split(".")))


def document(base: str, multistore: bool) -> dict:
    """{"versions": [...]}, newest first, the newest CURRENT."""
    listed = versions(multistore)
    return {
        "versions": [
            {
                "id": f"v{v}",
                "status": "CURRENT" if v == listed[-1] else "SUPPORTED",
                "links": [{"rel": "self", "href": f"{base}/v2/"}],
            }
            for v in reversed(listed)
        ]
    }


def _document(request: Request) -> dict:
    return document(service_root(request), layer(request).services.stores.multistore)


async def version_root(request: Request) -> Response:
    """GET /: 300 Multiple Choices with the version document."""
    return json(_document(request), 300)


async def list_versions(request: Request) -> Response:
    """GET /versions: 200 with the version document."""
    return json(_document(request))
