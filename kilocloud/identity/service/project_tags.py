"""Project tags: /v3/projects/{id}/tags[/{tag}]."""

from __future__ import annotations

from collections.abc import Callable

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, NotFound
from kilocloud.identity.models import Project
from kilocloud.identity.service import Identity, records

MAX_TAGS = 80


def _target(project_id: str) -> dict:
    return {"target": {"project": {"id": project_id}}}


async def listing(idn: Identity, ctx: RequestContext, project_id: str) -> list[str]:
    """The project's tags."""
    idn.enforce(ctx, "list_project_tags", _target(project_id))
    async with idn.db.read() as session:
        return list((await records.get(session, Project, project_id, "project")).tags)


async def check(idn: Identity, ctx: RequestContext, project_id: str, tag: str) -> None:
    """404 unless the project has `tag`."""
    idn.enforce(ctx, "get_project_tag", _target(project_id))
    async with idn.db.read() as session:
        project = await records.get(session, Project, project_id, "project")
    if tag not in project.tags:
        raise NotFound(f"Could not find project tag: {tag}.")


async def _set(
    idn: Identity,
    ctx: RequestContext,
    project_id: str,
    change: Callable[[list[str]], list[str]],
) -> list[str]:
    async with records.writing(idn, "project") as session:
        project = await records.get(session, Project, project_id, "project")
        tags = change(list(project.tags))
        if len(tags) > MAX_TAGS:
            raise BadRequest(f"Invalid input for field 'tags': at most {MAX_TAGS} tags.")
        project.tags = tags
    await idn.notify(ctx, "project.updated", project_id)
    return tags


async def replace(
    idn: Identity, ctx: RequestContext, project_id: str, tags: list[str]
) -> list[str]:
    """Replace all the project's tags."""
    idn.enforce(ctx, "update_project_tags", _target(project_id))
    return await _set(idn, ctx, project_id, lambda _old: list(tags))


async def add(idn: Identity, ctx: RequestContext, project_id: str, tag: str) -> None:
    """Add one tag (no change if present)."""
    idn.enforce(ctx, "create_project_tag", _target(project_id))
    if not tag or len(tag) > 255 or "," in tag or "/" in tag:
        raise BadRequest("Invalid input for field 'tag': 1-255 characters, no ',' or '/'.")
    await _set(idn, ctx, project_id, lambda old: old if tag in old else [*old, tag])


async def remove(idn: Identity, ctx: RequestContext, project_id: str, tag: str | None) -> None:
    """Remove one tag (404 if absent), or every tag when `tag` is None."""
    idn.enforce(ctx, "delete_project_tag", _target(project_id))

    def change(old: list[str]) -> list[str]:
        if tag is None:
            return []
        if tag not in old:
            raise NotFound(f"Could not find project tag: {tag}.")
        return [t for t in old if t != tag]

    await _set(idn, ctx, project_id, change)
