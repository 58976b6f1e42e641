"""Errors that carry their HTTP category; each service renders them in its own body shape."""

from __future__ import annotations

from collections.abc import Mapping


class APIError(Exception):
    """An error with an HTTP status; `message` is safe to show to the client."""

    status = 500
    title = "Internal Server Error"

    def __init__(self, message: str | None = None, headers: dict[str, str] | None = None) -> None:
        self.message = message or self.title
        self.headers = headers or {}
        super().__init__(self.message)


class BadRequest(APIError):
    status, title = 400, "Bad Request"


class Unauthorized(APIError):
    status, title = 401, "Unauthorized"


class Forbidden(APIError):
    status, title = 403, "Forbidden"


class NotFound(APIError):
    status, title = 404, "Not Found"


class MethodNotAllowed(APIError):
    status, title = 405, "Method Not Allowed"


class Conflict(APIError):
    status, title = 409, "Conflict"


class Gone(APIError):
    status, title = 410, "Gone"


class TooLarge(APIError):
    status, title = 413, "Request Entity Too Large"


class UnsupportedMediaType(APIError):
    status, title = 415, "Unsupported Media Type"


class RangeNotSatisfiable(APIError):
    status, title = 416, "Requested Range Not Satisfiable"


class Unavailable(APIError):
    status, title = 503, "Service Unavailable"


def of_status(status: int, message: str, headers: Mapping[str, str] | None = None) -> APIError:
    """The error of category `status` (Starlette's routing errors, for one), with `message`."""
    error = next((c for c in _CATEGORIES if c.status == status), APIError)(
        message, dict(headers or {})
    )
    if error.status != status:
        error.status, error.title = status, "Error"
    return error


_CATEGORIES = APIError.__subclasses__()
