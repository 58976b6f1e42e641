"""The agent's reads and writes of instance rows, action events and faults."""

from __future__ import annotations

import base64
import traceback
from typing import Any

from sqlalchemy import select, update

from kilocloud.compute import states
from kilocloud.compute.drivers.base import FlavorInfo, ImageInfo, InstanceSpec
from kilocloud.compute.models import Instance, InstanceAction, InstanceActionEvent
from kilocloud.compute.scheduler import claims
from kilocloud.core.db import Database, utcnow


async def load(db: Database, uuid: str) -> Instance | None:
    """The instance row, or None when it is gone."""
    async with db.read() as session:
        return await session.scalar(select(Instance).where(Instance.uuid == uuid))


async def save(db: Database, uuid: str, **values: Any) -> Instance | None:
    """Set `values` (and updated_at) on the instance; the row as it is now."""
    async with db.transaction() as conn:
        await conn.execute(
            update(Instance).where(Instance.uuid == uuid).values(updated_at=utcnow(), **values)
        )
    return await load(db, uuid)


def fault(exc: BaseException, code: int = 500) -> dict[str, Any]:
    """The fault Nova records on an instance that failed."""
    return {
        "code": code,
        "message": str(exc) or type(exc).__name__,
        "details": "".join(traceback.format_exception(exc))[-4000:],
        "created": utcnow().replace(microsecond=0).isoformat() + "Z",
    }


def spec(row: Instance) -> InstanceSpec:
    """What a driver needs to run the instance."""
    flavor = row.flavor
    return InstanceSpec(
        uuid=row.uuid,
        name=row.display_name,
        hostname=row.hostname,
        project_id=row.project_id,
        user_id=row.user_id,
        image=ImageInfo(**row.image),
        flavor=FlavorInfo(
            name=flavor["name"],
            vcpus=flavor["vcpus"],
            memory_mb=flavor["ram"],
            root_gb=flavor["disk"],
            ephemeral_gb=flavor["ephemeral"],
            swap_mb=flavor["swap"],
            extra_specs=dict(flavor.get("extra_specs", {})),
        ),
        user_data=base64.b64decode(row.user_data) if row.user_data else None,
        metadata=dict(row.meta or {}),
        config_drive=row.config_drive,
        key_name=row.key_name,
        key_data=row.key_data,
        launch_index=row.launch_index,
        vifs=[],
    )


async def event(
    db: Database,
    uuid: str,
    request_id: str | None,
    name: str,
    host: str,
    exc: BaseException | None = None,
    started: bool = False,
) -> None:
    """Record the start, or the end (Success/Error), of an action's event."""
    if not request_id:
        return
    async with db.transaction() as conn:
        action_id = await conn.scalar(
            select(InstanceAction.id).where(
                InstanceAction.instance_uuid == uuid, InstanceAction.request_id == request_id
            )
        )
        if action_id is None:
            return
        if started:
            await conn.execute(
                InstanceActionEvent.__table__.insert().values(
                    action_id=action_id, event=name, start_time=utcnow(), host=host
                )
            )
            return
        values: dict[str, Any] = {"finish_time": utcnow(), "result": "Error" if exc else "Success"}
        if exc is not None:
            values["traceback"] = "".join(traceback.format_exception(exc))[-4000:]
            values["details"] = str(exc)
        await conn.execute(
            update(InstanceActionEvent)
            .where(InstanceActionEvent.action_id == action_id, InstanceActionEvent.event == name)
            .values(**values)
        )
        await conn.execute(
            update(InstanceAction)
            .where(InstanceAction.id == action_id)
            .values(
                finish_time=values["finish_time"],
                updated_at=values["finish_time"],
                message="Error" if exc else None,
            )
        )


async def mark_deleted(db: Database, uuid: str) -> None:
    """Release the instance's resources and mark its row deleted."""
    now = utcnow()
    async with db.transaction() as conn:
        await claims.release(conn, uuid)
        await conn.execute(
            update(Instance)
            .where(Instance.uuid == uuid)
            .values(
                deleted=True,
                vm_state=states.DELETED,
                task_state=None,
                power_state=0,
                terminated_at=now,
                deleted_at=now,
                updated_at=now,
            )
        )
