"""The os_glance_* marks an import leaves on an image, kept as its extra properties."""

from __future__ import annotations

from kilocloud.image.models import Image, ImageProperty

IMPORT_TASK = "os_glance_import_task"
IMPORTING_TO = "os_glance_importing_to_stores"
FAILED_IMPORT = "os_glance_failed_import"


def get(image: Image, name: str) -> str | None:
    """The value of property `name`, None when unset."""
    return next((p.value for p in image.properties if p.name == name), None)


def put(image: Image, name: str, value: str) -> None:
    """Set property `name` to `value`."""
    for prop in image.properties:
        if prop.name == name:
            prop.value = value
            return
    image.properties.append(ImageProperty(name=name, value=value))


def drop(image: Image, *names: str) -> None:
    """Remove the properties `names` where set."""
    for prop in [p for p in image.properties if p.name in names]:
        image.properties.remove(prop)


def held_by(image: Image, task_id: str) -> bool:
    """Whether `task_id` is the import currently working on `image`."""
    return get(image, IMPORT_TASK) == task_id
