"""Which namespaces a caller may see, and the policy checks made against one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Forbidden, NotFound
from kilocloud.core.policy import Policy
from kilocloud.image.metadefs.models import MetadefNamespace


def not_found(name: str) -> NotFound:
    """The 404 for a namespace that is missing or hidden from the caller."""
    return NotFound(f"Metadata definition namespace {name} was not found.")


def visible(ctx: RequestContext) -> Any:
    """SQL condition: `ctx` may see the namespace (public, its project's, or any for admins)."""
    if ctx.is_admin:
        return true()
    return or_(MetadefNamespace.visibility == "public", MetadefNamespace.owner == ctx.project_id)


def target(ns: MetadefNamespace) -> dict[str, Any]:
    """The policy target describing `ns`."""
    return {"project_id": ns.owner, "owner": ns.owner, "visibility": ns.visibility}


def caller_target(ctx: RequestContext) -> dict[str, Any]:
    """The target of calls about no namespace in particular (lists): the caller's project."""
    return {"project_id": ctx.project_id, "owner": ctx.project_id, "visibility": "private"}


class Gate:
    """Loads namespaces for a caller and holds them to the metadef rules."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy

    async def namespace(
        self, session: AsyncSession, ctx: RequestContext, name: str, rule: str, lock: bool = False
    ) -> MetadefNamespace:
        """The namespace called `name`, once `ctx` passes `rule` on it.

        A caller who may not even read the namespace gets a 404, as if it did not exist;
        one who may read it but not do this gets a 403.
        """
        query = select(MetadefNamespace).where(MetadefNamespace.namespace == name, visible(ctx))
        if lock:
            query = query.with_for_update()
        ns = await session.scalar(query)
        if ns is None:
            raise not_found(name)
        self.enforce(ctx, ns, rule)
        return ns

    def enforce(self, ctx: RequestContext, ns: MetadefNamespace, rule: str) -> None:
        """404 or 403 (see `namespace`) unless `ctx` passes `rule` on `ns`."""
        if self.policy.check(ctx, rule, target(ns)):
            return
        if not self.policy.check(ctx, "get_metadef_namespace", target(ns)):
            raise not_found(ns.namespace)
        raise Forbidden(f"You are not authorized to perform the requested action: {rule}.")
