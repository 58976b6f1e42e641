"""The task types POST /v2/tasks creates: `import` (from a URL) and `convert` (an image).

Both make a new image; its data comes from `import_from` or from an existing image, converted
to the wanted disk format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kilocloud.core.errors import BadRequest

TYPES = ("import", "convert")


@dataclass
class TaskRequest:
    """A checked task body: the new image's attributes and where its data comes from."""

    type: str
    input: dict[str, Any]
    image: dict[str, Any]
    source: dict[str, Any]
    convert_to: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def parse(body: Any, conversion_format: str | None) -> TaskRequest:
    """The checked request; 400 when the body is not a known task."""
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object.")
    type_, input_ = body.get("type"), body.get("input")
    if type_ not in TYPES:
        raise BadRequest(f"Invalid type value: {type_!r}. Task type must be one of {TYPES}.")
    if not isinstance(input_, dict):
        raise BadRequest("Task input must be a JSON object.")
    props = input_.get("image_properties", {})
    if not isinstance(props, dict):
        raise BadRequest("image_properties must be a JSON object.")
    if type_ == "import":
        return _import(input_, props, conversion_format)
    return _convert(input_, props)


def _import(input_: dict, props: dict, conversion_format: str | None) -> TaskRequest:
    url, fmt = input_.get("import_from"), input_.get("import_from_format")
    if not isinstance(url, str) or not url:
        raise BadRequest("Input does not contain 'import_from' field")
    if fmt is not None and not isinstance(fmt, str):
        raise BadRequest("import_from_format must be a string.")
    for name in ("disk_format", "container_format"):
        if not props.get(name):
            raise BadRequest(f"image_properties must contain {name}.")
    source = {"kind": "url", "uri": url, "format": fmt or props["disk_format"]}
    target = conversion_format or (props["disk_format"] if fmt else None)
    return TaskRequest("import", input_, dict(props), source, target)


def _convert(input_: dict, props: dict) -> TaskRequest:
    image_id, fmt = input_.get("image_id"), input_.get("disk_format")
    if not isinstance(image_id, str) or not isinstance(fmt, str):
        raise BadRequest("A convert task needs 'image_id' and the target 'disk_format'.")
    image = {"container_format": "bare", **props, "disk_format": fmt}
    return TaskRequest("convert", input_, image, {"kind": "image", "image_id": image_id}, fmt)
