"""Backends chosen by configuration from plain {name: "module:Class"} maps."""

from __future__ import annotations

import importlib
from typing import Any


def load(mapping: dict[str, str], name: str) -> Any:
    """The class registered under `name` in `mapping`."""
    try:
        target = mapping[name]
    except KeyError:
        raise ValueError(f"unknown backend {name!r}; choose from {sorted(mapping)}") from None
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)
