"""Messages: post a batch, list, get one or many, delete one or many, pop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from kilocloud.core.errors import Forbidden, NotFound
from kilocloud.core.policy import Policy
from kilocloud.messaging.errors import InvalidRequest
from kilocloud.messaging.service import limits
from kilocloud.messaging.service.caller import Caller, enforce, now
from kilocloud.messaging.service.queues import Queues
from kilocloud.messaging.storage.base import ClaimConflict, ListQuery, Message, NewMessage

MAX_IDS = 20
Publish = Callable[[str, str, list[Message]], None]


class Messages:
    """Message operations on the queues (or topics) of `queues`."""

    def __init__(self, queues: Queues, policy: Policy, publish: Publish | None = None) -> None:
        self.queues, self.store, self.policy = queues, queues.store, policy
        self.opts = queues.opts
        self.publish = publish

    async def post(self, caller: Caller, queue: str, doc: Any, size: int) -> list[str]:
        """Store a batch of messages (creating the queue if needed); their ids in order."""
        enforce(self.policy, caller, "messages:create")
        meta = await self.queues.metadata(caller, self.queues.name(queue), create=True)
        max_size = meta.get("_max_messages_post_size") or self.opts.max_messages_post_size
        if size > max_size:
            raise InvalidRequest(f"Message collection size is too large. Max size {max_size}")
        batch = self._batch(doc, meta)
        space, at = self.queues.space(caller), now()
        ids = await self.store.post(space, queue, batch, caller.client_id, at)
        if self.publish is not None:
            self.publish(space, queue, _posted(ids, batch, caller.client_id, at))
        return ids

    def _batch(self, doc: Any, meta: dict[str, Any]) -> list[NewMessage]:
        items = doc.get("messages") if isinstance(doc, dict) else None
        if not isinstance(items, list) or not items:
            raise InvalidRequest("No messages to enqueue.")
        if len(items) > self.opts.max_messages_per_page:
            raise InvalidRequest(
                f"No more than {self.opts.max_messages_per_page} messages may be posted at once."
            )
        ttl = meta.get("_default_message_ttl") or self.opts.default_message_ttl
        delay = meta.get("_default_message_delay") or self.opts.default_message_delay
        return [self._message(item, ttl, delay) for item in items]

    def _message(self, item: Any, ttl: int, delay: int) -> NewMessage:
        if not isinstance(item, dict) or "body" not in item:
            raise InvalidRequest("Each message must be an object with a body.")
        try:
            body = orjson.dumps(item["body"])
        except orjson.JSONEncodeError:
            raise InvalidRequest("The message body is nested too deeply.") from None
        return NewMessage(
            body,
            limits.message_ttl(item.get("ttl", ttl), self.opts),
            limits.message_delay(item.get("delay", delay), self.opts),
        )

    async def list(self, caller: Caller, queue: str, query: ListQuery) -> list[Message]:
        """A page of live messages, oldest first."""
        enforce(self.policy, caller, "messages:get_all")
        query.limit = limits.page_limit(query.limit, self.opts.max_messages_per_page)
        space = self.queues.space(caller)
        return await self.store.list_messages(space, self.queues.name(queue), query, now())

    async def get(self, caller: Caller, queue: str, message_id: str) -> Message:
        """One live message; 404 when there is none."""
        enforce(self.policy, caller, "messages:get")
        if not limits.resource_id(message_id):
            raise NotFound("Message not found.")
        found = await self.store.get_messages(
            self.queues.space(caller), self.queues.name(queue), [message_id], now()
        )
        if not found:
            raise NotFound("Message not found.")
        return found[0]

    async def get_many(self, caller: Caller, queue: str, ids: list[str]) -> list[Message]:
        """The live messages among `ids`; 404 when none is."""
        enforce(self.policy, caller, "messages:get_all")
        found = await self.store.get_messages(
            self.queues.space(caller), self.queues.name(queue), _ids(ids), now()
        )
        if not found:
            raise NotFound("No messages with IDs: " + ",".join(ids))
        return found

    async def delete(
        self, caller: Caller, queue: str, message_id: str, claim_id: str | None
    ) -> None:
        """Delete one message; a claimed one only with the claim that holds it."""
        enforce(self.policy, caller, "messages:delete")
        if claim_id is not None and not limits.resource_id(claim_id):
            raise Forbidden("The message is not claimed by the given claim.")
        if not limits.resource_id(message_id):
            return
        space = self.queues.space(caller)
        try:
            await self.store.delete_message(
                space, self.queues.name(queue), message_id, claim_id, now()
            )
        except ClaimConflict as exc:
            if exc.args[0] is None:
                raise Forbidden("The message is not claimed by the given claim.") from None
            raise Forbidden("A claimed message can only be deleted with its claim_id.") from None

    async def delete_many(self, caller: Caller, queue: str, ids: list[str]) -> None:
        """Delete the messages among `ids`."""
        enforce(self.policy, caller, "messages:delete_all")
        space, wanted = self.queues.space(caller), _ids(ids)
        if wanted:
            await self.store.delete_messages(space, self.queues.name(queue), wanted, now())

    async def pop(self, caller: Caller, queue: str, count: Any) -> list[Message]:
        """Delete and return up to `count` free messages."""
        enforce(self.policy, caller, "messages:delete_all")
        count = limits.integer(count, "pop", 1, self.opts.max_messages_per_claim_or_pop)
        space = self.queues.space(caller)
        return await self.store.pop(space, self.queues.name(queue), count, now())


def _ids(ids: list[str]) -> list[str]:
    """The well-formed ids among `ids` (others name no message)."""
    ids = [i for i in ids if i]
    if not ids:
        raise InvalidRequest("No message ids given.")
    if len(ids) > MAX_IDS:
        raise InvalidRequest(f"No more than {MAX_IDS} message ids may be given.")
    return [i for i in ids if limits.resource_id(i)]


def _posted(ids: list[str], batch: list[NewMessage], client: str, at: float) -> list[Message]:
    return [
        Message(i, 0, m.body, m.ttl, at, at + m.ttl, client, "", delay_until=at + m.delay)
        for i, m in zip(ids, batch, strict=True)
    ]
