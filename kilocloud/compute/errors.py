"""Nova's error body: {"<name>": {"code": <status>, "message": <text>}}."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.errors import APIError
from kilocloud.core.http import json

NAMES = {
    400: "badRequest",
    401: "unauthorized",
    403: "forbidden",
    404: "itemNotFound",
    405: "badMethod",
    409: "conflictingRequest",
    413: "overLimit",
    415: "badMediaType",
    429: "overLimit",
    501: "notImplemented",
    503: "serviceUnavailable",
}
NOT_FOUND = "The resource could not be found."


class NotImplementedByDriver(APIError):
    status, title = 501, "Not Implemented"


def body(status: int, message: str) -> dict:
    """The error document Nova sends for `status`."""
    return {NAMES.get(status, "computeFault"): {"code": status, "message": message}}


def respond(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A Nova error response."""
    return json(body(status, message), status, headers)


async def render(request: Request, exc: Exception) -> Response:
    """An APIError in Nova's shape."""
    assert isinstance(exc, APIError)
    return respond(exc.status, exc.message, exc.headers)


async def render_http(request: Request, exc: Exception) -> Response:
    """Starlette's routing errors (unknown path, wrong method) in Nova's shape."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return respond(404, NOT_FOUND)
    if exc.status_code == 405:
        return respond(405, "The method specified is not allowed for this resource.", exc.headers)
    return respond(exc.status_code, str(exc.detail), exc.headers)
