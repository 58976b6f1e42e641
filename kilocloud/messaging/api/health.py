"""The version document, the v2 home document, ping and health."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json, service_root
from kilocloud.core.routing import layer
from kilocloud.messaging.service.messaging import Messaging

MEDIA_TYPE = "application/vnd.openstack.messaging-v2+json"


def version(base: str) -> dict:
    """The v2 version entry below `base`: absolute over HTTP, so clients find v2 below any mount."""
    return {
        "id": "2",
        "status": "CURRENT",
        "updated": "2014-09-24T04:06:47Z",
        "media-types": [{"base": "application/json", "type": MEDIA_TYPE}],
        "links": [{"href": f"{base}/v2/", "rel": "self"}],
    }


async def versions(request: Request) -> Response:
    """GET /: the API versions, with 300 Multiple Choices as Zaqar answers."""
    return json({"versions": [version(service_root(request))]}, 300)


def home_document(base: str) -> dict:
    """A JSON-home document of the main resources, its version link below `base`."""
    resources = {
        "rel/queues": {"href-template": "/v2/queues{?marker,limit,detailed}"},
        "rel/queue": {"href-template": "/v2/queues/{queue_name}"},
        "rel/messages": {"href-template": "/v2/queues/{queue_name}/messages{?marker,limit}"},
        "rel/claim": {"href-template": "/v2/queues/{queue_name}/claims{?limit}"},
        "rel/subscriptions": {"href-template": "/v2/queues/{queue_name}/subscriptions"},
        "rel/topics": {"href-template": "/v2/topics{?marker,limit,detailed}"},
        "rel/ping": {"href-template": "/v2/ping"},
    }
    return {"resources": resources, "version": version(base)}


async def home(request: Request) -> Response:
    """GET /v2/: the home document."""
    return json(home_document(service_root(request)))


async def ping(request: Request) -> Response:
    """GET|HEAD /v2/ping: 204 while the storage answers, 503 otherwise."""
    try:
        await layer(request).store.queue_metadata("-", "-")
    except Exception:  # any storage failure means "not serving"
        return empty(503)
    return empty()


async def health(request: Request) -> Response:
    """GET /v2/health (admin): storage reachability and its answer time."""
    svc = layer(request)
    svc.policy.enforce(authenticated(request), "health:get")
    return json(await report(svc))


async def report(svc: Messaging) -> dict:
    """Storage reachability and its answer time."""
    start = time.perf_counter()
    try:
        await svc.store.queue_metadata("-", "-")
        reachable = True
    except Exception:  # reported, not raised: this is the health report
        reachable = False
    took = round((time.perf_counter() - start) * 1000, 3)
    backend = svc.conf.drivers.message_store
    return {
        "storage_reachable": reachable,
        "catalog_reachable": True,
        backend: {"latency_ms": took},
    }
