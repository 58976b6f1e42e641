"""The task and tasks JSON schemas served at /v2/schemas/task(s)."""

from __future__ import annotations

from typing import Any

_STRING = {"type": "string"}
_TIME = {"type": "string", "description": "Date and time of the last task modification."}

TASK_SCHEMA: dict[str, Any] = {
    "name": "task",
    "properties": {
        "id": {
            "type": "string",
            "description": "An identifier for the task",
            "pattern": "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}"
            "-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$",
        },
        "type": {"type": "string", "description": "The type of task represented by this content"},
        "status": {
            "type": "string",
            "description": "The current status of this task",
            "enum": ["pending", "processing", "success", "failure"],
        },
        "input": {"type": ["null", "object"], "description": "The parameters of the task"},
        "result": {"type": ["null", "object"], "description": "The result of the task"},
        "owner": {"type": "string", "description": "An identifier for the owner of this task"},
        "message": {
            "type": "string",
            "description": "Human-readable informative message only included when appropriate "
            "(usually on failure)",
        },
        "image_id": {**_STRING, "readOnly": True, "description": "Image the task is about"},
        "request_id": {**_STRING, "readOnly": True, "description": "Request that made the task"},
        "user_id": {**_STRING, "readOnly": True, "description": "User that made the task"},
        "expires_at": {
            "type": ["null", "string"],
            "description": "Datetime when this resource would be subject to removal",
        },
        "created_at": {**_TIME, "description": "Datetime when this resource was created"},
        "updated_at": _TIME,
        "self": _STRING,
        "schema": _STRING,
    },
}


def tasks_schema() -> dict[str, Any]:
    """The schema of a page of tasks."""
    return {
        "name": "tasks",
        "properties": {
            "tasks": {"type": "array", "items": TASK_SCHEMA},
            "schema": _STRING,
            "first": _STRING,
            "next": _STRING,
        },
        "links": [
            {"rel": "first", "href": "{first}"},
            {"rel": "next", "href": "{next}"},
            {"rel": "describedby", "href": "{schema}"},
        ],
    }
