"""Queues: create, list, show, update metadata by JSON patch, delete, stats, purge."""

from __future__ import annotations

import time
from typing import Any

import orjson
from oslo_config import cfg

from kilocloud.core.errors import NotFound
from kilocloud.core.notify import Notifier
from kilocloud.core.policy import Policy
from kilocloud.messaging.config import transport_limits
from kilocloud.messaging.errors import InvalidRequest
from kilocloud.messaging.service import limits, metadata
from kilocloud.messaging.service.caller import Caller, enforce, now
from kilocloud.messaging.storage.base import MessageStore, Stats

META_CACHE_SECONDS = 1.0
RESOURCE_TYPES = ("messages", "subscriptions")


class Queues:
    """Queue operations of one project-scoped namespace (queues, or topics)."""

    def __init__(
        self,
        store: MessageStore,
        policy: Policy,
        conf: cfg.ConfigOpts,
        notifier: Notifier | None = None,
        kind: str = "queues",
    ) -> None:
        self.store, self.policy, self.opts = store, policy, transport_limits(conf)
        self.notifier, self.kind = notifier, kind
        self._meta: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}

    async def notify(self, caller: Caller, event: str, name: str, **extra: Any) -> None:
        """Emit `queue.<event>` (or `topic.<event>`) about one of the caller's queues."""
        if self.notifier is not None:
            event_type = f"{self.kind.removesuffix('s')}.{event}"
            payload = {"project_id": caller.project, "name": name, **extra}
            await self.notifier.notify(caller.ctx, "messaging", event_type, payload)

    def enforce(self, caller: Caller, rule: str) -> None:
        """Raise Forbidden unless the caller passes `rule` on its project."""
        enforce(self.policy, caller, rule)

    def space(self, caller: Caller) -> str:
        """The storage project of the caller's queues (topics live apart)."""
        return caller.project if self.kind == "queues" else f"{caller.project}#topics"

    def name(self, name: str) -> str:
        """A valid queue (or topic) name."""
        return limits.queue_name(name, "Queue" if self.kind == "queues" else "Topic")

    async def metadata(self, caller: Caller, name: str, create: bool = False) -> dict | None:
        """The queue's metadata, briefly cached; created empty if missing and `create`."""
        key = (self.space(caller), name)
        hit = self._meta.get(key)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        meta = await self.store.queue_metadata(*key)
        if meta is None and create:
            await self.store.create_queue(*key, {})
            meta = {}
        if meta is not None:
            self._meta[key] = (time.monotonic() + META_CACHE_SECONDS, meta)
        return meta

    async def create(self, caller: Caller, name: str, metadata: dict[str, Any]) -> bool:
        """Create (or re-create) a queue; whether it is new."""
        enforce(self.policy, caller, f"{self.kind}:create")
        size = len(orjson.dumps(metadata))
        limits.queue_metadata(metadata, self.opts, size)
        self._meta.pop((self.space(caller), self.name(name)), None)
        created = await self.store.create_queue(self.space(caller), name, metadata)
        if created:
            await self.notify(caller, "create", name)
        return created

    async def list(
        self, caller: Caller, marker: str | None, limit: int | None, with_count: bool
    ) -> tuple[list[tuple[str, dict]], int | None]:
        """A page of queues and, when asked, how many there are in all."""
        enforce(self.policy, caller, f"{self.kind}:get_all")
        limit = limits.page_limit(self.opts.max_queues_per_page if limit is None else limit, 1000)
        marker = limits.marker(marker, self.name)
        page = await self.store.list_queues(self.space(caller), marker, limit)
        count = await self.store.count_queues(self.space(caller)) if with_count else None
        return page, count

    async def get(self, caller: Caller, name: str) -> dict[str, Any]:
        """The queue's metadata; 404 when there is no such queue."""
        enforce(self.policy, caller, f"{self.kind}:get")
        meta = await self.store.queue_metadata(self.space(caller), self.name(name))
        if meta is None:
            raise NotFound(f"Queue {name} does not exist.")
        return meta

    async def update(self, caller: Caller, name: str, patch: Any) -> dict[str, Any]:
        """Apply a JSON patch on /metadata/...; the new metadata."""
        enforce(self.policy, caller, f"{self.kind}:update")
        ops = metadata.checked(patch)
        meta = await self.store.queue_metadata(self.space(caller), self.name(name))
        if meta is None:
            raise NotFound(f"Queue {name} does not exist.")
        new = metadata.patched(meta, ops, metadata.reserved(self.opts, self.kind))
        limits.queue_metadata(new, self.opts, len(orjson.dumps(new)))
        await self.store.set_queue_metadata(self.space(caller), name, new)
        self._meta.pop((self.space(caller), name), None)
        await self.notify(caller, "update", name)
        return new

    def shown(self, meta: dict[str, Any]) -> dict[str, Any]:
        """Metadata as the HTTP API shows it, with the reserved attributes' defaults."""
        return metadata.shown(meta, metadata.reserved(self.opts, self.kind))

    async def delete(self, caller: Caller, name: str) -> None:
        """Delete the queue, its messages, claims and subscriptions."""
        enforce(self.policy, caller, f"{self.kind}:delete")
        self._meta.pop((self.space(caller), self.name(name)), None)
        await self.store.delete_queue(self.space(caller), name)
        await self.notify(caller, "delete", name)

    async def stats(self, caller: Caller, name: str) -> Stats:
        """Message counts of the queue."""
        enforce(self.policy, caller, f"{self.kind}:stats")
        return await self.store.stats(self.space(caller), self.name(name), now())

    async def purge(self, caller: Caller, name: str, resource_types: Any) -> None:
        """Delete the queue's messages and/or subscriptions."""
        enforce(self.policy, caller, f"{self.kind}:purge")
        kinds = resource_types or list(RESOURCE_TYPES)
        if not isinstance(kinds, list) or not set(kinds) <= set(RESOURCE_TYPES):
            raise InvalidRequest("resource_types must be a list of 'messages', 'subscriptions'.")
        if "messages" in kinds:
            await self.store.purge_messages(self.space(caller), self.name(name))
        if "subscriptions" in kinds:
            await self.store.purge_subscriptions(self.space(caller), name)
        await self.notify(caller, "purge", name, resource_types=kinds)
