"""Rebuild and resize on the API side: checks, claims on the server's host, casts."""

from __future__ import annotations

import uuid as uuidlib
from typing import Any

from sqlalchemy import select, update

from kilocloud.compute import images, states
from kilocloud.compute.agent.records import save
from kilocloud.compute.models import Allocation, ComputeNode, Instance, Migration
from kilocloud.compute.scheduler import claims
from kilocloud.compute.service import server_create as create
from kilocloud.compute.service.actions import check_state, check_unlocked
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.compute.service.flavors import Flavors
from kilocloud.compute.service.servers import Servers
from kilocloud.core.context import RequestContext
from kilocloud.core.db import utcnow
from kilocloud.core.errors import BadRequest, NotFound

REBUILD_FIELDS = {
    "name": "display_name",
    "description": "display_description",
    "metadata": "meta",
    "accessIPv4": "access_ip_v4",
    "accessIPv6": "access_ip_v6",
    "hostname": "hostname",
}


class Resizes:
    """rebuild, resize, confirmResize, revertResize."""

    def __init__(self, deps: ComputeDeps, servers: Servers, flavors: Flavors) -> None:
        self.deps, self.servers, self.flavors = deps, servers, flavors

    async def _server(self, ctx: RequestContext, uuid: str, rule: str) -> Instance:
        row = await self.servers.get(ctx, uuid, "show")
        self.deps.enforce(ctx, rule, {"project_id": row.project_id})
        check_unlocked(ctx, row)
        return row

    async def _cast(self, ctx: RequestContext, row: Instance, method: str) -> None:
        await self.deps.rpc.cast(
            row.host,
            method,
            instance_uuid=row.uuid,
            token=ctx.token or "",
            image_url=images.endpoint(self.deps.conf, ctx),
            request_id=ctx.request_id,
        )

    async def rebuild(self, ctx: RequestContext, uuid: str, body: dict[str, Any]) -> Instance:
        """The server again from `imageRef`, with the new name, metadata and so on."""
        row = await self._server(ctx, uuid, "servers:rebuild")
        check_state(row, "rebuild", (states.ACTIVE, states.STOPPED, states.ERROR))
        image = await create.image_for(ctx, self.deps.conf, body["imageRef"])
        create.check_fits(row.flavor, image)
        values: dict[str, Any] = {
            REBUILD_FIELDS[k]: v for k, v in body.items() if k in REBUILD_FIELDS
        }
        if "metadata" in body:
            await self.servers.quotas.check_metadata(row.project_id, body["metadata"])
        if "user_data" in body:
            values["user_data"] = create.user_data(body)
        if "key_name" in body:
            key = await self.servers._key(ctx, body["key_name"]) if body["key_name"] else None
            values.update(key_name=key and key.name, key_data=key and key.public_key)
        info = images.info_from(image)
        await self.servers.record_action(ctx, uuid, "rebuild")
        fresh = await save(
            self.deps.db,
            uuid,
            image_ref=image["id"],
            image=info.__dict__,
            task_state="rebuilding",
            fault=None,
            **values,
        )
        await self._cast(ctx, fresh, "rebuild_instance")
        return fresh

    async def resize(self, ctx: RequestContext, uuid: str, flavor_ref: str) -> None:
        """Claim the new flavor on the server's host and have its agent respawn it."""
        row = await self._server(ctx, uuid, "servers:resize")
        check_state(row, "resize", (states.ACTIVE, states.STOPPED))
        try:
            flavor = create.flavor_copy(await self.flavors.get(ctx, flavor_ref))
        except NotFound:
            raise BadRequest(f"Flavor {flavor_ref} could not be found.") from None
        if flavor["id"] == row.flavor["id"]:
            raise BadRequest("When resizing, instances must change flavor!")
        migration = str(uuidlib.uuid4())
        disk = flavor["disk"] + flavor["ephemeral"]
        async with self.deps.db.transaction() as conn:
            node = await conn.scalar(select(ComputeNode.id).where(ComputeNode.host == row.host))
            if node is None or not await claims.claim(
                conn, node, migration, flavor["vcpus"], flavor["ram"], disk
            ):
                raise BadRequest("No valid host was found. There are not enough hosts available.")
            await conn.execute(
                Migration.__table__.insert().values(
                    uuid=migration,
                    instance_uuid=uuid,
                    migration_type="resize",
                    status="migrating",
                    source_compute=row.host,
                    dest_compute=row.host,
                    source_node=row.node,
                    dest_node=row.node,
                    project_id=row.project_id,
                    user_id=row.user_id,
                    created_at=utcnow(),
                )
            )
        await self.servers.record_action(ctx, uuid, "resize")
        fresh = await save(self.deps.db, uuid, new_flavor=flavor, task_state="resize_prep")
        await self._cast(ctx, fresh, "resize_instance")

    async def _migration(self, uuid: str) -> str | None:
        async with self.deps.db.read() as session:
            return await session.scalar(
                select(Migration.uuid).where(
                    Migration.instance_uuid == uuid, Migration.status == "migrating"
                )
            )

    async def confirm(self, ctx: RequestContext, uuid: str) -> None:
        """Keep the new flavor: the old size is given back."""
        row = await self._server(ctx, uuid, "servers:confirm_resize")
        check_state(row, "confirmResize", (states.RESIZED,))
        migration = await self._migration(uuid)
        async with self.deps.db.transaction() as conn:
            await claims.release(conn, uuid)
            await conn.execute(
                update(Allocation)
                .where(Allocation.consumer_uuid == migration)
                .values(consumer_uuid=uuid)
            )
            await conn.execute(
                update(Migration)
                .where(Migration.uuid == migration)
                .values(status="confirmed", updated_at=utcnow())
            )
        await self.servers.record_action(ctx, uuid, "confirmResize")
        await save(self.deps.db, uuid, vm_state=states.ACTIVE, old_flavor=None, new_flavor=None)

    async def revert(self, ctx: RequestContext, uuid: str) -> None:
        """Go back to the old flavor."""
        row = await self._server(ctx, uuid, "servers:revert_resize")
        check_state(row, "revertResize", (states.RESIZED,))
        migration = await self._migration(uuid)
        async with self.deps.db.transaction() as conn:
            await claims.release(conn, migration or "")
            await conn.execute(
                update(Migration)
                .where(Migration.uuid == migration)
                .values(status="reverted", updated_at=utcnow())
            )
        await self.servers.record_action(ctx, uuid, "revertResize")
        fresh = await save(self.deps.db, uuid, task_state="resize_reverting")
        await self._cast(ctx, fresh, "revert_resize")
