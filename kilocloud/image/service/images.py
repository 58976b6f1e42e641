"""Image records: create, list, show, update, delete, deactivate and reactivate."""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kilocloud.core import pagination
from kilocloud.core.context import RequestContext
from kilocloud.core.errors import APIError, BadRequest, Conflict, Forbidden
from kilocloud.deps import Services
from kilocloud.image import status
from kilocloud.image.models import Image, ImageProperty, ImageTag, utcnow
from kilocloud.image.service import access, listing, patch, records, rows, staging
from kilocloud.image.service.records import ImageRow
from kilocloud.image.service.validation import EntityValidator
from kilocloud.image.stores.base import Store

LOG = logging.getLogger(__name__)
CREATE_ONLY = frozenset({"id"})


class Images:
    """The image records and their life cycle (data is in ImageData)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.validator = EntityValidator(services.conf)

    async def create(self, ctx: RequestContext, body: dict[str, Any]) -> ImageRow:
        """A new queued image with the attributes in `body`."""
        for key in body:
            if key not in CREATE_ONLY:
                patch.check_writable(key)
        image_id = _image_id(body["id"]) if "id" in body else str(uuid.uuid4())
        owner = body.get("owner", ctx.project_id)
        entity = {"visibility": "shared", "protected": False, "os_hidden": False, **body}
        entity.update(id=image_id, owner=owner, status=status.QUEUED)
        entity.setdefault("min_ram", 0)
        entity.setdefault("min_disk", 0)
        self.validator.check(entity)  # first: the policy checks need well-formed values
        target = {"owner": owner, "project_id": owner, "visibility": entity["visibility"]}
        self.services.policy.enforce(ctx, "add_image", target)
        self._check_visibility(ctx, entity["visibility"], target)
        row = _new_row(entity)
        try:
            async with self.services.db.transaction() as conn:
                await rows.add(conn, row)
        except IntegrityError:
            raise Conflict(f"An image with identifier {image_id} already exists") from None
        await self.services.notifier.notify(
            ctx, "image", "image.create", records.notification_payload(row)
        )
        return row

    async def get(self, ctx: RequestContext, image_id: str) -> ImageRow:
        """The image, when `ctx` may see it."""
        async with self.services.db.connect() as conn:
            image = await rows.fetch(conn, ctx, image_id)
            target = await access.target(conn, ctx, image)
        self.services.policy.enforce(ctx, "get_image", target)
        return image

    async def list(
        self, ctx: RequestContext, params: list[tuple[str, str]]
    ) -> tuple[list[ImageRow], str | None]:
        """A page of images matching `params`, and the marker of the next page if any."""
        self.services.policy.enforce(ctx, "get_images", {"project_id": ctx.project_id})
        query = listing.parse(params, ctx, self.services.conf)
        stmt = query.statement()
        async with self.services.db.connect() as conn:
            if query.marker:
                stmt = stmt.where(await self._after(conn, ctx, query))
            images = await rows.fetch_many(conn, stmt, query.params)
        return images, pagination.next_marker(images, query.limit)

    async def _after(self, session: Any, ctx: RequestContext, query: listing.ListQuery) -> Any:
        columns = [listing.SORT_KEYS[k].label(k) for k, _ in query.sort]
        marked = select(*columns).where(Image.id == query.marker, access.visible(ctx))
        row = (await session.execute(marked)).mappings().one_or_none()
        if row is None:
            raise BadRequest(f"Invalid marker. Image {query.marker} could not be found.")
        return pagination.after(listing.sort_keys(query.sort), [row[k] for k, _ in query.sort])

    async def update(
        self, ctx: RequestContext, image_id: str, changes: list[dict[str, Any]]
    ) -> ImageRow:
        """Apply JSON patch `changes` to the image."""
        async with self.services.db.write() as session:
            image = await access.load(session, ctx, image_id, lock=True)
            target = await access.target(session, ctx, image)
            self.services.policy.enforce(ctx, "modify_image", target)
            before = records.image_dict(records.from_model(image))
            after = patch.apply(before, changes)
            self.validator.check(after)
            self._check_update(ctx, image, before, after, target)
            _assign(image, after)
            image.updated_at = utcnow()
            row = records.from_model(image)
        await self.services.notifier.notify(
            ctx, "image", "image.update", records.notification_payload(row)
        )
        return row

    def _check_update(
        self, ctx: RequestContext, image: Image, before: dict, after: dict, target: dict
    ) -> None:
        if after["owner"] != before["owner"] and not ctx.is_admin:
            raise Forbidden("Owner can't be updated by non admin.")
        if after["visibility"] != before["visibility"]:
            self._check_visibility(ctx, after["visibility"], target)
        for name in ("disk_format", "container_format"):
            if after.get(name) != before.get(name) and image.status != status.QUEUED:
                raise Forbidden(f"Attribute {name} can be only replaced for a queued image.")

    def _check_visibility(self, ctx: RequestContext, visibility: str, target: dict) -> None:
        rule = {"public": "publicize_image", "community": "communitize_image"}.get(visibility)
        if rule:
            self.services.policy.enforce(ctx, rule, target)

    async def delete(self, ctx: RequestContext, image_id: str) -> None:
        """Delete the image and its data; protected images are refused."""
        async with self.services.db.transaction() as conn:
            image = await rows.fetch(conn, ctx, image_id)
            self.services.policy.enforce(ctx, "delete_image", await access.target(conn, ctx, image))
            if image.protected:
                raise Forbidden(f"Image {image_id} is protected and cannot be deleted.")
            # never a protected image, even one protected since it was read
            if not await rows.remove(conn, image_id):
                raise access.not_found(image_id)
        locations = image.locations
        image.status, image.updated_at = status.DELETED, utcnow()
        payload = records.notification_payload(image)
        for store_name, url in locations:
            await self.forget(store_name, url)
        for store in self.services.stores.by_name.values():
            await self._discard_partial(store, image_id)
        staging.discard_all(self.services.conf, image_id)
        await self.services.notifier.notify(ctx, "image", "image.delete", payload)

    async def forget(self, store_name: str, url: str) -> None:
        """Delete data no location points to any more; a store that fails to answer is logged."""
        store = self.services.stores.for_location(store_name)
        try:
            if store is not None:
                await store.delete(url)
        except APIError as exc:
            LOG.warning("could not delete %s from store %s: %s", url, store_name, exc.message)

    async def _discard_partial(self, store: Store, image_id: str) -> None:
        """Forget an upload a crash left unfinished; a store that fails to answer is logged."""
        try:
            await store.discard_partial(image_id)
        except (APIError, OSError) as exc:
            LOG.warning("could not discard unfinished uploads of %s: %s", image_id, exc)

    async def set_active(self, ctx: RequestContext, image_id: str, active: bool) -> None:
        """Deactivate (`active` False) or reactivate an image."""
        rule, new = ("reactivate", status.ACTIVE) if active else ("deactivate", status.DEACTIVATED)
        async with self.services.db.write() as session:
            image = await access.load(session, ctx, image_id, lock=True)
            self.services.policy.enforce(ctx, rule, await access.target(session, ctx, image))
            if image.status not in (status.ACTIVE, status.DEACTIVATED):
                raise Forbidden(f"Not allowed to {rule} image in status '{image.status}'")
            changed = image.status != new
            image.status = new
            if changed:
                image.updated_at = utcnow()
        if changed:
            await self.services.notifier.notify(
                ctx, "image", "image.update", records.notification_payload(image)
            )


def _image_id(raw: Any) -> str:
    """A client's id for a new image: a UUID in its hyphenated form, as Glance's schema says."""
    if not isinstance(raw, str) or not _UUID.fullmatch(raw):
        raise BadRequest(f"Invalid image id {raw!r}: a hyphenated UUID is required.")
    return raw.lower()


def _new_row(entity: dict[str, Any]) -> ImageRow:
    """The ImageRow of a new image with the attributes of `entity`."""
    now = utcnow()
    columns = {name: entity.get(name) for name in records.CORE}
    return ImageRow(
        **columns,
        created_at=now,
        updated_at=now,
        properties={
            k: v for k, v in entity.items() if k not in records.CORE and k not in _NOT_PROPS
        },
        tags=sorted(dict.fromkeys(entity.get("tags") or [])),
    )


def _assign(image: Image, entity: dict[str, Any]) -> None:
    """Copy writable core attributes, extra properties and tags from `entity` onto `image`."""
    for name in records.CORE:
        if name in entity and name in records.WRITABLE_CORE:
            setattr(image, name, entity[name])
    wanted = {k: v for k, v in entity.items() if k not in records.CORE and k not in _NOT_PROPS}
    current = {p.name: p for p in image.properties}
    for name, prop in current.items():
        if name not in wanted:
            image.properties.remove(prop)
        elif prop.value != wanted[name]:
            prop.value = wanted[name]
    image.properties.extend(
        ImageProperty(name=k, value=v) for k, v in wanted.items() if k not in current
    )
    tags = dict.fromkeys(entity.get("tags") or [])
    have = {t.value: t for t in image.tags}
    for value, tag in have.items():
        if value not in tags:
            image.tags.remove(tag)
    image.tags.extend(ImageTag(value=v) for v in tags if v not in have)


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_NOT_PROPS = frozenset({"created_at", "updated_at", "tags", "stores"})
