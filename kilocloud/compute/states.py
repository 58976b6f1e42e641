"""The instance state machine's vocabulary: vm_state, task_state, and the status they show."""

from __future__ import annotations

ACTIVE, BUILDING, STOPPED, PAUSED, SUSPENDED = (
    "active",
    "building",
    "stopped",
    "paused",
    "suspended",
)
RESIZED, ERROR, DELETED, SHELVED, SHELVED_OFFLOADED = (
    "resized",
    "error",
    "deleted",
    "shelved",
    "shelved_offloaded",
)
RESCUED, SOFT_DELETED = "rescued", "soft-delete"

_DEFAULT = {
    ACTIVE: "ACTIVE",
    BUILDING: "BUILD",
    STOPPED: "SHUTOFF",
    RESIZED: "VERIFY_RESIZE",
    PAUSED: "PAUSED",
    SUSPENDED: "SUSPENDED",
    RESCUED: "RESCUE",
    ERROR: "ERROR",
    DELETED: "DELETED",
    SOFT_DELETED: "SOFT_DELETED",
    SHELVED: "SHELVED",
    SHELVED_OFFLOADED: "SHELVED_OFFLOADED",
}
_REBOOT = {
    "rebooting": "REBOOT",
    "reboot_pending": "REBOOT",
    "reboot_started": "REBOOT",
    "rebooting_hard": "HARD_REBOOT",
    "reboot_pending_hard": "HARD_REBOOT",
    "reboot_started_hard": "HARD_REBOOT",
}
_REBUILD = {
    "rebuilding": "REBUILD",
    "rebuild_block_device_mapping": "REBUILD",
    "rebuild_spawning": "REBUILD",
}
_RESIZE = {
    t: "RESIZE" for t in ("resize_prep", "resize_migrating", "resize_migrated", "resize_finish")
}
_OVERRIDES = {
    ACTIVE: {
        **_REBOOT,
        **_REBUILD,
        **_RESIZE,
        "updating_password": "PASSWORD",
        "migrating": "MIGRATING",
    },
    STOPPED: {**_RESIZE, **_REBUILD},
    RESIZED: {"resize_reverting": "REVERT_RESIZE"},
    PAUSED: {"migrating": "MIGRATING"},
    ERROR: _REBUILD,
}
PROGRESS_SHOWN = ("ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING")


def status(vm_state: str, task_state: str | None) -> str:
    """The API status of an instance (Nova's _STATE_MAP)."""
    override = _OVERRIDES.get(vm_state, {}).get(task_state or "")
    return override or _DEFAULT.get(vm_state, "UNKNOWN")


def states_of(status_name: str) -> tuple[list[str], list[str] | None] | None:
    """(vm_states, task_states or None for any) a status filter means; None when unknown."""
    wanted = status_name.upper()
    if wanted == "UNKNOWN":
        return None
    vm = [v for v, s in _DEFAULT.items() if s == wanted]
    tasks: list[str] = []
    for vm_state, overrides in _OVERRIDES.items():
        found = [t for t, s in overrides.items() if s == wanted]
        if found:
            vm.append(vm_state)
            tasks += found
    if not vm:
        return None
    if wanted in _DEFAULT.values() and not tasks:
        return vm, None
    return vm, tasks or None
