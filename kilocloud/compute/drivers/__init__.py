"""Compute drivers, chosen by configuration from a {name: "module:Class"} map."""

from __future__ import annotations

from pathlib import Path

from oslo_config import cfg

from kilocloud.compute.drivers.base import Driver
from kilocloud.core import registry

DRIVERS: dict[str, str] = {
    "container": "kilocloud.compute.drivers.container:ContainerDriver",
    "qemu": "kilocloud.compute.drivers.qemu:QemuDriver",
    "fake": "kilocloud.compute.drivers.fake:FakeDriver",
}


def build_drivers(conf: cfg.ConfigOpts, state_dir: Path) -> list[Driver]:
    """The drivers [compute] compute_drivers names, each keeping its state under state_dir."""
    return [
        registry.load(DRIVERS, name)(conf, Path(state_dir) / name)
        for name in conf.compute.compute_drivers
    ]
