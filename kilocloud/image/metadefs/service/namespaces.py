"""Metadef namespaces: create, list, show, replace and delete them, or empty them."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core import pagination
from kilocloud.core.context import RequestContext
from kilocloud.core.db import utcnow
from kilocloud.core.errors import BadRequest, Conflict, Forbidden
from kilocloud.deps import Services
from kilocloud.image.metadefs import payloads, schemas
from kilocloud.image.metadefs.models import (
    MetadefAssociation,
    MetadefNamespace,
    MetadefObject,
    MetadefProperty,
    MetadefResourceType,
    MetadefTag,
)
from kilocloud.image.metadefs.service import (
    access,
    bodies,
    children,
    objects,
    paging,
    properties,
    resource_types,
    tags,
)
from kilocloud.image.metadefs.service.access import Gate
from kilocloud.image.metadefs.service.resource_types import Association

_CHECK = schemas.Checker(schemas.NAMESPACE)
READ_ONLY = ("self", "schema", "created_at", "updated_at")
SORT_KEYS = ("namespace", "created_at", "updated_at", "visibility")
# what DELETE .../{kind} removes, the rule it also takes and the event it sends
CONTENTS = {
    "objects": (MetadefObject, "delete_metadef_object"),
    "properties": (MetadefProperty, "remove_metadef_property"),
    "tags": (MetadefTag, "delete_metadef_tags"),
}


@dataclass
class NamespaceDetail:
    """A namespace with what it holds."""

    ns: MetadefNamespace
    associations: list[Association] = field(default_factory=list)
    properties: list[MetadefProperty] = field(default_factory=list)
    objects: list[MetadefObject] = field(default_factory=list)
    tags: list[MetadefTag] = field(default_factory=list)


def _check(body: object) -> dict:
    item = _CHECK.check(bodies.writable(body, READ_ONLY))
    bodies.property_names(item.get("properties"))
    for obj in item.get("objects", []):
        bodies.property_names(obj.get("properties"))
        bodies.text(obj.get("description"), "description")
    return item


class Namespaces:
    """The namespace operations of the metadefs API."""

    def __init__(self, services: Services, gate: Gate) -> None:
        self.services, self.gate = services, gate

    async def list(
        self, ctx: RequestContext, params: dict[str, str]
    ) -> tuple[list[NamespaceDetail], str | None]:
        """A page of the namespaces `ctx` may see, with their associations, and the next marker."""
        self.services.policy.enforce(ctx, "get_metadef_namespaces", access.caller_target(ctx))
        page = paging.parse(params, self.services.conf, SORT_KEYS)
        query = select(MetadefNamespace).where(access.visible(ctx))
        if visibility := params.get("visibility"):
            if visibility not in ("public", "private"):
                raise BadRequest(f"Invalid visibility value: {visibility}")
            query = query.where(MetadefNamespace.visibility == visibility)
        if wanted := [n for n in params.get("resource_types", "").split(",") if n]:
            query = query.where(_associated_with(wanted))
        async with self.services.db.read() as session:

            async def marker(name: str) -> MetadefNamespace:
                return await self.gate.namespace(session, ctx, name, "get_metadef_namespace")

            query = await paging.apply(query, MetadefNamespace, page, marker)
            found = list((await session.scalars(query)).all())
            linked = await resource_types.associations(session, [ns.id for ns in found])
        listed = [NamespaceDetail(ns, linked.get(ns.id, [])) for ns in found]
        return listed, pagination.next_marker(found, page.limit, "namespace")

    async def create(self, ctx: RequestContext, body: object) -> NamespaceDetail:
        """A new namespace, with any associations, properties, objects and tags it lists."""
        self.services.policy.enforce(ctx, "add_metadef_namespace", access.caller_target(ctx))
        item = _check(body)
        name = item["namespace"]
        async with self.services.db.write() as session:
            taken = select(MetadefNamespace.id).where(MetadefNamespace.namespace == name)
            if await session.scalar(taken) is not None:
                raise _duplicate(name)
            ns = MetadefNamespace()
            _fill(ns, item, ctx)
            session.add(ns)
            await _flush(session, name)
            detail = await _fill_contents(session, ns, item)
        await self._announce(ctx, detail)
        return detail

    async def get(self, ctx: RequestContext, name: str) -> NamespaceDetail:
        """The namespace with everything it holds."""
        async with self.services.db.read() as session:
            ns = await self.gate.namespace(session, ctx, name, "get_metadef_namespace")
            linked = await resource_types.associations(session, [ns.id])

            async def rows(model: type) -> list:
                query = select(model).where(model.namespace_id == ns.id)
                return list((await session.scalars(query.order_by(model.name))).all())

            return NamespaceDetail(
                ns,
                linked.get(ns.id, []),
                await rows(MetadefProperty),
                await rows(MetadefObject),
                await rows(MetadefTag),
            )

    async def update(self, ctx: RequestContext, name: str, body: object) -> MetadefNamespace:
        """Replace the namespace's attributes (unset ones take their defaults, as in Glance)."""
        item = _check(body)
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, name, "modify_metadef_namespace", True)
            if item["namespace"] != name:
                taken = select(MetadefNamespace.id).where(
                    MetadefNamespace.namespace == item["namespace"]
                )
                if await session.scalar(taken) is not None:
                    raise _duplicate(item["namespace"])
            _fill(ns, item, ctx)
            await _flush(session, item["namespace"])
        await self.services.notifier.notify(
            ctx, "image", "metadef_namespace.update", payloads.namespace(ns, old=name)
        )
        return ns

    async def delete(self, ctx: RequestContext, name: str) -> None:
        """Delete the namespace and all it holds; refused when it is protected."""
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, name, "delete_metadef_namespace", True)
            _refuse_protected(ns)
            await session.delete(ns)
        payload = payloads.namespace(ns, deleted=True)
        await self.services.notifier.notify(ctx, "image", "metadef_namespace.delete", payload)

    async def clear(self, ctx: RequestContext, name: str, kind: str) -> None:
        """Delete all of the namespace's objects, properties or tags (`kind`)."""
        model, rule = CONTENTS[kind]
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, name, "delete_metadef_namespace", True)
            self.gate.enforce(ctx, ns, rule)
            _refuse_protected(ns)
            await children.clear(session, model, ns)
        payload = payloads.namespace(ns, deleted=True)
        await self.services.notifier.notify(
            ctx, "image", f"metadef_namespace.delete_{kind}", payload
        )

    async def _announce(self, ctx: RequestContext, detail: NamespaceDetail) -> None:
        ns, name = detail.ns, detail.ns.namespace
        await self.services.notifier.notify(
            ctx, "image", "metadef_namespace.create", payloads.namespace(ns)
        )
        for assoc, type_name in detail.associations:
            payload = payloads.association(name, type_name, assoc)
            await self.services.notifier.notify(
                ctx, "image", "metadef_resource_type.create", payload
            )
        for prop in detail.properties:
            await self.services.notifier.notify(
                ctx, "image", "metadef_property.create", payloads.property_(name, prop)
            )
        for obj in detail.objects:
            await self.services.notifier.notify(
                ctx, "image", "metadef_object.create", payloads.object_(name, obj)
            )
        for tag in detail.tags:
            await self.services.notifier.notify(
                ctx, "image", "metadef_tag.create", payloads.tag(name, tag)
            )


