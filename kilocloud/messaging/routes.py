"""The messaging API's routes, in API-reference order, and the sub-app that serves them."""

from __future__ import annotations

import asyncio
import logging
import time

from starlette.applications import Starlette
from starlette.routing import BaseRoute, WebSocketRoute

from kilocloud.core import config
from kilocloud.core.routing import Row, routes_from, service_app
from kilocloud.deps import Services
from kilocloud.messaging import errors, websocket
from kilocloud.messaging.api import catalog, claims, health, messages, queues, subscriptions
from kilocloud.messaging.platform import PlatformEvents
from kilocloud.messaging.service.messaging import Messaging

LOG = logging.getLogger(__name__)
GC_INTERVAL = 30.0
Q = "/v2/{kind}/{name}"

ROUTES: list[Row] = [
    ("GET", "/", health.versions),
    ("GET", "/v2", health.home),
    ("GET", "/v2/", health.home),
    ("GET", "/v2/ping", health.ping),
    ("HEAD", "/v2/ping", health.ping),
    ("GET", "/v2/health", health.health),
    ("GET", "/v2/{kind}", queues.list_queues),
    ("PUT", Q, queues.create_queue),
    ("GET", Q, queues.get_queue),
    ("PATCH", Q, queues.update_queue),
    ("DELETE", Q, queues.delete_queue),
    ("GET", Q + "/stats", queues.queue_stats),
    ("POST", Q + "/share", queues.share_queue),
    ("POST", Q + "/purge", queues.purge_queue),
    ("POST", Q + "/messages", messages.post_messages),
    ("GET", Q + "/messages", messages.list_messages),
    ("DELETE", Q + "/messages", messages.delete_messages),
    ("GET", Q + "/messages/{message_id}", messages.get_message),
    ("DELETE", Q + "/messages/{message_id}", messages.delete_message),
    ("POST", Q + "/claims", claims.create_claim),
    ("GET", Q + "/claims/{claim_id}", claims.get_claim),
    ("PATCH", Q + "/claims/{claim_id}", claims.update_claim),
    ("DELETE", Q + "/claims/{claim_id}", claims.delete_claim),
    ("GET", Q + "/subscriptions", subscriptions.list_subscriptions),
    ("POST", Q + "/subscriptions", subscriptions.create_subscription),
    ("GET", Q + "/subscriptions/{sub_id}", subscriptions.get_subscription),
    ("PATCH", Q + "/subscriptions/{sub_id}", subscriptions.update_subscription),
    ("DELETE", Q + "/subscriptions/{sub_id}", subscriptions.delete_subscription),
    ("PUT", Q + "/subscriptions/{sub_id}/confirm", subscriptions.confirm_subscription),
    ("GET", "/v2/pools", catalog.list_pools),
    ("PUT", "/v2/pools/{name}", catalog.put_pool),
    ("GET", "/v2/pools/{name}", catalog.get_pool),
    ("PATCH", "/v2/pools/{name}", catalog.update_pool),
    ("DELETE", "/v2/pools/{name}", catalog.delete_pool),
    ("GET", "/v2/flavors", catalog.list_flavors),
    ("PUT", "/v2/flavors/{name}", catalog.put_flavor),
    ("GET", "/v2/flavors/{name}", catalog.get_flavor),
    ("PATCH", "/v2/flavors/{name}", catalog.update_flavor),
    ("DELETE", "/v2/flavors/{name}", catalog.delete_flavor),
]
KINDS = {"kind": ("queues", "topics")}
QUEUE_ONLY = ("/share", "/claims")


def _routes() -> list[BaseRoute]:
    """The websocket route, then ROUTES with {kind} expanded to queues and topics."""
    rows: list[Row] = []
    for method, path, endpoint in ROUTES:
        kinds = KINDS["kind"] if "{kind}" in path else ("",)
        for kind in kinds:
            if kind == "topics" and any(part in path for part in QUEUE_ONLY):
                continue
            rows.append((method, path.replace("{kind}", kind), endpoint))
    # Zaqar's own name and id checks answer NUL (a DELETE of no such message is a 204)
    return [WebSocketRoute("/ws", websocket.endpoint), *routes_from(rows, refuse_nul=False)]


def build(services: Services) -> Starlette:
    """The messaging sub-app, its service layer and its background work."""
    base = config.public_endpoint(services.conf) + "/messaging"
    svc = Messaging(services, base)
    platform = PlatformEvents(svc, services.conf)
    services.notifier.subscribe(platform.receive)
    collector: list[asyncio.Task] = []

    async def start() -> None:
        await svc.start()
        collector.append(asyncio.create_task(_collect_garbage(svc)))

    async def stop() -> None:
        for task in collector:
            task.cancel()
        await svc.stop()

    services.on_startup.append(start)
    services.on_shutdown.append(stop)
    return service_app(_routes(), svc, errors.render)


async def _collect_garbage(svc: Messaging) -> None:
    while True:
        await asyncio.sleep(GC_INTERVAL)
        try:
            await svc.store.collect_garbage(time.time())
        except Exception:  # an unreachable store now must not end collection for good
            LOG.exception("message garbage collection failed")
