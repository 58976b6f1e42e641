"""Server actions: the state each needs, the task it starts, the agent method it casts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import update

from kilocloud.compute import images, states
from kilocloud.compute.agent.records import save
from kilocloud.compute.images import HttpImageSource
from kilocloud.compute.models import Instance
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.compute.service.servers import Servers
from kilocloud.core.context import RequestContext
from kilocloud.core.db import utcnow
from kilocloud.core.errors import Conflict

REBOOT_HARD_STATES = (states.ACTIVE, states.STOPPED, states.PAUSED, states.SUSPENDED, states.ERROR)
REBOOT_HARD_TASKS = (
    None,
    "rebooting",
    "reboot_pending",
    "reboot_started",
    "rebooting_hard",
    "reboot_pending_hard",
    "reboot_started_hard",
    "pausing",
    "unpausing",
    "suspending",
    "resuming",
)


@dataclass(frozen=True)
class PowerAction:
    """An action that only changes power: where it may start and what it casts."""

    name: str  # Nova's action name (instance actions, conflict messages)
    rule: str
    vm_states: tuple[str, ...]
    task: str
    method: str


POWER = {
    "os-start": PowerAction(
        "start", "servers:start", (states.STOPPED,), "powering-on", "start_instance"
    ),
    "os-stop": PowerAction(
        "stop", "servers:stop", (states.ACTIVE, states.ERROR), "powering-off", "stop_instance"
    ),
    "pause": PowerAction(
        "pause", "os-pause-server:pause", (states.ACTIVE,), "pausing", "pause_instance"
    ),
    "unpause": PowerAction(
        "unpause", "os-pause-server:unpause", (states.PAUSED,), "unpausing", "unpause_instance"
    ),
    "suspend": PowerAction(
        "suspend", "os-suspend-server:suspend", (states.ACTIVE,), "suspending", "suspend_instance"
    ),
    "resume": PowerAction(
        "resume", "os-suspend-server:resume", (states.SUSPENDED,), "resuming", "resume_instance"
    ),
}


def check_state(
    row: Instance, action: str, vm_states: tuple[str, ...], tasks: tuple[str | None, ...] = (None,)
) -> None:
    """409 as Nova words it when the server is not in a state `action` may start from."""
    if row.vm_state not in vm_states:
        raise Conflict(
            f"Cannot '{action}' instance {row.uuid} while it is in vm_state {row.vm_state}"
        )
    if row.task_state not in tasks:
        raise Conflict(
            f"Cannot '{action}' instance {row.uuid} while it is in task_state {row.task_state}"
        )


def check_unlocked(ctx: RequestContext, row: Instance) -> None:
    """409 when the server is locked and the caller is not an admin."""
    if row.locked and not ctx.is_admin:
        raise Conflict(f"Instance {row.uuid} is locked")


class Actions:
    """POST /servers/{id}/action."""

    def __init__(self, deps: ComputeDeps, servers: Servers) -> None:
        self.deps, self.servers = deps, servers

    async def _start(
        self, ctx: RequestContext, row: Instance, action: str, task: str, method: str, **kwargs: Any
    ) -> None:
        await self.servers.record_action(ctx, row.uuid, action)
        await save(self.deps.db, row.uuid, task_state=task)
        await self.deps.rpc.cast(
            row.host, method, instance_uuid=row.uuid, request_id=ctx.request_id, **kwargs
        )

    async def power(self, ctx: RequestContext, uuid: str, key: str) -> None:
        """start, stop, pause, unpause, suspend, resume."""
        action = POWER[key]
        row = await self.servers.get(ctx, uuid, "show")
        self.deps.enforce(ctx, action.rule, {"project_id": row.project_id})
        check_unlocked(ctx, row)
        check_state(row, action.name, action.vm_states)
        await self._start(ctx, row, action.name, action.task, action.method)

    async def reboot(self, ctx: RequestContext, uuid: str, hard: bool) -> None:
        """SOFT: active and idle; HARD: from more states and mid-reboot."""
        row = await self.servers.get(ctx, uuid, "show")
        self.deps.enforce(ctx, "servers:reboot", {"project_id": row.project_id})
        check_unlocked(ctx, row)
        if hard:
            check_state(row, "reboot", REBOOT_HARD_STATES, REBOOT_HARD_TASKS)
        else:
            check_state(row, "reboot", (states.ACTIVE,))
        task = "reboot_started_hard" if hard else "reboot_started"
        await self._start(ctx, row, "reboot", task, "reboot_instance", hard=hard)

    async def lock(self, ctx: RequestContext, uuid: str, lock: bool, reason: str | None) -> None:
        """Lock (with a reason) or unlock; an admin's lock needs an admin to lift it."""
        rule = "os-lock-server:lock" if lock else "os-lock-server:unlock"
        row = await self.servers.get(ctx, uuid, "show")
        self.deps.enforce(ctx, rule, {"project_id": row.project_id})
        if not lock and row.locked_by == "admin" and not ctx.is_admin:
            self.deps.enforce(
                ctx, "os-lock-server:unlock:unlock_override", {"project_id": row.project_id}
            )
        by = (
            ("admin" if ctx.is_admin and ctx.project_id != row.project_id else "owner")
            if lock
            else None
        )
        await self.servers.record_action(ctx, uuid, "lock" if lock else "unlock")
        async with self.deps.db.transaction() as conn:
            await conn.execute(
                update(Instance)
                .where(Instance.uuid == uuid)
                .values(
                    locked=lock,
                    locked_by=by,
                    locked_reason=reason if lock else None,
                    updated_at=utcnow(),
                )
            )

    async def force_delete(self, ctx: RequestContext, uuid: str) -> None:
        """Delete at once (no soft delete here)."""
        row = await self.servers.get(ctx, uuid, "show")
        self.deps.enforce(ctx, "os-deferred-delete:force", {"project_id": row.project_id})
        await self.servers.delete(ctx, uuid)

    async def console_output(self, ctx: RequestContext, uuid: str, length: int | None) -> str:
        """The console log from the server's host."""
        row = await self.servers.get(ctx, uuid, "show")
        self.deps.enforce(ctx, "os-console-output", {"project_id": row.project_id})
        if not row.host or row.vm_state == states.BUILDING:
            raise Conflict(f"Instance {uuid} is not ready")
        return await self.deps.rpc.call(
            row.host, "get_console_output", instance_uuid=uuid, length=length
        )

    async def create_image(
        self, ctx: RequestContext, uuid: str, name: str, metadata: dict[str, str]
    ) -> str:
        """A queued image the server's agent fills with its snapshot; its id."""
        row = await self.servers.get(ctx, uuid, "show")
        self.deps.enforce(ctx, "servers:create_image", {"project_id": row.project_id})
        check_state(
            row, "createImage", (states.ACTIVE, states.STOPPED, states.PAUSED, states.SUSPENDED)
        )
        url = images.endpoint(self.deps.conf, ctx)
        props = {
            "instance_uuid": uuid,
            "image_type": "snapshot",
            "base_image_ref": row.image_ref,
            **metadata,
        }
        image_id = await HttpImageSource(url, ctx.token or "").create(name, **props)
        await self._start(
            ctx,
            row,
            "createImage",
            "image_snapshot",
            "snapshot_instance",
            image_id=image_id,
            token=ctx.token or "",
            image_url=url,
        )
        return image_id
