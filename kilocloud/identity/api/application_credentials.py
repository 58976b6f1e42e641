"""HTTP face of /v3/users/{user_id}/application_credentials[/{application_credential_id}]."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.identity import schemas
from kilocloud.identity.api import views
from kilocloud.identity.api.requests import body
from kilocloud.identity.service import application_credentials


async def list_application_credentials(request: Request) -> Response:
    """GET /v3/users/{user_id}/application_credentials."""
    ctx = authenticated(request)
    found = await application_credentials.listing(
        layer(request),
        ctx,
        request.path_params["user_id"],
        request.query_params.get("name"),
    )
    items = [views.application_credential(request, c) for c in found]
    return json(views.collection(request, "application_credentials", items))


async def create_application_credential(request: Request) -> Response:
    """POST /v3/users/{user_id}/application_credentials: the secret is shown this once."""
    ctx = authenticated(request)
    ref = await body(request, "application_credential", schemas.APPLICATION_CREDENTIAL)
    cred, secret = await application_credentials.create(
        layer(request), ctx, request.path_params["user_id"], ref
    )
    shown = {**views.application_credential(request, cred), "secret": secret}
    return json({"application_credential": shown}, 201)


def _ids(request: Request) -> tuple[str, str]:
    return request.path_params["user_id"], request.path_params["application_credential_id"]


async def show_application_credential(request: Request) -> Response:
    """GET /v3/users/{user_id}/application_credentials/{application_credential_id}."""
    ctx = authenticated(request)
    cred = await application_credentials.get(layer(request), ctx, *_ids(request))
    return json({"application_credential": views.application_credential(request, cred)})


async def delete_application_credential(request: Request) -> Response:
    """DELETE /v3/users/{user_id}/application_credentials/{application_credential_id}."""
    ctx = authenticated(request)
    await application_credentials.delete_credential(layer(request), ctx, *_ids(request))
    return empty()
