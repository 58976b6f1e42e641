"""Servers: create, show, update, delete and force delete."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select

from kilocloud.compute import images
from kilocloud.compute.agent.records import mark_deleted, save
from kilocloud.compute.hosts import is_up
from kilocloud.compute.models import Instance, InstanceAction, KeyPair, Service
from kilocloud.compute.notifications import instance_payload
from kilocloud.compute.service import server_create as create
from kilocloud.compute.service.conductor import Conductor
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.compute.service.flavors import Flavors
from kilocloud.compute.service.flavors import not_found as flavor_not_found
from kilocloud.compute.service.instances import visible
from kilocloud.compute.service.quotas import Quotas
from kilocloud.compute.service.server_groups import ServerGroups
from kilocloud.compute.service.zones import Zones
from kilocloud.core.context import RequestContext
from kilocloud.core.db import utcnow
from kilocloud.core.errors import BadRequest, Conflict, NotFound

Version = tuple[int, int]


class Servers:
    """The servers resource and its life cycle on the API side."""

    def __init__(
        self,
        deps: ComputeDeps,
        flavors: Flavors,
        quotas: Quotas,
        groups: ServerGroups,
        zones: Zones,
        conductor: Conductor,
    ) -> None:
        self.deps, self.flavors, self.quotas, self.groups = deps, flavors, quotas, groups
        self.zones, self.conductor = zones, conductor

    async def create(
        self, ctx: RequestContext, server: dict[str, Any], hints: dict[str, Any]
    ) -> create.Created:
        """New servers in BUILD, placed and built in the background."""
        self.deps.enforce(ctx, "servers:create")
        low, high = create.counts(server)
        zone, host = create.zone_and_host(server)
        if host:
            self.deps.enforce(ctx, "servers:create:forced_host")
        try:
            flavor = create.flavor_copy(await self.flavors.get(ctx, str(server["flavorRef"])))
        except NotFound:
            raise BadRequest(flavor_not_found(str(server["flavorRef"])).message) from None
        image = await create.image_for(ctx, self.deps.conf, create._image_id(server))
        create.check_fits(flavor, image)
        if flavor["disk"] == 0 and not self.deps.allowed(ctx, "servers:create:zero_disk_flavor"):
            raise Conflict("Only volume-backed servers are allowed for flavors with zero disk.")
        await self._check_zone(zone)
        key = await self._key(ctx, server.get("key_name"))
        metadata = server.get("metadata") or {}
        await self.quotas.check_metadata(ctx.project_id, metadata)
        group = await self._group(ctx, hints.get("group"), high)
        await self.quotas.check_instances(
            ctx.project_id, ctx.user_id, high, flavor["vcpus"], flavor["ram"]
        )
        reservation = "r-" + secrets.token_hex(4)
        built = self._fields(server, flavor, image, zone, key, metadata, reservation, hints)
        rows = create.new_rows(ctx, server, built, high)
        async with self.deps.db.write() as session:
            session.add_all(rows)
            await session.flush()
            session.add_all(
                create.extras(rows, ctx, server.get("tags", []), group.id if group else None)
            )
        req = create.placement(flavor, image, zone, host, group)
        image_url = images.endpoint(self.deps.conf, ctx)
        self.conductor.build(
            create.build_request(rows, req, group.id if group else None, ctx, image_url)
        )
        password = create.admin_pass(server, self.deps.conf.compute.enable_instance_password)
        return create.Created(
            [r.uuid for r in rows],
            reservation,
            password,
            [g.get("name", "default") for g in server.get("security_groups", [])],
        )

    def _fields(
        self,
        server: dict[str, Any],
        flavor: dict[str, Any],
        image: dict[str, Any],
        zone: str | None,
        key: KeyPair | None,
        metadata: dict[str, str],
        reservation: str,
        hints: dict[str, Any],
    ) -> dict[str, Any]:
        info = images.info_from(image)
        networks = server.get("networks", "auto")
        return {
            "image_ref": image["id"],
            "image": info.__dict__,
            "flavor": flavor,
            "instance_type_id": 0,
            "vcpus": flavor["vcpus"],
            "memory_mb": flavor["ram"],
            "root_gb": flavor["disk"],
            "ephemeral_gb": flavor["ephemeral"],
            "key_name": key.name if key else None,
            "key_data": key.public_key if key else None,
            "user_data": create.user_data(server),
            "config_drive": create.config_drive(server),
            "meta": metadata,
            "availability_zone": zone,
            "pinned_availability_zone": zone,
            "reservation_id": reservation,
            "access_ip_v4": server.get("accessIPv4"),
            "access_ip_v6": server.get("accessIPv6"),
            "auto_disk_config": server.get("OS-DCF:diskConfig") == "AUTO",
            "security_groups": []
            if networks == "none"
            else [
                g.get("name", "default")
                for g in server.get("security_groups") or [{"name": "default"}]
            ],
            "requested_networks": networks,
            "addresses": {},
            "scheduler_hints": hints,
        }

    async def _check_zone(self, zone: str | None) -> None:
        if zone is None:
            return
        known = {z["zoneName"] for z in await self.zones.all_zones()}
        if zone not in known:
            raise BadRequest("The requested availability zone is not available")

    async def _key(self, ctx: RequestContext, name: str | None) -> KeyPair | None:
        if name is None:
            return None
        async with self.deps.db.read() as session:
            found = await session.scalar(
                select(KeyPair).where(KeyPair.user_id == ctx.user_id, KeyPair.name == name)
            )
        create.require_key(found)
        return found

    async def _group(self, ctx: RequestContext, group_id: str | None, count: int) -> Any:
        if group_id is None:
            return None
        try:
            group = await self.groups.get(ctx, group_id)
        except NotFound:
            raise BadRequest(f"Invalid server group {group_id}") from None
        await self.groups.check_room(ctx, group, count)
        return group

    async def get(self, ctx: RequestContext, uuid: str, rule: str = "show") -> Instance:
        """The server, if the caller may see it."""
        async with self.deps.db.read() as session:
            row = await visible(session, ctx, uuid)
        self.deps.enforce(ctx, f"servers:{rule}", {"project_id": row.project_id})
        return row

    async def update(self, ctx: RequestContext, uuid: str, changes: dict[str, Any]) -> Instance:
        """Rename, describe, or re-address the server."""
        row = await self.get(ctx, uuid, "update")
        names = {
            "name": "display_name",
            "description": "display_description",
            "accessIPv4": "access_ip_v4",
            "accessIPv6": "access_ip_v6",
            "hostname": "hostname",
            "pinned_availability_zone": "pinned_availability_zone",
        }
        values = {names[k]: v for k, v in changes.items() if k in names}
        if "OS-DCF:diskConfig" in changes:
            values["auto_disk_config"] = changes["OS-DCF:diskConfig"] == "AUTO"
        async with self.deps.db.write() as session:
            fresh = await session.get(Instance, row.id)
            for key, value in values.items():
                setattr(fresh, key, value)
            fresh.updated_at = utcnow()
        await self.deps.notify(ctx, "instance.update", instance_payload(fresh))
        return fresh

    async def delete(self, ctx: RequestContext, uuid: str, rule: str = "delete") -> None:
        """Delete the server: by its agent when its host is up, here otherwise."""
        row = await self.get(ctx, uuid, rule)
        if row.locked and not ctx.is_admin:
            raise Conflict(f"Instance {uuid} is locked")
        await self.record_action(ctx, uuid, "delete")
        await save(self.deps.db, uuid, task_state="deleting")
        if row.host and await self._host_up(row.host):
            await self.deps.rpc.cast(
                row.host, "terminate_instance", instance_uuid=uuid, request_id=ctx.request_id
            )
            return
        await mark_deleted(self.deps.db, uuid)

    async def _host_up(self, host: str) -> bool:
        async with self.deps.db.read() as session:
            service = await session.scalar(select(Service).where(Service.host == host))
        return service is not None and is_up(service, self.deps.conf.compute.service_down_time)

    async def record_action(self, ctx: RequestContext, uuid: str, action: str) -> None:
        """An instance action row for this request."""
        async with self.deps.db.write() as session:
            session.add(
                InstanceAction(
                    instance_uuid=uuid,
                    action=action,
                    request_id=ctx.request_id,
                    user_id=ctx.user_id,
                    project_id=ctx.project_id,
                )
            )


def _group_names(server: dict[str, Any]) -> list[str]:
    """The security group names asked for, `default` when none."""
    return [g.get("name", "default") for g in server.get("security_groups") or [{}]]
