"""HTTP plumbing shared by every service: request ids, access log, JSON in and out."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kilocloud.core import errors
from kilocloud.core.errors import APIError, BadRequest, TooLarge

LOG = logging.getLogger("kilocloud.access")
MAX_JSON_BODY = 114688  # Keystone's default max_request_body_size


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    """A JSON response serialized with orjson."""
    return JSONResponse(body, status_code=status, headers=headers)


def empty(status: int = 204, headers: dict[str, str] | None = None) -> Response:
    """A response with no body."""
    return Response(status_code=status, headers=headers)


async def read_json(request: Request, limit: int = MAX_JSON_BODY) -> Any:
    """The parsed JSON body; 400 when malformed, 413 when over `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge("Request is too large.")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge("Request is too large.")
    if not body:
        raise BadRequest("Request body is empty; a JSON document is required.")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        raise BadRequest("Malformed JSON in request body.") from None


class RequestLogMiddleware:
    """Give every request an id (x-openstack-request-id) and log one line when it ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = f"req-{uuid.uuid4()}"
        scope.setdefault("state", {})["request_id"] = request_id
        header = (b"x-openstack-request-id", request_id.encode())
        status = 500
        start = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            LOG.info(
                "%s %s %s %.1fms %s",
                scope["method"],
                _logged_path(scope),
                status,
                (time.perf_counter() - start) * 1000,
                request_id,
            )


def _logged_path(scope: Scope) -> str:
    """The path as the client sent it, still percent-encoded, so an encoded newline or NUL
    cannot forge or break a log line."""
    raw = scope.get("raw_path")
    if raw is not None:
        return raw.decode("ascii", "backslashreplace")
    return quote(scope["path"], safe="/:@!$&'()*+,;=~")


def service_root(request: Request) -> str:
    """The URL the serving service is mounted at (e.g. http://host:8770/identity), no slash."""
    root = request.scope.get("root_path", "")
    return str(request.base_url.replace(path=root)).rstrip("/")


ErrorRenderer = Callable[[Request, APIError], Awaitable[Response]]
CLIENT_CLOSED = 499
UNEXPECTED = "The server has either erred or is incapable of performing the requested operation."


def exception_handlers(render: ErrorRenderer) -> dict:
    """A service's handlers, all through its one renderer: its API errors, Starlette's routing
    errors (unknown path 404, wrong method 405), a client gone mid-request (no answer), and
    any other failure as a 500 (Starlette still logs the traceback)."""

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, APIError)
        return await render(request, exc)

    async def routing(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = "The resource could not be found." if exc.status_code == 404 else exc.detail
        return await render(request, errors.of_status(exc.status_code, message, exc.headers))

    async def unexpected(request: Request, exc: Exception) -> Response:
        return await render(request, APIError(UNEXPECTED))

    return {
        APIError: api_error,
        HTTPException: routing,
        ClientDisconnect: disconnected,
        Exception: unexpected,
    }


async def disconnected(request: Request, exc: Exception) -> Response:
    """No answer for a client that left mid-request: the request log's one line shows 499
    (nginx's "client closed request"), with no traceback and no 500."""
    return Response(status_code=CLIENT_CLOSED)
