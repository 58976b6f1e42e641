"""HTTP face of POST /servers/{id}/action: one top-level key names the action."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.compute import schemas
from kilocloud.compute.api.requests import body, service, since, version
from kilocloud.compute.api.servers import show_view
from kilocloud.compute.service.actions import POWER
from kilocloud.compute.validation import check
from kilocloud.core.auth import authenticated
from kilocloud.core.errors import BadRequest
from kilocloud.core.http import empty, json, service_root


def _reboot_type(value: Any) -> bool:
    kind = str((value or {}).get("type", "")).upper() if isinstance(value, dict) else ""
    if kind not in ("SOFT", "HARD"):
        raise BadRequest(
            f"Invalid input for field/attribute type. Value: {kind or None}. "
            "'type' must be one of SOFT, HARD"
        )
    return kind == "HARD"


def _length(value: Any) -> int | None:
    raw = (value or {}).get("length") if isinstance(value, dict) else None
    if raw is None:
        return None
    try:
        length = int(raw)
    except (TypeError, ValueError):
        raise BadRequest(f"Invalid input for field/attribute length. Value: {raw}.") from None
    if length < -1:
        raise BadRequest(f"Invalid input for field/attribute length. Value: {raw}.")
    return None if length == -1 else length


async def server_action(request: Request) -> Response:
    """Dispatch the action the body names."""
    ctx = authenticated(request)
    document = await body(request)
    if not isinstance(document, dict) or len(document) != 1:
        raise BadRequest("Malformed request body")
    ((key, value),) = document.items()
    uuid = request.path_params["server_id"]
    actions = service(request).actions
    if key in POWER:
        await actions.power(ctx, uuid, key)
    elif key == "reboot":
        await actions.reboot(ctx, uuid, _reboot_type(value))
    elif key in ("lock", "unlock"):
        reason = (
            (value or {}).get("locked_reason")
            if since(request, 73) and isinstance(value, dict)
            else None
        )
        await actions.lock(ctx, uuid, key == "lock", reason)
    elif key == "forceDelete":
        await actions.force_delete(ctx, uuid)
    elif key == "os-getConsoleOutput":
        output = await actions.console_output(ctx, uuid, _length(value))
        return json({"output": output})
    elif key == "createImage":
        return await _create_image(request, ctx, uuid, value)
    elif key == "rebuild":
        return await _rebuild(request, ctx, uuid, value)
    elif key == "resize":
        flavor = check(schemas.RESIZE, value if isinstance(value, dict) else None)["flavorRef"]
        await service(request).resizes.resize(ctx, uuid, str(flavor))
    elif key == "confirmResize":
        await service(request).resizes.confirm(ctx, uuid)
        return empty(204)
    elif key == "revertResize":
        await service(request).resizes.revert(ctx, uuid)
    else:
        raise BadRequest(f"There is no such action: {key}")
    return empty(202)


async def _create_image(request: Request, ctx: Any, uuid: str, value: Any) -> Response:
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("name"), str)
        or not value["name"].strip()
    ):
        raise BadRequest("Invalid input for field/attribute name.")
    metadata = value.get("metadata") or {}
    image_id = await service(request).actions.create_image(ctx, uuid, value["name"], metadata)
    if since(request, 45):
        return json({"image_id": image_id}, 202)
    root = service_root(request).rsplit("/compute", 1)[0]
    return empty(202, {"Location": f"{root}/image/v2/images/{image_id}"})


async def _rebuild(request: Request, ctx: Any, uuid: str, value: Any) -> Response:
    document = check(schemas.rebuild(version(request)), value)
    row = await service(request).resizes.rebuild(ctx, uuid, document)
    out = await show_view(request, row, reduced=not since(request, 75))
    if service(request).deps.conf.compute.enable_instance_password:
        out["server"]["adminPass"] = document.get("adminPass") or secrets.token_urlsafe(9)[:12]
    return json(out, 202)
