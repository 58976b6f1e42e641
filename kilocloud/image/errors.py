"""Glance's error bodies: an HTML page, JSON {"code", "title", "message"} or plain text, chosen
from the Accept header as webob (which renders Glance's errors) chooses.

glanceclient parses JSON errors as nested objects and so relies on getting the HTML page, which
is what Glance sends to `Accept: */*` (what requests and curl send).
"""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from webob.acceptparse import create_accept_header

from kilocloud.core import config
from kilocloud.core.errors import APIError
from kilocloud.core.http import json
from kilocloud.core.routing import layer


def body(error: APIError) -> dict:
    """The error document Glance sends for `error`."""
    return {"code": f"{error.status} {error.title}", "title": error.title, "message": error.message}


def page(error: APIError) -> str:
    """The HTML error page Glance sends to clients that do not ask for JSON."""
    heading = body(error)["code"]
    text = html.escape(error.message)
    return (
        f"<html>\n <head>\n  <title>{heading}</title>\n </head>\n <body>\n"
        f"  <h1>{heading}</h1>\n  {text}<br /><br />\n\n\n\n </body>\n</html>"
    )


def plain(error: APIError) -> str:
    """The plain-text error Glance sends to clients that accept neither HTML nor JSON."""
    return f"{body(error)['code']}\n\n{error.message}\n\n   "


def preferred(accept: str | None) -> str:
    """text/html, application/json or text/plain: the error form an Accept header asks for, as
    webob (which renders Glance's errors) chooses it; no header at all gets plain text."""
    if accept is None:
        return "text/plain"
    offers = create_accept_header(accept).acceptable_offers(["text/html", "application/json"])
    return offers[0][0] if offers else "text/plain"


async def render(request: Request, exc: APIError) -> Response:
    """Render an error as Glance does, in the form the client accepts; 401s also name where
    to authenticate."""
    headers = dict(exc.headers)
    if exc.status == 401:
        headers["WWW-Authenticate"] = f'Keystone uri="{_identity_uri(request)}"'
    form = preferred(request.headers.get("accept"))
    if form == "application/json":
        return json(body(exc), exc.status, headers)
    if form == "text/html":
        return HTMLResponse(page(exc), exc.status, headers)
    return PlainTextResponse(plain(exc), exc.status, headers)


def _identity_uri(request: Request) -> str:
    conf = layer(request).services.conf
    return conf.keystone_authtoken.auth_url or f"{config.public_endpoint(conf)}/identity/v3"
