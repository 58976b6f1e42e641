"""Route tables as data: (method, path, endpoint) rows made into Starlette routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.applications import Starlette
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from kilocloud.core.errors import BadRequest, NotFound
from kilocloud.core.http import ErrorRenderer, exception_handlers

Endpoint = Callable[[Request], Awaitable[Response]]
Row = tuple[str, str, Endpoint]


def service_app(routes: list[BaseRoute], layer: object, render: ErrorRenderer) -> Starlette:
    """A service's sub-app: its routes, its one error renderer, and its service layer."""
    app = Starlette(routes=routes, exception_handlers=exception_handlers(render))
    app.state.layer = layer
    return app


def layer(conn: HTTPConnection) -> Any:
    """The service layer of the service `conn` (a request or websocket) is for."""
    return conn.app.state.layer


def routes_from(rows: Iterable[Row], refuse_nul: bool = True) -> list[Route]:
    """One Route per path holding all its methods, so a wrong method answers 405.

    With refuse_nul, a path parameter holding NUL answers 404 and a query parameter holding
    NUL 400, before any handler runs (ids and filters go into SQL as text, and PostgreSQL
    refuses NUL in text). A URL whose percent-encoded bytes are not UTF-8 answers 400 rather
    than reaching a handler with U+FFFD in place of what the client sent.
    """
    by_path: dict[str, dict[str, Endpoint]] = {}
    for method, path, endpoint in rows:
        by_path.setdefault(path, {})[method] = endpoint
    return [
        Route(path, _dispatch(methods, refuse_nul), methods=list(methods))
        for path, methods in by_path.items()
    ]


def _dispatch(methods: dict[str, Endpoint], refuse_nul: bool) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        if refuse_nul:
            _refuse_nul(request)
        _check_utf8(request.scope)
        handler = methods.get(request.method) or methods["GET"]  # HEAD answers as GET does
        return await handler(request)

    return endpoint


def _refuse_nul(request: Request) -> None:
    if any("\x00" in value for value in request.path_params.values()):
        raise NotFound("The resource could not be found.")
    if b"%00" in request.scope["query_string"]:
        raise BadRequest("Query parameters may not contain NUL characters.")


def _check_utf8(scope: dict) -> None:
    for encoded in (scope.get("raw_path") or b"", scope["query_string"].replace(b"+", b" ")):
        if b"%" not in encoded:
            continue
        try:
            unquote_to_bytes(encoded).decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("The URL has percent-encoded bytes that are not UTF-8.") from None
