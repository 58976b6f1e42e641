"""Glance's error body: {"code": "404 Not Found", "title": "Not Found", "message": ...}."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.errors import APIError
from kilocloud.core.http import json

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    410: "Gone",
    413: "Request Entity Too Large",
    415: "Unsupported Media Type",
    416: "Requested Range Not Satisfiable",
    503: "Service Unavailable",
}


def body(status: int, message: str) -> dict:
    """The error document Glance sends for `status`."""
    title = _TITLES.get(status, "Error")
    return {"code": f"{status} {title}", "title": title, "message": message}


async def render(request: Request, exc: Exception) -> Response:
    """Render an APIError as Glance does; 401s also name where to authenticate."""
    assert isinstance(exc, APIError)
    headers = dict(exc.headers)
    if exc.status == 401:
        headers["WWW-Authenticate"] = "Keystone uri='unknown'"
    return json(body(exc.status, exc.message), exc.status, headers)


async def render_http(request: Request, exc: Exception) -> Response:
    """Render Starlette's routing errors (unknown path, wrong method) in Glance's shape."""
    assert isinstance(exc, HTTPException)
    message = "The resource could not be found." if exc.status_code == 404 else str(exc.detail)
    return json(body(exc.status_code, message), exc.status_code, exc.headers)
