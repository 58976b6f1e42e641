"""Metadef objects: named groups of properties within a namespace."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.db import utcnow
from kilocloud.deps import Services
from kilocloud.image.metadefs import payloads, schemas
from kilocloud.image.metadefs.models import MetadefNamespace, MetadefObject
from kilocloud.image.metadefs.service import bodies, children, paging
from kilocloud.image.metadefs.service.access import Gate

_CHECK = schemas.Checker(schemas.OBJECT)
READ_ONLY = ("self", "schema", "created_at", "updated_at")
SORT_KEYS = ("name", "created_at", "updated_at")


def check(body: object) -> dict:
    """The object `body` describes, checked against the served schema."""
    item = _CHECK.check(bodies.writable(body, READ_ONLY))
    bodies.property_names(item.get("properties"))
    bodies.text(item.get("description"), "description")
    return item


async def add(session: AsyncSession, ns: MetadefNamespace, item: dict) -> MetadefObject:
    """Add the object `item` describes to `ns`; 409 when the name is taken."""
    await children.refuse_taken(session, MetadefObject, ns, item["name"], "object")
    now = utcnow()
    obj = MetadefObject(namespace_id=ns.id, created_at=now, updated_at=now)
    _fill(obj, item)
    session.add(obj)
    await children.flush(session, "object", item["name"], ns)
    return obj


def _fill(obj: MetadefObject, item: dict) -> None:
    obj.name = item["name"]
    obj.description = item.get("description")
    obj.required = item.get("required") or []
    obj.properties = item.get("properties") or {}


class Objects:
    """List, create, show, update and delete a namespace's objects."""

    def __init__(self, services: Services, gate: Gate) -> None:
        self.services, self.gate = services, gate

    async def list(
        self, ctx: RequestContext, ns_name: str, params: dict[str, str]
    ) -> list[MetadefObject]:
        """A sorted page of the namespace's objects."""
        page = paging.parse(params, None, SORT_KEYS)
        async with self.services.db.read() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "get_metadef_objects")

            async def marker(name: str) -> MetadefObject:
                return await children.find(session, MetadefObject, ns, name, "object")

            query = select(MetadefObject).where(MetadefObject.namespace_id == ns.id)
            query = await paging.apply(query, MetadefObject, page, marker)
            return list((await session.scalars(query)).all())

    async def create(self, ctx: RequestContext, ns_name: str, body: object) -> MetadefObject:
        """A new object in the namespace."""
        item = check(body)
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "add_metadef_object", True)
            obj = await add(session, ns, item)
        await self.services.notifier.notify(
            ctx, "image", "metadef_object.create", payloads.object_(ns_name, obj)
        )
        return obj

    async def get(self, ctx: RequestContext, ns_name: str, name: str) -> MetadefObject:
        """One object."""
        async with self.services.db.read() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "get_metadef_object")
            return await children.find(session, MetadefObject, ns, name, "object")

    async def update(
        self, ctx: RequestContext, ns_name: str, name: str, body: object
    ) -> MetadefObject:
        """Replace the object with the one `body` describes (which may rename it)."""
        item = check(body)
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "modify_metadef_object", True)
            obj = await children.find(session, MetadefObject, ns, name, "object")
            if item["name"] != name:
                await children.refuse_taken(session, MetadefObject, ns, item["name"], "object")
            _fill(obj, item)
            obj.updated_at = utcnow()
            await children.flush(session, "object", item["name"], ns)
        payload = payloads.object_(ns_name, obj, old=name)
        await self.services.notifier.notify(ctx, "image", "metadef_object.update", payload)
        return obj

    async def delete(self, ctx: RequestContext, ns_name: str, name: str) -> None:
        """Delete the object; refused in a protected namespace."""
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "delete_metadef_object", True)
            obj = await children.remove(session, MetadefObject, ns, name, "object")
        payload = payloads.object_(ns_name, obj, deleted=True)
        await self.services.notifier.notify(ctx, "image", "metadef_object.delete", payload)
