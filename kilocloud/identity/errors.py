"""Keystone's error body: {"error": {"code", "title", "message"}}."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.errors import APIError
from kilocloud.core.http import json, service_root


def _body(status: int, title: str, message: str) -> dict:
    return {"error": {"code": status, "title": title, "message": message}}


async def render(request: Request, exc: APIError) -> Response:
    """Render an error as Keystone does; 401s also name where to authenticate."""
    headers = dict(exc.headers)
    if exc.status == 401:
        headers["WWW-Authenticate"] = f'Keystone uri="{service_root(request)}"'
    return json(_body(exc.status, exc.title, exc.message), exc.status, headers)
