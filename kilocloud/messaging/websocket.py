"""The websocket transport: JSON (text) or msgpack (binary) frames -> the service layer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from typing import Any

import msgpack
import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect

from kilocloud.core.auth import TokenValidator
from kilocloud.core.context import RequestContext
from kilocloud.core.errors import APIError, Forbidden, Unauthorized
from kilocloud.core.routing import layer
from kilocloud.messaging.delivery.fanout import notification
from kilocloud.messaging.errors import InvalidRequest
from kilocloud.messaging.service import limits, signed_urls
from kilocloud.messaging.service.caller import Caller
from kilocloud.messaging.service.messaging import Messaging
from kilocloud.messaging.storage.base import Message
from kilocloud.messaging.ws_actions import ACTIONS, SIGNED
from kilocloud.messaging.ws_catalog import CATALOG_ACTIONS

EXPIRED = 4003
LOG = logging.getLogger(__name__)


class Session:
    """One websocket connection: its authentication, encoding and subscriptions."""

    def __init__(self, ws: WebSocket, svc: Messaging, validator: TokenValidator) -> None:
        self.ws, self.svc, self.validator = ws, svc, validator
        self.key = uuid.uuid4().hex
        ctx: RequestContext = ws.scope.get("state", {}).get("context") or RequestContext("")
        self.ctx: RequestContext | None = ctx if ctx.authenticated else None
        self.token: str | None = ctx.token if ctx.authenticated else None
        self.expiry: asyncio.TimerHandle | None = None
        self.binary = False

    async def send(self, request: dict[str, Any], status: int, body: Any) -> None:
        """Send one response frame in the encoding of the last request."""
        frame = {"request": request, "headers": {"status": status}, "body": body}
        if self.binary:
            await self.ws.send_bytes(msgpack.packb(frame, use_bin_type=True))
        else:
            await self.ws.send_text(orjson.dumps(frame).decode())

    def decode(self, message: dict[str, Any]) -> dict[str, Any]:
        """The frame as a dict; InvalidRequest when it is not a valid request frame."""
        self.binary = message.get("bytes") is not None
        try:
            frame = (
                msgpack.unpackb(message["bytes"], raw=False)
                if self.binary
                else orjson.loads(message.get("text") or "")
            )
        except (ValueError, msgpack.UnpackException, TypeError):
            raise InvalidRequest("Malformed frame: expected JSON text or msgpack binary.") from None
        if not isinstance(frame, dict) or not isinstance(frame.get("action"), str):
            raise InvalidRequest("A frame must be an object with an action.")
        if not isinstance(frame.get("headers", {}), dict):
            raise InvalidRequest("Frame headers must be an object.")
        if not isinstance(frame.get("body", {}), dict):
            raise InvalidRequest("Frame body must be an object.")
        return frame

    async def authenticate(self, headers: dict[str, Any]) -> tuple[int, Any]:
        """Validate the frame's token and arrange to close the socket when it expires."""
        token = headers.get("X-Auth-Token")
        try:
            if not token:
                raise Unauthorized()
            ctx = await self.validator.validate(str(token))
        except APIError:
            self.forget()  # a failed re-authentication leaves no identity behind
            return 401, {"error": "Authentication failed."}
        self.ctx, self.token = ctx, str(token)
        self.schedule_expiry()
        return 200, {"message": "Authentified."}

    def schedule_expiry(self) -> None:
        """Arrange to close the socket when the token it authenticated with expires."""
        if self.expiry:
            self.expiry.cancel()
        if self.ctx is not None and self.ctx.expires_at:
            delay = max(0.0, self.ctx.expires_at - time.time())
            loop = asyncio.get_running_loop()
            self.expiry = loop.call_later(delay, lambda: asyncio.ensure_future(self.expire()))

    def forget(self) -> None:
        """Drop the socket's identity."""
        self.ctx = self.token = None
        if self.expiry:
            self.expiry.cancel()
            self.expiry = None

    async def identity(self) -> RequestContext | None:
        """The socket's identity, its token validated again (a cached check that revocation
        invalidates): a revoked token loses it at once."""
        if self.ctx is None or self.token is None:
            return self.ctx
        try:
            self.ctx = await self.validator.validate(self.token)
        except APIError:
            self.forget()
        return self.ctx

    async def expire(self) -> None:
        """Close the socket: the token it authenticated with has expired."""
        self.ctx = None
        with contextlib.suppress(Exception):
            await self.ws.close(EXPIRED, "Authentication expired.")

    async def caller(self, action: str, headers: dict[str, Any], body: dict[str, Any]) -> Caller:
        """The caller of an action: the socket's token, or the frame's pre-signed URL."""
        ctx = await self.identity()
        if ctx is None and "URL-Signature" in headers and action in SIGNED:
            method, kind = SIGNED[action]
            path = f"/v2/queues/{body.get('queue_name')}/{kind}"
            signed = {k.lower(): str(v) for k, v in headers.items()}
            project = self.svc.signed_urls.verify(signed, method, path)
            roles = list(signed_urls.GRANTED_ROLES)
            ctx = RequestContext(request_id="", project_id=project, roles=roles)
        if ctx is None:
            raise Forbidden("Not authenticated.")
        client = limits.client_id(headers.get("Client-ID"), self.svc.queues.opts)
        return Caller(ctx, ctx.project_id or "", client)

    async def push(self, request: dict[str, Any], queue: str, messages: list[Message]) -> None:
        """Send freshly posted messages down the socket."""
        for m in messages:
            with contextlib.suppress(Exception):
                await self.send(request, 200, notification(queue, m))

    async def watch(self, request: dict[str, Any], who: Caller, body: dict) -> tuple[int, Any]:
        """A subscription with no subscriber: push the queue's new messages to this socket."""
        self.svc.queues.enforce(who, "subscription:create")
        queue = self.svc.queues.name(str(body.get("queue_name")))
        space = self.svc.queues.space(who)
        self.svc.fanout.watch(space, queue, self.key, lambda q, m: self.push(request, q, m))
        return 201, {"subscription_id": self.key}

    async def handle(self, frame: dict[str, Any]) -> tuple[int, Any]:
        """Run one request frame; (status, body)."""
        action, headers = frame["action"], frame.get("headers") or {}
        body = frame.get("body") or {}
        if action == "authenticate":
            return await self.authenticate(headers)
        if action == "ping_node":
            return 204, {}
        who = await self.caller(action, headers, body)
        if action == "subscription_create" and not body.get("subscriber"):
            return await self.watch(self.request_doc(frame), who, body)
        if action == "subscription_delete" and body.get("subscription_id") == self.key:
            self.svc.fanout.unwatch(self.key)
            return 204, {}
        handler = ACTIONS.get(action) or CATALOG_ACTIONS.get(action)
        if handler is None:
            raise InvalidRequest(f"Unknown action: {action}.")
        return await handler(self.svc, who, body)

    @staticmethod
    def request_doc(frame: dict[str, Any]) -> dict[str, Any]:
        """The request part of a response frame."""
        return {
            "action": frame.get("action"),
            "headers": frame.get("headers") or {},
            "body": frame.get("body") or {},
            "api": "v2",
        }

    async def serve(self) -> None:
        """Answer frames until the client goes away."""
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            request: dict[str, Any] = {"api": "v2"}
            try:
                frame = self.decode(message)
                request = self.request_doc(frame)
                status, body = await self.handle(frame)
            except APIError as exc:
                status, body = exc.status, {"error": exc.message}
            except Exception:  # one failed frame must not end the connection
                LOG.exception("websocket action %s failed", request.get("action"))
                status, body = 500, {"error": "Internal server error."}
            await self.send(request, status, body)

    def close(self) -> None:
        """Forget the socket's subscriptions and expiry timer."""
        self.svc.fanout.unwatch(self.key)
        if self.expiry:
            self.expiry.cancel()


async def endpoint(ws: WebSocket) -> None:
    """The /ws route."""
    svc: Messaging = layer(ws)
    session = Session(ws, svc, svc.validator)
    await ws.accept()
    session.schedule_expiry()
    try:
        await session.serve()
    except WebSocketDisconnect:
        pass
    finally:
        session.close()
