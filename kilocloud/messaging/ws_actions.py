"""Websocket actions: each frame's body -> the same service calls as the HTTP API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson

from kilocloud.messaging.api import views
from kilocloud.messaging.errors import InvalidRequest
from kilocloud.messaging.service.caller import Caller
from kilocloud.messaging.service.messaging import Messaging
from kilocloud.messaging.storage.base import ListQuery

Result = tuple[int, Any]
Action = Callable[[Messaging, Caller, dict[str, Any]], Awaitable[Result]]


def _queue(body: dict[str, Any]) -> str:
    name = body.get("queue_name")
    if not isinstance(name, str):
        raise InvalidRequest("Missing queue_name in the request body.")
    return name


def _base(body: dict[str, Any]) -> str:
    return f"/v2/queues/{_queue(body)}"


def _marker(body: dict[str, Any]) -> int:
    marker = str(body.get("marker") or "0")
    if not (marker.isascii() and marker.isdigit()):
        raise InvalidRequest("The marker is not valid.")
    return int(marker)


async def queue_list(svc: Messaging, who: Caller, body: dict) -> Result:
    """A page of queues."""
    page, _ = await svc.queues.list(who, body.get("marker"), body.get("limit"), False)
    detailed = bool(body.get("detailed"))
    return 200, {"queues": [views.queue("/v2/queues", n, m if detailed else None) for n, m in page]}


async def queue_create(svc: Messaging, who: Caller, body: dict) -> Result:
    """Create a queue."""
    created = await svc.queues.create(who, _queue(body), body.get("metadata") or {})
    return (201 if created else 204), {"message": f"Queue {_queue(body)} created."}


async def queue_delete(svc: Messaging, who: Caller, body: dict) -> Result:
    """Delete a queue."""
    await svc.queues.delete(who, _queue(body))
    return 204, {"message": f"Queue {_queue(body)} removed."}


async def queue_get(svc: Messaging, who: Caller, body: dict) -> Result:
    """A queue's metadata."""
    return 200, await svc.queues.get(who, _queue(body))


async def queue_get_stats(svc: Messaging, who: Caller, body: dict) -> Result:
    """A queue's message counts."""
    return 200, views.stats(_base(body), await svc.queues.stats(who, _queue(body)))


async def queue_purge(svc: Messaging, who: Caller, body: dict) -> Result:
    """Purge a queue."""
    await svc.queues.purge(who, _queue(body), body.get("resource_types"))
    return 204, {}


async def message_list(svc: Messaging, who: Caller, body: dict) -> Result:
    """A page of messages."""
    query = ListQuery(
        client_id=who.client_id,
        limit=body.get("limit", 10),
        marker=_marker(body),
        echo=bool(body.get("echo")),
        include_claimed=bool(body.get("include_claimed")),
        include_delayed=bool(body.get("include_delayed")),
    )
    found = await svc.messages.list(who, _queue(body), query)
    return 200, {"messages": views.messages(_base(body), found)}


async def message_get(svc: Messaging, who: Caller, body: dict) -> Result:
    """One message."""
    found = await svc.messages.get(who, _queue(body), str(body.get("message_id")))
    return 200, views.message(_base(body), found)


async def message_get_many(svc: Messaging, who: Caller, body: dict) -> Result:
    """Messages by id."""
    found = await svc.messages.get_many(who, _queue(body), list(body.get("message_ids") or []))
    return 200, {"messages": views.messages(_base(body), found)}


async def message_post(svc: Messaging, who: Caller, body: dict) -> Result:
    """Post messages."""
    doc = {"messages": body.get("messages")}
    size = len(orjson.dumps(body.get("messages")))
    ids = await svc.messages.post(who, _queue(body), doc, size)
    return 201, {"message_ids": ids}


async def message_delete(svc: Messaging, who: Caller, body: dict) -> Result:
    """Delete one message."""
    claim_id = body.get("claim_id") or None
    await svc.messages.delete(who, _queue(body), str(body.get("message_id")), claim_id)
    return 204, {}


async def message_delete_many(svc: Messaging, who: Caller, body: dict) -> Result:
    """Delete messages by id, or pop some."""
    if body.get("pop") is not None:
        popped = await svc.messages.pop(who, _queue(body), body["pop"])
        return 200, {"messages": views.messages(_base(body), popped)}
    await svc.messages.delete_many(who, _queue(body), list(body.get("message_ids") or []))
    return 204, {}


async def claim_create(svc: Messaging, who: Caller, body: dict) -> Result:
    """Claim messages."""
    claim = await svc.claims.create(who, _queue(body), body, body.get("limit"))
    if claim is None:
        return 204, []
    return 201, views.claim(_base(body), claim)["messages"]


async def claim_get(svc: Messaging, who: Caller, body: dict) -> Result:
    """One claim."""
    claim = await svc.claims.get(who, _queue(body), str(body.get("claim_id")))
    return 200, views.claim(_base(body), claim)


async def claim_update(svc: Messaging, who: Caller, body: dict) -> Result:
    """Renew a claim."""
    await svc.claims.update(who, _queue(body), str(body.get("claim_id")), body)
    return 204, {}


async def claim_delete(svc: Messaging, who: Caller, body: dict) -> Result:
    """Release a claim."""
    await svc.claims.delete(who, _queue(body), str(body.get("claim_id")))
    return 204, {}


async def subscription_create(svc: Messaging, who: Caller, body: dict) -> Result:
    """Subscribe a URI."""
    sub_id = await svc.subscriptions.create(who, _queue(body), body)
    return 201, {"subscription_id": sub_id}


async def subscription_list(svc: Messaging, who: Caller, body: dict) -> Result:
    """A page of subscriptions."""
    found = await svc.subscriptions.list(who, _queue(body), body.get("marker"), body.get("limit"))
    return 200, {"subscriptions": [views.subscription(s) for s in found]}


async def subscription_get(svc: Messaging, who: Caller, body: dict) -> Result:
    """One subscription."""
    found = await svc.subscriptions.get(who, _queue(body), str(body.get("subscription_id")))
    return 200, views.subscription(found)


async def subscription_delete(svc: Messaging, who: Caller, body: dict) -> Result:
    """Forget a subscription."""
    await svc.subscriptions.delete(who, _queue(body), str(body.get("subscription_id")))
    return 204, {}


ACTIONS: dict[str, Action] = {
    f.__name__: f
    for f in (
        queue_list,
        queue_create,
        queue_delete,
        queue_get,
        queue_get_stats,
        queue_purge,
        message_list,
        message_get,
        message_get_many,
        message_post,
        message_delete,
        message_delete_many,
        claim_create,
        claim_get,
        claim_update,
        claim_delete,
        subscription_create,
        subscription_list,
        subscription_get,
        subscription_delete,
    )
}
# The HTTP method and resource each action maps to, for pre-signed URL checks.
SIGNED = {
    "message_list": ("GET", "messages"),
    "message_get": ("GET", "messages"),
    "message_get_many": ("GET", "messages"),
    "message_post": ("POST", "messages"),
    "message_delete": ("DELETE", "messages"),
    "message_delete_many": ("DELETE", "messages"),
    "claim_create": ("POST", "claims"),
    "claim_get": ("GET", "claims"),
    "claim_update": ("PATCH", "claims"),
    "claim_delete": ("DELETE", "claims"),
    "subscription_create": ("POST", "subscriptions"),
    "subscription_list": ("GET", "subscriptions"),
    "subscription_get": ("GET", "subscriptions"),
    "subscription_delete": ("DELETE", "subscriptions"),
}
