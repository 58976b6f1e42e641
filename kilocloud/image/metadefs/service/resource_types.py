"""Resource types and the namespaces associated with them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.db import utcnow
from kilocloud.core.errors import Conflict, Forbidden, NotFound
from kilocloud.deps import Services
from kilocloud.image.metadefs import payloads, schemas
from kilocloud.image.metadefs.models import (
    MetadefAssociation,
    MetadefNamespace,
    MetadefResourceType,
)
from kilocloud.image.metadefs.service import access, bodies
from kilocloud.image.metadefs.service.access import Gate

Association = tuple[MetadefAssociation, str]
_CHECK = schemas.Checker(schemas.RESOURCE_TYPE)


class ResourceTypes:
    """List resource types; associate namespaces with them and dissociate them."""

    def __init__(self, services: Services, gate: Gate) -> None:
        self.services, self.gate = services, gate

    async def list(self, ctx: RequestContext) -> list[MetadefResourceType]:
        """Every resource type, by name."""
        self.services.policy.enforce(ctx, "list_metadef_resource_types", access.caller_target(ctx))
        async with self.services.db.read() as session:
            query = select(MetadefResourceType).order_by(MetadefResourceType.name)
            return list((await session.scalars(query)).all())

    async def of_namespace(self, ctx: RequestContext, name: str) -> list[Association]:
        """The namespace's associations."""
        async with self.services.db.read() as session:
            ns = await self.gate.namespace(session, ctx, name, "get_metadef_resource_type")
            return (await associations(session, [ns.id])).get(ns.id, [])

    async def associate(self, ctx: RequestContext, name: str, body: object) -> Association:
        """Associate the namespace with a resource type, made on first use."""
        item = _CHECK.check(bodies.writable(body, ("created_at", "updated_at")))
        rule = "add_metadef_resource_type_association"
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, name, rule, lock=True)
            assoc = await add(session, ns, item)
        payload = payloads.association(ns.namespace, item["name"], assoc)
        await self.services.notifier.notify(ctx, "image", "metadef_resource_type.create", payload)
        return assoc, item["name"]

    async def dissociate(self, ctx: RequestContext, name: str, type_name: str) -> None:
        """Remove the association; refused for a protected namespace."""
        rule = "remove_metadef_resource_type_association"
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, name, rule, lock=True)
            query = (
                select(MetadefAssociation)
                .join(MetadefResourceType)
                .where(
                    MetadefAssociation.namespace_id == ns.id,
                    MetadefResourceType.name == type_name,
                )
            )
            assoc = await session.scalar(query)
            if assoc is None:
                raise NotFound(
                    f"Resource type {type_name} is not associated with namespace {name}."
                )
            if ns.protected:
                raise Forbidden(f"Namespace {name} is protected: its associations stay.")
            await session.delete(assoc)
        payload = payloads.association(name, type_name, assoc, deleted=True)
        await self.services.notifier.notify(ctx, "image", "metadef_resource_type.delete", payload)


async def associations(session: AsyncSession, ids: list[int]) -> dict[int, list[Association]]:
    """The associations of the namespaces `ids`, by namespace id, oldest first."""
    query = (
        select(MetadefAssociation, MetadefResourceType.name)
        .join(MetadefResourceType)
        .where(MetadefAssociation.namespace_id.in_(ids))
        .order_by(MetadefAssociation.created_at, MetadefResourceType.name)
    )
    found: dict[int, list[Association]] = {}
    for assoc, type_name in (await session.execute(query)).all():
        found.setdefault(assoc.namespace_id, []).append((assoc, type_name))
    return found


async def add(session: AsyncSession, ns: MetadefNamespace, item: dict) -> MetadefAssociation:
    """Add the association `item` describes to `ns`; 409 when it exists."""
    rtype = await _resource_type(session, item["name"])
    taken = await session.get(MetadefAssociation, (ns.id, rtype.id))
    if taken is not None:
        raise Conflict(
            f"Resource type {item['name']} is already associated with namespace {ns.namespace}."
        )
    now = utcnow()
    assoc = MetadefAssociation(
        namespace_id=ns.id,
        resource_type_id=rtype.id,
        prefix=item.get("prefix"),
        properties_target=item.get("properties_target"),
        created_at=now,
        updated_at=now,
    )
    session.add(assoc)
    await session.flush()
    return assoc


async def _resource_type(session: AsyncSession, name: str) -> MetadefResourceType:
    query = select(MetadefResourceType).where(MetadefResourceType.name == name)
    if (found := await session.scalar(query)) is not None:
        return found
    now = utcnow()
    made = MetadefResourceType(name=name, protected=False, created_at=now, updated_at=now)
    try:
        async with session.begin_nested():  # another request may make the same type meanwhile
            session.add(made)
    except IntegrityError:
        return (await session.scalars(query)).one()
    return made
