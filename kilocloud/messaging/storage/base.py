"""The storage protocol every messaging backend implements, and the records it deals in."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Protocol

BACKENDS = {
    "sqlalchemy": "kilocloud.messaging.storage.sql:SQLStore",
    "redis": "kilocloud.messaging.storage.redis:RedisStore",
}


def new_ids(n: int) -> list[str]:
    """`n` random 128-bit message ids in hex, from one read of the OS's random source."""
    pool = os.urandom(16 * n).hex()
    return [pool[i : i + 32] for i in range(0, 32 * n, 32)]


@dataclass
class NewMessage:
    """A message as posted: its body (serialized JSON), TTL and delay."""

    body: bytes
    ttl: int
    delay: int = 0


@dataclass
class Message:
    """A stored message; times are UNIX seconds."""

    id: str
    marker: int
    body: bytes
    ttl: int
    created: float
    expires: float
    client_id: str
    checksum: str
    delay_until: float = 0.0
    claim_id: str | None = None
    claim_expires: float = 0.0
    claim_count: int = 0

    def claimed(self, now: float) -> bool:
        """Whether a claim holds this message at `now`."""
        return self.claim_id is not None and self.claim_expires > now


@dataclass
class ListQuery:
    """Filters of a message listing."""

    client_id: str
    limit: int
    marker: int = 0
    echo: bool = False
    include_claimed: bool = False
    include_delayed: bool = False


@dataclass
class ClaimSpec:
    """What to claim: how long, how many, and where messages claimed too often go."""

    ttl: int
    grace: int
    limit: int
    max_claim_count: int = 0
    dead_letter_queue: str | None = None
    dead_letter_ttl: int | None = None


@dataclass
class Claim:
    """A claim and the messages it holds."""

    id: str
    ttl: int
    grace: int
    created: float
    expires: float
    messages: list[Message] = field(default_factory=list)


@dataclass
class Subscription:
    """A subscriber (URI) of a queue's messages."""

    id: str
    source: str
    subscriber: str
    ttl: int
    options: dict[str, Any]
    created: float
    expires: float
    confirmed: bool = False


@dataclass
class Stats:
    """Counts of a queue's live messages, and its oldest and newest."""

    free: int = 0
    claimed: int = 0
    delayed: int = 0
    oldest: Message | None = None
    newest: Message | None = None

    @property
    def total(self) -> int:
        return self.free + self.claimed + self.delayed


class DuplicateSubscriber(Exception):
    """The queue already has a subscription for that subscriber."""


class ClaimConflict(Exception):
    """A delete names a claim that does not hold the message (or omits a holding claim)."""


class MessageStore(Protocol):
    """Queues, messages, claims and subscriptions, per project; `now` is UNIX seconds."""

    async def create_queue(self, project: str, name: str, metadata: dict[str, Any]) -> bool:
        """Create the queue; False (and no change) when it already exists."""
        ...

    async def queue_metadata(self, project: str, name: str) -> dict[str, Any] | None:
        """The queue's metadata, or None when there is no such queue."""
        ...

    async def set_queue_metadata(self, project: str, name: str, metadata: dict) -> bool:
        """Replace the metadata; False when there is no such queue."""
        ...

    async def delete_queue(self, project: str, name: str) -> None:
        """Delete the queue with its messages, claims and subscriptions."""
        ...

    async def list_queues(
        self, project: str, marker: str | None, limit: int
    ) -> list[tuple[str, dict[str, Any]]]:
        """(name, metadata) of queues named after `marker`, in name order."""
        ...

    async def count_queues(self, project: str) -> int:
        """How many queues the project has."""
        ...

    async def post(
        self, project: str, queue: str, messages: list[NewMessage], client_id: str, now: float
    ) -> list[str]:
        """Append messages in order; their ids."""
        ...

    async def list_messages(
        self, project: str, queue: str, query: ListQuery, now: float
    ) -> list[Message]:
        """Live messages after `query.marker`, oldest first."""
        ...

    async def get_messages(
        self, project: str, queue: str, ids: list[str], now: float
    ) -> list[Message]:
        """The live messages among `ids`."""
        ...

    async def delete_message(
        self, project: str, queue: str, message_id: str, claim_id: str | None, now: float
    ) -> None:
        """Delete one message; ClaimConflict unless `claim_id` matches its live claim."""
        ...

    async def delete_messages(self, project: str, queue: str, ids: list[str], now: float) -> None:
        """Delete the messages among `ids`, claimed or not."""
        ...

    async def pop(self, project: str, queue: str, limit: int, now: float) -> list[Message]:
        """Delete and return up to `limit` free messages, oldest first."""
        ...

    async def stats(self, project: str, queue: str, now: float) -> Stats:
        """Counts of live messages."""
        ...

    async def purge_messages(self, project: str, queue: str) -> None:
        """Delete every message and claim of the queue."""
        ...

    async def claim(self, project: str, queue: str, spec: ClaimSpec, now: float) -> Claim | None:
        """Claim up to `spec.limit` free messages; None when there is none."""
        ...

    async def get_claim(self, project: str, queue: str, claim_id: str, now: float) -> Claim | None:
        """A live claim with its messages."""
        ...

    async def renew_claim(
        self, project: str, queue: str, claim_id: str, ttl: int, grace: int, now: float
    ) -> bool:
        """Extend a live claim from `now`; False when there is none."""
        ...

    async def release_claim(self, project: str, queue: str, claim_id: str, now: float) -> None:
        """Release a claim's messages and forget the claim."""
        ...

    async def create_subscription(
        self, project: str, queue: str, subscriber: str, ttl: int, options: dict, now: float
    ) -> str:
        """The new subscription's id; DuplicateSubscriber if the subscriber is taken."""
        ...

    async def get_subscription(
        self, project: str, queue: str, sub_id: str, now: float
    ) -> Subscription | None:
        """A live subscription."""
        ...

    async def list_subscriptions(
        self, project: str, queue: str, marker: str | None, limit: int, now: float
    ) -> list[Subscription]:
        """Live subscriptions of the queue, in id order after `marker`."""
        ...

    async def update_subscription(
        self, project: str, queue: str, sub_id: str, changes: dict[str, Any], now: float
    ) -> bool:
        """Apply subscriber/ttl/options/confirmed changes; False when there is none."""
        ...

    async def delete_subscription(self, project: str, queue: str, sub_id: str) -> None:
        """Forget a subscription."""
        ...

    async def purge_subscriptions(self, project: str, queue: str) -> None:
        """Forget every subscription of the queue."""
        ...

    async def collect_garbage(self, now: float) -> None:
        """Drop expired messages, claims and subscriptions."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
