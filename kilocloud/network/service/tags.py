"""Tags on any resource with standard attributes; a change counts as a revision."""

from __future__ import annotations

from typing import Any

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, NotFound
from kilocloud.network.errors import NeutronError
from kilocloud.network.service import records
from kilocloud.network.service.collection import Collection


class TagNotFound(NeutronError, NotFound):
    template = "Tag {tag} could not be found."


class Tags:
    """The tags of one collection's resources."""

    def __init__(self, owner: Collection) -> None:
        self.owner = owner

    async def list(self, ctx: RequestContext, resource_id: str) -> list[str]:
        async with self.owner.deps.db.connect() as conn:
            return (await self.owner.visible_item(ctx, conn, resource_id))["tags"]

    async def check(self, ctx: RequestContext, resource_id: str, tag: str) -> None:
        if tag not in await self.list(ctx, resource_id):
            raise TagNotFound(tag=tag)

    async def _change(self, ctx: RequestContext, resource_id: str, tags: list[str]) -> list[str]:
        db = self.owner.deps.db
        async with db.transaction() as conn:
            await self.owner.for_change(ctx, conn, resource_id, "update")
            await records.replace_tags(conn, resource_id, tags)
            await records.bump(conn, self.owner.model, resource_id)
        return tags

    async def replace(self, ctx: RequestContext, resource_id: str, data: Any) -> list[str]:
        if not isinstance(data, dict) or "tags" not in data:
            raise BadRequest("Invalid input for tags. Reason: tags are required.")
        return await self._change(ctx, resource_id, records.check_tags(data["tags"]))

    async def add(self, ctx: RequestContext, resource_id: str, data: Any) -> list[str]:
        if not isinstance(data, dict) or "tags" not in data:
            raise BadRequest("Invalid input for tags. Reason: tags are required.")
        current = await self.list(ctx, resource_id)
        return await self._change(ctx, resource_id, records.check_tags(current + data["tags"]))

    async def add_one(self, ctx: RequestContext, resource_id: str, tag: str) -> None:
        current = await self.list(ctx, resource_id)
        await self._change(ctx, resource_id, records.check_tags([*current, records.check_tag(tag)]))

    async def delete_one(self, ctx: RequestContext, resource_id: str, tag: str) -> None:
        current = await self.list(ctx, resource_id)
        if tag not in current:
            raise TagNotFound(tag=tag)
        await self._change(ctx, resource_id, [t for t in current if t != tag])
