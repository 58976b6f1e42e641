"""Metadef tags: names a namespace suggests, unique within it whatever their case."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.db import utcnow
from kilocloud.core.errors import Conflict
from kilocloud.deps import Services
from kilocloud.image.metadefs import payloads, schemas
from kilocloud.image.metadefs.models import MetadefNamespace, MetadefTag
from kilocloud.image.metadefs.service import bodies, children, paging
from kilocloud.image.metadefs.service.access import Gate

_ONE = schemas.Checker(schemas.TAG)
_MANY = schemas.Checker(schemas.TAG_LIST)
READ_ONLY = ("created_at", "updated_at")
SORT_KEYS = ("name", "created_at", "updated_at")


async def add(
    session: AsyncSession, ns: MetadefNamespace, names: Iterable[str], keep: bool = True
) -> list[MetadefTag]:
    """Add tags `names` to `ns` (replacing its tags unless `keep`); 409 on a name twice."""
    names = list(names)
    existing = list((await session.scalars(_of(ns))).all())
    seen: set[str] = {t.name.lower() for t in existing} if keep else set()
    for name in names:
        if name.lower() in seen:
            raise _duplicate(name, ns)
        seen.add(name.lower())
    if not keep:
        for tag in existing:
            await session.delete(tag)
        await session.flush()
    now = utcnow()
    made = [MetadefTag(namespace_id=ns.id, name=n, created_at=now, updated_at=now) for n in names]
    session.add_all(made)
    await children.flush(session, "tag", ", ".join(names), ns)
    return made


def _of(ns: MetadefNamespace) -> Select:
    return select(MetadefTag).where(MetadefTag.namespace_id == ns.id)


def _duplicate(name: str, ns: MetadefNamespace) -> Conflict:
    return Conflict(
        f"A metadata definition tag called {name} already exists in namespace {ns.namespace}"
        " (tag names are compared without regard to case)."
    )


class Tags:
    """List, create, show, rename and delete a namespace's tags."""

    def __init__(self, services: Services, gate: Gate) -> None:
        self.services, self.gate = services, gate

    async def list(
        self, ctx: RequestContext, ns_name: str, params: dict[str, str]
    ) -> list[MetadefTag]:
        """A sorted page of the namespace's tags."""
        page = paging.parse(params, None, SORT_KEYS)
        async with self.services.db.read() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "get_metadef_tags")

            async def marker(name: str) -> MetadefTag:
                return await children.find(session, MetadefTag, ns, name, "tag")

            query = await paging.apply(_of(ns), MetadefTag, page, marker)
            return list((await session.scalars(query)).all())

    async def create(self, ctx: RequestContext, ns_name: str, name: str) -> MetadefTag:
        """Tag `name` added to the namespace."""
        _ONE.check({"name": name})
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "add_metadef_tag", True)
            (tag,) = await add(session, ns, [name])
        await self.services.notifier.notify(
            ctx, "image", "metadef_tag.create", payloads.tag(ns_name, tag)
        )
        return tag

    async def create_many(
        self, ctx: RequestContext, ns_name: str, body: object, append: bool
    ) -> list[MetadefTag]:
        """The tags `body` lists, replacing the namespace's tags unless `append`."""
        names = [t["name"] for t in _MANY.check(bodies.writable(body, READ_ONLY))["tags"]]
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "add_metadef_tags", True)
            # as in Glance, an empty list replaces nothing
            made = await add(session, ns, names, keep=append or not names)
        for tag in made:
            await self.services.notifier.notify(
                ctx, "image", "metadef_tag.create", payloads.tag(ns_name, tag)
            )
        return made

    async def get(self, ctx: RequestContext, ns_name: str, name: str) -> MetadefTag:
        """One tag."""
        async with self.services.db.read() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "get_metadef_tag")
            return await children.find(session, MetadefTag, ns, name, "tag")

    async def rename(
        self, ctx: RequestContext, ns_name: str, name: str, body: object
    ) -> MetadefTag:
        """Give the tag the name `body` holds."""
        new = _ONE.check(bodies.writable(body, READ_ONLY))["name"]
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "modify_metadef_tag", True)
            tag = await children.find(session, MetadefTag, ns, name, "tag")
            others = (await session.scalars(_of(ns).where(MetadefTag.id != tag.id))).all()
            if new.lower() in {t.name.lower() for t in others}:
                raise _duplicate(new, ns)
            tag.name, tag.updated_at = new, utcnow()
            await children.flush(session, "tag", new, ns)
        await self.services.notifier.notify(
            ctx, "image", "metadef_tag.update", payloads.tag(ns_name, tag, old=name)
        )
        return tag

    async def delete(self, ctx: RequestContext, ns_name: str, name: str) -> None:
        """Delete the tag; refused in a protected namespace."""
        async with self.services.db.write() as session:
            ns = await self.gate.namespace(session, ctx, ns_name, "delete_metadef_tag", True)
            tag = await children.remove(session, MetadefTag, ns, name, "tag")
        await self.services.notifier.notify(
            ctx, "image", "metadef_tag.delete", payloads.tag(ns_name, tag, deleted=True)
        )
