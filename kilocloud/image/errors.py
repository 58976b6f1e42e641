"""Glance's error bodies: JSON {"code", "title", "message"} when asked for, else an HTML page.

glanceclient parses JSON errors as nested objects and so relies on getting the HTML page, which
is what Glance sends unless the request's Accept header names application/json.
"""

from __future__ import annotations

import html

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from kilocloud.core import config
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
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def body(status: int, message: str) -> dict:
    """The error document Glance sends for `status`."""
    title = _TITLES.get(status, "Error")
    return {"code": f"{status} {title}", "title": title, "message": message}


def page(status: int, message: str) -> str:
    """The HTML error page Glance sends to clients that do not ask for JSON."""
    heading = body(status, message)["code"]
    text = html.escape(message)
    return (
        f"<html>\n <head>\n  <title>{heading}</title>\n </head>\n <body>\n"
        f"  <h1>{heading}</h1>\n  {text}<br /><br />\n\n\n\n </body>\n</html>"
    )


def respond(request: Request, status: int, message: str, headers: dict | None) -> Response:
    """The error response for `status`, in the form the client accepts."""
    if "application/json" in request.headers.get("accept", ""):
        return json(body(status, message), status, headers)
    return HTMLResponse(page(status, message), status, headers)


async def render(request: Request, exc: Exception) -> Response:
    """Render an APIError as Glance does; 401s also name where to authenticate."""
    assert isinstance(exc, APIError)
    headers = dict(exc.headers)
    if exc.status == 401:
        headers["WWW-Authenticate"] = f'Keystone uri="{_identity_uri(request)}"'
    return respond(request, exc.status, exc.message, headers)


async def render_http(request: Request, exc: Exception) -> Response:
    """Render Starlette's routing errors (unknown path, wrong method) in Glance's shape."""
    assert isinstance(exc, HTTPException)
    message = "The resource could not be found." if exc.status_code == 404 else str(exc.detail)
    return respond(request, exc.status_code, message, exc.headers)


def _identity_uri(request: Request) -> str:
    conf = request.app.state.image.deps.conf
    return conf.keystone_authtoken.auth_url or f"{config.public_endpoint(conf)}/identity/v3"
