"""What every network resource kind shares: reading one, listing, and the 404/403 rules."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import ColumnElement, select

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Connection
from kilocloud.network.schemas import Attr
from kilocloud.network.service import listing
from kilocloud.network.service.access import Access, target
from kilocloud.network.service.deps import NetworkDeps


def privileged(ctx: RequestContext) -> bool:
    """Admins and the service role see every project's resources."""
    return ctx.is_admin or "service" in ctx.roles


class Collection:
    """One resource kind: subclasses give the table, attributes and how a row looks."""

    kind: ClassVar[str]
    model: ClassVar[type]
    attrs: ClassVar[dict[str, Attr]]
    not_found: ClassVar[type]

    def __init__(self, deps: NetworkDeps) -> None:
        self.deps = deps
        self.access = Access(deps.policy, self.kind)

    def scope(self, ctx: RequestContext) -> ColumnElement | None:
        """The rows a caller may list (policy still filters each one)."""
        return None if privileged(ctx) else self.model.project_id == ctx.project_id

    def special_filters(self) -> dict[str, listing.Special]:
        return {}

    async def views(self, conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
        """The API form of each row; `_network` may hold its network's policy fields."""
        raise NotImplementedError

    def target(self, item: dict[str, Any]) -> dict[str, Any]:
        return target(item, item.get("_network"))

    def missing(self, resource_id: str) -> Exception:
        return self.not_found(id=resource_id)

    def present(self, ctx: RequestContext, item: dict[str, Any], fields: list[str]) -> dict:
        """The item as this caller may see it, with only `fields` when asked."""
        tgt = self.target(item)
        item = {k: v for k, v in item.items() if k != "_network"}
        return listing.select_fields(self.access.strip(ctx, item, tgt), fields)

    async def list(
        self, ctx: RequestContext, params: list[tuple[str, str]]
    ) -> tuple[list[dict], listing.Page]:
        """A filtered, sorted page of what the caller may see."""
        page = listing.parse(self.model, self.attrs, params, self.special_filters())
        async with self.deps.db.connect() as conn:
            stmt = await listing.query(
                conn, self.model, page, self.scope(ctx), self.missing(page.marker or "")
            )
            rows = list(await conn.execute(stmt))
            if page.reverse:
                rows.reverse()
            items = await self.views(conn, rows)
        visible = [i for i in items if self.access.visible(ctx, self.target(i))]
        return [self.present(ctx, i, page.fields) for i in visible], page

    async def row(self, conn: Connection, resource_id: str) -> Any:
        """The row, or this kind's 404."""
        found = (await conn.execute(select(self.model).where(self.model.id == resource_id))).first()
        if found is None:
            raise self.missing(resource_id)
        return found

    async def item(self, conn: Connection, resource_id: str) -> dict[str, Any]:
        """The API form of one resource (no policy applied)."""
        return (await self.views(conn, [await self.row(conn, resource_id)]))[0]

    async def visible_item(
        self, ctx: RequestContext, conn: Connection, resource_id: str
    ) -> dict[str, Any]:
        """The resource if the caller may see it, else this kind's 404."""
        found = await self.item(conn, resource_id)
        if not self.access.visible(ctx, self.target(found)):
            raise self.missing(resource_id)
        return found

    async def show(self, ctx: RequestContext, resource_id: str, fields: list[str]) -> dict:
        """GET one: as the caller may see it."""
        async with self.deps.db.connect() as conn:
            found = await self.visible_item(ctx, conn, resource_id)
        return self.present(ctx, found, fields)

    async def for_change(
        self, ctx: RequestContext, conn: Connection, resource_id: str, action: str
    ) -> dict[str, Any]:
        """The resource a PUT/DELETE acts on, once policy allows it (404 or 403 otherwise)."""
        found = await self.item(conn, resource_id)
        self.access.enforce_change(ctx, action, self.target(found), self.missing(resource_id))
        return found
