"""Nova's error body: {"<name>": {"code": <status>, "message": <text>}}."""

from __future__ import annotations

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
METHOD_NOT_ALLOWED = "The method specified is not allowed for this resource."


class NotImplementedByDriver(APIError):
    status, title = 501, "Not Implemented"


def body(status: int, message: str) -> dict:
    """The error document Nova sends for `status`."""
    return {NAMES.get(status, "computeFault"): {"code": status, "message": message}}


def respond(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A Nova error response."""
    return json(body(status, message), status, headers)


async def render(request: Request, exc: APIError) -> Response:
    """An error in Nova's shape (Starlette's 404 and 405 come here too)."""
    message = METHOD_NOT_ALLOWED if exc.status == 405 else exc.message
    return respond(exc.status, message, exc.headers)
