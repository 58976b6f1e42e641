"""Zaqar's error body: {"title", "description"}."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.errors import APIError, BadRequest, Conflict
from kilocloud.core.http import json


class InvalidRequest(BadRequest):
    """A request that breaks one of Zaqar's validation rules."""

    title = "Invalid API request"


class InvalidBody(BadRequest):
    """A body field of the wrong type."""

    title = "Invalid request body"


class ResourceConflict(Conflict):
    """A change that contradicts the resource's state."""

    title = "Resource conflict"


class MissingHeader(BadRequest):
    """A required header (Client-ID) is absent."""

    title = "Missing header"


def titled(error: type[APIError], title: str, description: str) -> APIError:
    """An error of `error`'s status under the title of the operation that failed."""
    exc = error(description)
    exc.title = title
    return exc


def body(title: str, description: str) -> dict[str, str]:
    """The error document Zaqar answers with."""
    return {"title": title, "description": description}


async def render(request: Request, exc: APIError) -> Response:
    """Render an error as Zaqar does."""
    return json(body(exc.title, exc.message), exc.status, exc.headers)
