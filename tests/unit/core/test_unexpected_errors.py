"""A failure nobody foresaw still answers in the service's own error body, as a 500."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from kilocloud.core.http import UNEXPECTED, exception_handlers
from kilocloud.identity import errors as identity_errors
from kilocloud.image import errors as image_errors
from kilocloud.messaging import errors as messaging_errors


async def broken(request):  # noqa: ANN001, ANN201
    raise RuntimeError("a bug")


def _client(errors) -> TestClient:  # noqa: ANN001
    app = Starlette(
        routes=[Route("/broken", broken)], exception_handlers=exception_handlers(errors.render)
    )
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("errors", "expected"),
    [
        (
            identity_errors,
            {"error": {"code": 500, "title": "Internal Server Error", "message": UNEXPECTED}},
        ),
        (messaging_errors, {"title": "Internal Server Error", "description": UNEXPECTED}),
        (
            image_errors,
            {
                "code": "500 Internal Server Error",
                "title": "Internal Server Error",
                "message": UNEXPECTED,
            },
        ),
    ],
)
def test_unexpected_exception_is_a_500_in_the_service_body(errors, expected) -> None:  # noqa: ANN001
    resp = _client(errors).get("/broken", headers={"Accept": "application/json"})
    assert resp.status_code == 500
    assert resp.json() == expected


def test_routing_errors_go_through_the_one_renderer() -> None:
    resp = _client(messaging_errors).get("/nowhere")
    assert resp.status_code == 404
    assert resp.json() == {"title": "Not Found", "description": "The resource could not be found."}
    resp = _client(identity_errors).post("/broken")
    assert resp.status_code == 405 and set(resp.headers["allow"].split(", ")) == {"GET", "HEAD"}
    assert resp.json()["error"] == {
        "code": 405,
        "title": "Method Not Allowed",
        "message": "Method Not Allowed",
    }
