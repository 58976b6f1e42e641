"""A flavor's extra specs and the projects a private flavor is open to."""

from __future__ import annotations

from sqlalchemy import delete, select

from kilocloud.compute.models import FlavorExtraSpec, FlavorProject
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.compute.service.flavors import _by_id, _specs, _visible
from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Conflict, NotFound


class ExtraSpecs:
    """GET/POST/PUT/DELETE /flavors/{id}/os-extra_specs."""

    def __init__(self, deps: ComputeDeps) -> None:
        self.deps = deps

    async def list(self, ctx: RequestContext, flavor_id: str) -> dict[str, str]:
        """Every extra spec of the flavor."""
        self.deps.enforce(ctx, "os-flavor-extra-specs:index")
        async with self.deps.db.read() as session:
            return await _specs(session, (await _visible(session, ctx, flavor_id)).id)

    async def get(self, ctx: RequestContext, flavor_id: str, key: str) -> str:
        """One extra spec; 404 when unset."""
        self.deps.enforce(ctx, "os-flavor-extra-specs:show")
        specs = await self.list(ctx, flavor_id)
        if key not in specs:
            raise NotFound(f"Flavor {flavor_id} has no extra specs with key {key}.")
        return specs[key]

    async def set(
        self, ctx: RequestContext, flavor_id: str, specs: dict[str, object], rule: str
    ) -> dict[str, str]:
        """Create or replace the given keys (rule: create or update)."""
        self.deps.enforce(ctx, f"os-flavor-extra-specs:{rule}")
        values = {k: _text(v) for k, v in specs.items()}
        async with self.deps.db.write() as session:
            row = await _by_id(session, flavor_id)
            for key, value in values.items():
                await session.merge(FlavorExtraSpec(flavor_id=row.id, key=key, value=value))
        return values

    async def delete(self, ctx: RequestContext, flavor_id: str, key: str) -> None:
        """Remove one key; 404 when unset."""
        self.deps.enforce(ctx, "os-flavor-extra-specs:delete")
        async with self.deps.db.write() as session:
            row = await _by_id(session, flavor_id)
            done = await session.execute(
                delete(FlavorExtraSpec).where(
                    FlavorExtraSpec.flavor_id == row.id, FlavorExtraSpec.key == key
                )
            )
            if not done.rowcount:
                raise NotFound(f"Flavor {flavor_id} has no extra specs with key {key}.")


def _text(value: object) -> str:
    if isinstance(value, bool):
        return str(value)
    return str(value)


class FlavorAccess:
    """/flavors/{id}/os-flavor-access and the add/removeTenantAccess actions."""

    def __init__(self, deps: ComputeDeps) -> None:
        self.deps = deps

    async def list(self, ctx: RequestContext, flavor_id: str) -> list[str]:
        """Projects a private flavor is open to; 404 for a public flavor."""
        self.deps.enforce(ctx, "os-flavor-access")
        async with self.deps.db.read() as session:
            row = await _by_id(session, flavor_id)
            if row.is_public:
                raise NotFound("Access list not available for public flavors.")
            found = await session.scalars(
                select(FlavorProject.project_id).where(FlavorProject.flavor_id == row.id)
            )
            return list(found)

    async def add(self, ctx: RequestContext, flavor_id: str, project_id: str) -> list[str]:
        """Open the private flavor to a project; 409 when already open or public."""
        self.deps.enforce(ctx, "os-flavor-access:add_tenant_access")
        async with self.deps.db.write() as session:
            row = await _by_id(session, flavor_id)
            if row.is_public:
                raise Conflict("Can not add access to a public flavor.")
            key = {"flavor_id": row.id, "project_id": project_id}
            if await session.get(FlavorProject, key) is not None:
                raise Conflict(
                    f"Flavor access already exists for flavor {flavor_id} and project "
                    f"{project_id} combination."
                )
            session.add(FlavorProject(**key))
        return await self.list(ctx, flavor_id)

    async def remove(self, ctx: RequestContext, flavor_id: str, project_id: str) -> list[str]:
        """Close the flavor to a project; 404 when it was not open to it."""
        self.deps.enforce(ctx, "os-flavor-access:remove_tenant_access")
        async with self.deps.db.write() as session:
            row = await _by_id(session, flavor_id)
            done = await session.execute(
                delete(FlavorProject).where(
                    FlavorProject.flavor_id == row.id, FlavorProject.project_id == project_id
                )
            )
            if not done.rowcount:
                raise NotFound(
                    f"Flavor access not found for {flavor_id} / {project_id} combination."
                )
        return await self.list(ctx, flavor_id)
