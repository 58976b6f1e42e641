"""HTTP face of the tasks API: /v2/tasks, /v2/images/{id}/tasks and the task schemas."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core import pagination
from kilocloud.core.auth import authenticated
from kilocloud.core.http import json, read_json, service_root
from kilocloud.core.routing import layer
from kilocloud.image.task_models import ImageTask
from kilocloud.image.tasks import schemas
from kilocloud.image.tasks.lifecycle import task_dict


def _view(task: ImageTask) -> dict[str, Any]:
    return {**task_dict(task), "self": f"/v2/tasks/{task.id}", "schema": "/v2/schemas/task"}


async def create_task(request: Request) -> Response:
    """POST /v2/tasks: 201 with the new pending task."""
    ctx = authenticated(request)
    body = await read_json(request)  # as Glance: whatever the Content-Type says
    task = await layer(request).tasks.create(ctx, body)
    headers = {"Location": f"{service_root(request)}/v2/tasks/{task.id}"}
    return json(_view(task), 201, headers)


async def list_tasks(request: Request) -> Response:
    """GET /v2/tasks: a page of tasks, without their input and result."""
    ctx = authenticated(request)
    params = dict(request.query_params)
    found, next_marker = await layer(request).tasks.list(ctx, params)
    body: dict[str, Any] = {
        "tasks": [
            {
                **task_dict(t, detail=False),
                "self": f"/v2/tasks/{t.id}",
                "schema": "/v2/schemas/task",
            }
            for t in found
        ],
        **pagination.first_and_next("/v2/tasks", params.items(), next_marker),
        "schema": "/v2/schemas/tasks",
    }
    return json(body)


async def show_task(request: Request) -> Response:
    """GET /v2/tasks/{task_id}."""
    ctx = authenticated(request)
    return json(_view(await layer(request).tasks.get(ctx, request.path_params["task_id"])))


async def image_tasks(request: Request) -> Response:
    """GET /v2/images/{image_id}/tasks: the image's import tasks."""
    ctx = authenticated(request)
    found = await layer(request).tasks.of_image(ctx, request.path_params["image_id"])
    listed = [
        {**task_dict(t), "image_id": t.image_id, "request_id": t.request_id, "user_id": t.user_id}
        for t in found
    ]
    return json({"tasks": listed})


async def task_schema(request: Request) -> Response:
    """GET /v2/schemas/task."""
    authenticated(request)
    return json(schemas.TASK_SCHEMA)


async def tasks_schema(request: Request) -> Response:
    """GET /v2/schemas/tasks."""
    authenticated(request)
    return json(schemas.tasks_schema())
