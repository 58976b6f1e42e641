"""Podman with its own configuration and storage under the driver's state directory.

Nothing of the machine's podman is read or written: containers.conf, storage.conf, the image
store, the run root and podman's per-boot files all live under one folder, passed through
CONTAINERS_CONF and CONTAINERS_STORAGE_CONF.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

from kilocloud.compute.drivers import commands
from kilocloud.compute.drivers.errors import CommandFailed

CONTAINERS_CONF = """\
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "{root}/events.log"
tmp_dir = "{root}/tmp"
image_copy_tmp_dir = "{root}/tmp"
lock_type = "file"
"""

STORAGE_CONF = """\
[storage]
driver = "overlay"
graphroot = "{root}/storage"
runroot = "{root}/run"
"""


class Podman:
    """The podman command line, bound to one private configuration and store."""

    def __init__(self, root: Path, binary: str = "podman") -> None:
        self.root = root
        self.binary = binary
        self.env = {
            "CONTAINERS_CONF": str(root / "containers.conf"),
            "CONTAINERS_STORAGE_CONF": str(root / "storage.conf"),
        }

    def configure(self) -> None:
        """Write the configuration files (idempotent)."""
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        (self.root / "containers.conf").write_text(CONTAINERS_CONF.format(root=self.root))
        (self.root / "storage.conf").write_text(STORAGE_CONF.format(root=self.root))

    async def __call__(self, *args: str, timeout: float = 120) -> str:
        """Run `podman args...` and return its output."""
        return await commands.run(self.binary, *args, env=self.env, timeout=timeout)

    def stream(self, *args: str) -> AsyncIterator[bytes]:
        """Stream the output of `podman args...` (podman save)."""
        return commands.stream(self.binary, *args, env=self.env)

    async def inspect(self, name: str) -> dict | None:
        """The container's inspect record, None when there is no such container."""
        try:
            out = await self("container", "inspect", name)
        except CommandFailed as exc:
            if "no such container" in str(exc).lower():
                return None
            raise
        return json.loads(out)[0]