def _fill(ns: MetadefNamespace, item: dict, ctx: RequestContext) -> None:
    ns.namespace = item["namespace"]
    ns.display_name = item.get("display_name")
    ns.description = item.get("description")
    ns.visibility = item.get("visibility") or "private"
    ns.protected = item.get("protected") or False
    ns.owner = item.get("owner") or ctx.project_id or ""
    ns.updated_at = utcnow()
    ns.created_at = ns.created_at or ns.updated_at


async def _fill_contents(
    session: AsyncSession, ns: MetadefNamespace, item: dict
) -> NamespaceDetail:
    detail = NamespaceDetail(ns)
    for association in item.get("resource_type_associations", []):
        assoc = await resource_types.add(session, ns, association)
        detail.associations.append((assoc, association["name"]))
    for name, schema in item.get("properties", {}).items():
        detail.properties.append(await properties.add(session, ns, name, schema))
    for obj in item.get("objects", []):
        detail.objects.append(await objects.add(session, ns, obj))
    detail.tags = await tags.add(session, ns, [t["name"] for t in item.get("tags", [])])
    return detail


def _associated_with(type_names: list[str]) -> object:
    return exists().where(
        MetadefAssociation.namespace_id == MetadefNamespace.id,
        MetadefAssociation.resource_type_id == MetadefResourceType.id,
        MetadefResourceType.name.in_(type_names),
    )


async def _flush(session: AsyncSession, name: str) -> None:
    """Write the namespace now; a name taken meanwhile by another request is a 409."""
    try:
        await session.flush()
    except IntegrityError:
        raise _duplicate(name) from None


def _duplicate(name: str) -> Conflict:
    return Conflict(f"A metadata definition namespace called {name} already exists.")


def _refuse_protected(ns: MetadefNamespace) -> None:
    if ns.protected:
        raise Forbidden(f"Namespace {ns.namespace} is protected and cannot be deleted.")
