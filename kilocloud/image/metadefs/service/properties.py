"""Metadef properties: the JSON schema of one key a resource may carry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.db import utcnow
from kilocloud.core.errors import NotFound
from kilocloud.deps import Services
from kilocloud.image.metadefs import payloads, schemas
from kilocloud.image.metadefs.models import (
    MetadefAssociation,
    MetadefNamespace,
    MetadefProperty,
    MetadefResourceType,
)
from kilocloud.image.metadefs.service import bodies, children
from kilocloud.image.metadefs.service.access import Gate

_CHECK = schemas.Checker(schemas.PROPERTY)


def check(body: object) -> dict:
    """The property `body` describes, checked against the served schema."""
    item = _CHECK.check(body)
    bodies.text(item.get("description"), "description")
    return item


async def add(
    session: AsyncSession, ns: MetadefNamespace, name: str, schema: dict[str, Any]
) -> MetadefProperty:
    """Add property `name` to `ns`; 409 when the name is taken."""
    await children.refuse_taken(session, MetadefProperty, ns, name, "property")
    now = utcnow()
    definition = {k: v for k, v in schema.items() if k != "name"}
    prop = MetadefProperty(
        namespace_id=ns.id, name=name, json_schema=definition, created_at=now, updated_at=now
    )
    session.add(prop)
    await children.flush(session, "property", name, ns)
    return prop


class Properties:
    """List, create, show, update and delete a namespace's properties."""

    def __init__(self, services: Services, gate: Gate) -> None:
        self.services, self.gate = services, gate

    async def list(self, ctx: RequestContext, ns_name: str) -> list[MetadefProperty]:
        """Every property of the namespace, by name."""
        async with self.services.db.read() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "get_metadef_properties")
            query = select(MetadefProperty).where(MetadefProperty.namespace_id == ns.id)
            return list((await session.scalars(query.order_by(MetadefProperty.name))).all())

    async def create(self, ctx: RequestContext, ns_name: str, body: object) -> MetadefProperty:
        """A new property in the namespace."""
        item = check(body)
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "add_metadef_property", True)
            prop = await add(session, ns, item["name"], item)
        await self.services.notifier.notify(
            ctx, "image", "metadef_property.create", payloads.property_(ns_name, prop)
        )
        return prop

    async def get(
        self, ctx: RequestContext, ns_name: str, name: str, resource_type: str | None = None
    ) -> MetadefProperty:
        """One property; with `resource_type`, `name` carries that association's prefix."""
        async with self.services.db.read() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "get_metadef_property")
            if resource_type:
                name = await _unprefixed(session, ns, name, resource_type)
            return await children.find(session, MetadefProperty, ns, name, "property")

    async def update(
        self, ctx: RequestContext, ns_name: str, name: str, body: object
    ) -> MetadefProperty:
        """Replace the property with the one `body` describes (which may rename it)."""
        item = check(body)
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "modify_metadef_property", True)
            prop = await children.find(session, MetadefProperty, ns, name, "property")
            if item["name"] != name:
                await children.refuse_taken(session, MetadefProperty, ns, item["name"], "property")
            prop.name = item["name"]
            prop.json_schema = {k: v for k, v in item.items() if k != "name"}
            prop.updated_at = utcnow()
            await children.flush(session, "property", item["name"], ns)
        payload = payloads.property_(ns_name, prop, old=name)
        await self.services.notifier.notify(ctx, "image", "metadef_property.update", payload)
        return prop

    async def delete(self, ctx: RequestContext, ns_name: str, name: str) -> None:
        """Delete the property; refused in a protected namespace."""
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "remove_metadef_property", True)
            prop = await children.remove(session, MetadefProperty, ns, name, "property")
        payload = payloads.property_(ns_name, prop, deleted=True)
        await self.services.notifier.notify(ctx, "image", "metadef_property.delete", payload)


async def _unprefixed(
    session: AsyncSession, ns: MetadefNamespace, name: str, resource_type: str
) -> str:
    query = (
        select(MetadefAssociation.prefix)
        .join(MetadefResourceType)
        .where(MetadefAssociation.namespace_id == ns.id, MetadefResourceType.name == resource_type)
    )
    found = (await session.execute(query)).first()
    if found is None:
        raise NotFound(
            f"Resource type {resource_type} is not associated with namespace {ns.namespace}."
        )
    prefix = found[0]
    if not prefix or not name.startswith(prefix):
        raise NotFound(
            f"Property {name} does not start with the prefix {prefix!r} of {resource_type}."
        )
    return name[len(prefix) :]
