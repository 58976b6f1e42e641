"""Security groups: a `default` group per project made on first use, with Neutron's rules."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import String, cast, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Connection
from kilocloud.network import errors, schemas
from kilocloud.network.models import (
    DefaultSecurityGroup,
    Port,
    SecurityGroup,
    SecurityGroupRule,
    Tag,
)
from kilocloud.network.service import body, records
from kilocloud.network.service.collection import Collection
from kilocloud.network.service.deps import NetworkDeps
from kilocloud.network.service.quotas import check_quota
from kilocloud.network.service.retry import retrying


def rule_view(row: Any, default_ids: set[str] | frozenset = frozenset()) -> dict[str, Any]:
    """A rule as the API shows it."""
    return {
        "id": row.id,
        "security_group_id": row.security_group_id,
        "direction": row.direction,
        "ethertype": row.ethertype,
        "protocol": row.protocol,
        "port_range_min": row.port_range_min,
        "port_range_max": row.port_range_max,
        "remote_ip_prefix": row.remote_ip_prefix,
        "remote_group_id": row.remote_group_id,
        "remote_address_group_id": None,
        "normalized_cidr": row.remote_ip_prefix,
        "belongs_to_default_sg": row.security_group_id in default_ids,
        **records.standard(row),
    }


async def default_ids(conn: Connection, ids: set[str]) -> set[str]:
    """Which of the groups are their project's default."""
    if not ids:
        return set()
    found = (
        await conn.execute(
            select(DefaultSecurityGroup.security_group_id).where(
                DefaultSecurityGroup.security_group_id.in_(ids)
            )
        )
    ).scalars()
    return set(found)


async def add_rule(conn: Connection, project_id: str, group_id: str, **rule: Any) -> str:
    """Write one rule (already checked) of a group."""
    rule_id = str(uuid.uuid4())
    values = {"protocol": None, "port_range_min": None, "port_range_max": None}
    values |= {"remote_ip_prefix": None, "remote_group_id": None, "description": ""}
    await conn.execute(
        insert(SecurityGroupRule).values(
            id=rule_id, project_id=project_id, security_group_id=group_id, **(values | rule)
        )
    )
    return rule_id


async def _create_group(
    conn: Connection, project_id: str, name: str, description: str, stateful: bool = True
) -> str:
    group_id = str(uuid.uuid4())
    await conn.execute(
        insert(SecurityGroup).values(
            id=group_id,
            project_id=project_id,
            name=name,
            description=description,
            stateful=stateful,
        )
    )
    for ethertype in ("IPv4", "IPv6"):
        await add_rule(conn, project_id, group_id, direction="egress", ethertype=ethertype)
    return group_id


async def ensure_default(deps: NetworkDeps, conn: Connection, project_id: str) -> str:
    """The project's `default` group id, made with Neutron's four rules on first use."""
    lookup = select(DefaultSecurityGroup.security_group_id).where(
        DefaultSecurityGroup.project_id == project_id
    )
    return await conn.scalar(lookup) or await _make_default(conn, project_id)


async def default_group(deps: NetworkDeps, project_id: str) -> str:
    """ensure_default in a transaction of its own: requests racing to make it agree on one."""

    async def make() -> str:
        async with deps.db.transaction() as conn:
            return await ensure_default(deps, conn, project_id)

    try:
        return await retrying(make)
    except IntegrityError:  # another request made it first
        async with deps.db.connect() as conn:
            found = await conn.scalar(
                select(DefaultSecurityGroup.security_group_id).where(
                    DefaultSecurityGroup.project_id == project_id
                )
            )
        return found


async def _make_default(conn: Connection, project_id: str) -> str:
    group_id = await _create_group(conn, project_id, "default", "Default security group")
    for ethertype in ("IPv4", "IPv6"):
        await add_rule(
            conn,
            project_id,
            group_id,
            direction="ingress",
            ethertype=ethertype,
            remote_group_id=group_id,
        )
    await conn.execute(
        insert(DefaultSecurityGroup).values(project_id=project_id, security_group_id=group_id)
    )
    return group_id


