"""What this host offers to servers: CPUs, memory and the disk under a driver's state."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def host_resources(state_dir: Path) -> dict[str, int]:
    """vcpus, memory_mb and local_gb of this host (disk: the filesystem holding state_dir)."""
    return {
        "vcpus": len(os.sched_getaffinity(0)),
        "memory_mb": _memory_mb(),
        "local_gb": shutil.disk_usage(_existing(state_dir)).total >> 30,
    }


def _memory_mb() -> int:
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) >> 10
    return 0


def _existing(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path
