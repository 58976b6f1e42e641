"""The microversion of each request, the headers that echo it, and the compute request id."""

from __future__ import annotations

from starlette.routing import get_route_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kilocloud.compute import errors, microversions
from kilocloud.core.errors import APIError

UNVERSIONED = ("", "/")


class MicroversionMiddleware:
    """Negotiate the version (400/406 before routing) and echo it on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or get_route_path(scope) in UNVERSIONED:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        state = scope.setdefault("state", {})
        try:
            version = microversions.negotiate(headers)
        except APIError as exc:
            await errors.respond(exc.status, exc.message)(scope, receive, send)
            return
        state["api_version"] = version
        extra = microversions.response_headers(version)
        if request_id := state.get("request_id"):
            extra.append((b"x-compute-request-id", request_id.encode()))

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_version)
