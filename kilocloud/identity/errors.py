"""Keystone's error body: {"error": {"code", "title", "message"}}."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.errors import APIError
from kilocloud.core.http import json, service_root


def _body(status: int, title: str, message: str) -> dict:
    return {"error": {"code": status, "title": title, "message": message}}


async def render(request: Request, exc: Exception) -> Response:
    """Render an APIError as Keystone does; 401s also name where to authenticate."""
    assert isinstance(exc, APIError)
    headers = dict(exc.headers)
    if exc.status == 401:
        headers["WWW-Authenticate"] = f'Keystone uri="{service_root(request)}"'
    return json(_body(exc.status, exc.title, exc.message), exc.status, headers)


async def render_http(request: Request, exc: Exception) -> Response:
    """Render Starlette's routing errors (unknown path, wrong method) in Keystone's shape."""
    assert isinstance(exc, HTTPException)
    titles = {404: "Not Found", 405: "Method Not Allowed"}
    title = titles.get(exc.status_code, "Error")
    message = "The resource could not be found." if exc.status_code == 404 else str(exc.detail)
    return json(_body(exc.status_code, title, message), exc.status_code, exc.headers)
