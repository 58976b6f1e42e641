"""Import plugins by name, as [image_import_opts] image_import_plugins lists them.

Built-in plugins are a plain map; third-party ones come from the entry point group
kilocloud.image.import_plugins. A plugin is a coroutine function taking the Work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib.metadata import entry_points

from kilocloud.core import registry
from kilocloud.image.tasks.work import Work

Plugin = Callable[[Work], Awaitable[None]]
ENTRY_POINTS = "kilocloud.image.import_plugins"

BUILTIN: dict[str, str] = {
    "image_conversion": "kilocloud.image.tasks.convert:image_conversion",
    "inject_image_metadata": "kilocloud.image.tasks.inject_metadata:inject_image_metadata",
    "no_op": "kilocloud.image.tasks.plugins:no_op",
}


async def no_op(work: Work) -> None:
    """The plugin that does nothing (Glance's default)."""


def load(names: list[str]) -> list[Plugin]:
    """The plugins `names` name, in order; ValueError for an unknown one."""
    found = []
    for name in names:
        if name in BUILTIN:
            found.append(registry.load(BUILTIN, name))
            continue
        points = entry_points(group=ENTRY_POINTS, name=name)
        if not points:
            raise ValueError(f"unknown image import plugin {name!r}")
        found.append(next(iter(points)).load())
    return found
