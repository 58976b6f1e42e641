"""Route tables as data: (method, path, endpoint) rows made into Starlette routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kilocloud.core.errors import NotFound

Endpoint = Callable[[Request], Awaitable[Response]]
Row = tuple[str, str, Endpoint]


def routes_from(rows: Iterable[Row], refuse_nul: bool = True) -> list[Route]:
    """One Route per path holding all its methods, so a wrong method answers 405.

    With refuse_nul, a path parameter holding NUL answers 404 before any handler runs.
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
        # ids go into SQL as text, and PostgreSQL refuses NUL in text
        if refuse_nul and any("\x00" in value for value in request.path_params.values()):
            raise NotFound("The resource could not be found.")
        handler = methods.get(request.method) or methods["GET"]  # HEAD answers as GET does
        return await handler(request)

    return endpoint