class SecurityGroups(Collection):
    kind, model, attrs = "security_group", SecurityGroup, schemas.SECURITY_GROUP
    not_found = errors.SecurityGroupNotFound

    async def views(self, conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
        ids = [r.id for r in rows]
        tags = await records.tags_of(conn, ids)
        defaults = await default_ids(conn, set(ids))
        rules: dict[str, list] = {i: [] for i in ids}
        if ids:
            found = await conn.execute(
                select(SecurityGroupRule)
                .where(SecurityGroupRule.security_group_id.in_(ids))
                .order_by(SecurityGroupRule.created_at, SecurityGroupRule.id)
            )
            for rule in found:
                rules[rule.security_group_id].append(rule_view(rule, defaults))
        return [_view(r, rules[r.id], tags[r.id]) for r in rows]

    async def list(self, ctx: RequestContext, params: list[tuple[str, str]]) -> tuple:
        """GET /security-groups: the caller's project gets its default group first."""
        if ctx.project_id:
            await default_group(self.deps, ctx.project_id)
        return await super().list(ctx, params)

    async def create(self, ctx: RequestContext, data: Any) -> dict[str, Any]:
        """POST /security-groups: with the two egress rules every new group gets."""
        values = body.for_create(ctx, body.unwrap(data, "security_group"), self.attrs)
        tgt = {"project_id": values["project_id"], "tenant_id": values["project_id"]}
        self.access.enforce_attrs(ctx, "create", {}, tgt)
        if values["name"] == "default":
            raise errors.SecurityGroupDefaultAlreadyExists()
        await default_group(self.deps, values["project_id"])
        async with self.deps.db.transaction() as conn:
            await check_quota(
                self.deps, conn, values["project_id"], "security_group", SecurityGroup
            )
            group_id = await _create_group(
                conn,
                values["project_id"],
                values["name"],
                values["description"],
                values["stateful"],
            )
            item = await self.item(conn, group_id)
        await self.deps.notify(ctx, "security_group.create.end", {"security_group": item})
        return self.present(ctx, item, [])

    async def update(
        self, ctx: RequestContext, group_id: str, data: Any, if_match: int | None
    ) -> dict:
        """PUT /security-groups/{id}: the default group keeps its name."""
        changes = body.for_update(body.unwrap(data, "security_group"), self.attrs)
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, group_id, "update")
            records.check_revision(if_match, current["revision_number"])
            if "name" in changes and current["name"] == "default" and changes["name"] != "default":
                raise errors.SecurityGroupCannotUpdateDefault()
            if changes.get("name") == "default" and current["name"] != "default":
                raise errors.SecurityGroupDefaultAlreadyExists()
            await records.bump(conn, SecurityGroup, group_id, **changes)
            item = await self.item(conn, group_id)
        await self.deps.notify(ctx, "security_group.update.end", {"security_group": item})
        await self.deps.changed(ctx)
        return self.present(ctx, item, [])

    async def delete(self, ctx: RequestContext, group_id: str, if_match: int | None) -> None:
        """DELETE /security-groups/{id}: 409 while ports use it or for a member's default."""
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, group_id, "delete")
            records.check_revision(if_match, current["revision_number"])
            is_default = group_id in await default_ids(conn, {group_id})
            if is_default and not ctx.is_admin:
                raise errors.SecurityGroupCannotRemoveDefault()
            used = await conn.scalar(
                select(func.count()).where(
                    cast(Port.security_groups, String).like(f'%"{group_id}"%')
                )
            )
            if used:
                raise errors.SecurityGroupInUse(id=group_id)
            await conn.execute(
                delete(DefaultSecurityGroup).where(
                    DefaultSecurityGroup.security_group_id == group_id
                )
            )
            await conn.execute(
                delete(SecurityGroupRule).where(SecurityGroupRule.security_group_id == group_id)
            )
            await conn.execute(delete(Tag).where(Tag.resource_id == group_id))
            await conn.execute(delete(SecurityGroup).where(SecurityGroup.id == group_id))
        await self.deps.notify(
            ctx,
            "security_group.delete.end",
            {"security_group_id": group_id, "security_group": current},
        )
        await self.deps.changed(ctx)


def _view(row: Any, rules: list[dict], tags: list[str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "stateful": row.stateful,
        "shared": False,
        "security_group_rules": rules,
        **records.standard(row, tags),
    }
