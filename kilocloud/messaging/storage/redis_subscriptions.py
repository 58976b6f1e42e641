"""Subscriptions on the Redis message store."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import orjson
import redis.asyncio as aioredis
from redis.commands.core import AsyncScript

from kilocloud.messaging.storage.base import DuplicateSubscriber, Subscription

MARGIN = 300


def _record(sub_id: str, raw: dict[bytes, bytes]) -> Subscription:
    return Subscription(
        id=sub_id,
        source=raw[b"q"].decode(),
        subscriber=raw[b"s"].decode(),
        ttl=int(raw[b"t"]),
        options=orjson.loads(raw[b"o"]),
        created=float(raw[b"c"]),
        expires=float(raw[b"e"]),
        confirmed=raw[b"f"] == b"1",
    )


class RedisSubscriptions:
    """The subscription half of RedisStore."""

    redis: aioredis.Redis
    _subscribe: AsyncScript
    k: Callable[..., str]

    async def create_subscription(
        self, project: str, queue: str, subscriber: str, ttl: int, options: dict, now: float
    ) -> str:
        """The new subscription's id; DuplicateSubscriber if the subscriber is taken."""
        sub_id = uuid.uuid4().hex
        fields = {
            "q": queue,
            "s": subscriber,
            "t": ttl,
            "o": orjson.dumps(options),
            "c": now,
            "e": now + ttl,
            "f": "0",
        }
        keys = [
            self.k("subidx", project, queue),
            self.k("sub", project, queue, sub_id),
            self.k("subs", project, queue),
        ]
        args: list[Any] = [subscriber, sub_id, now, self.k("sub", project, queue, "")]
        for name, value in fields.items():
            args += [name, value]
        if not await self._subscribe(keys=keys, args=args):
            raise DuplicateSubscriber(subscriber)
        await self.redis.expireat(keys[1], int(now + ttl + MARGIN))
        return sub_id

    async def _get(self, project: str, queue: str, sub_id: str, now: float) -> Subscription | None:
        raw = await self.redis.hgetall(self.k("sub", project, queue, sub_id))
        if not raw or float(raw[b"e"]) <= now:
            return None
        return _record(sub_id, raw)

    async def get_subscription(
        self, project: str, queue: str, sub_id: str, now: float
    ) -> Subscription | None:
        """A live subscription."""
        return await self._get(project, queue, sub_id, now)

    async def list_subscriptions(
        self, project: str, queue: str, marker: str | None, limit: int, now: float
    ) -> list[Subscription]:
        """Live subscriptions of the queue, in id order after `marker`."""
        zset = self.k("subs", project, queue)
        start = f"({marker}" if marker else "-"
        out: list[Subscription] = []
        while len(out) < limit:
            ids = await self.redis.zrangebylex(zset, start, "+", 0, limit)
            if not ids:
                break
            start = f"({ids[-1].decode()}"
            for i in ids:
                sub = await self._get(project, queue, i.decode(), now)
                if sub is not None:
                    out.append(sub)
        return out[:limit]

    async def update_subscription(
        self, project: str, queue: str, sub_id: str, changes: dict[str, Any], now: float
    ) -> bool:
        """Apply subscriber/ttl/options/confirmed changes; False when there is none."""
        sub = await self._get(project, queue, sub_id, now)
        if sub is None:
            return False
        key = self.k("sub", project, queue, sub_id)
        if "subscriber" in changes and changes["subscriber"] != sub.subscriber:
            index = self.k("subidx", project, queue)
            if not await self.redis.hsetnx(index, changes["subscriber"], sub_id):
                raise DuplicateSubscriber(changes["subscriber"])
            await self.redis.hdel(index, sub.subscriber)
            await self.redis.hset(key, "s", changes["subscriber"])
        if "ttl" in changes:
            await self.redis.hset(key, mapping={"t": changes["ttl"], "e": now + changes["ttl"]})
            await self.redis.expireat(key, int(now + changes["ttl"] + MARGIN))
        if "options" in changes:
            await self.redis.hset(key, "o", orjson.dumps(changes["options"]))
        if "confirmed" in changes:
            await self.redis.hset(key, "f", "1" if changes["confirmed"] else "0")
        return True

    async def delete_subscription(self, project: str, queue: str, sub_id: str) -> None:
        """Forget a subscription."""
        key = self.k("sub", project, queue, sub_id)
        subscriber = await self.redis.hget(key, "s")
        async with self.redis.pipeline(transaction=True) as pipe:
            if subscriber is not None:
                pipe.hdel(self.k("subidx", project, queue), subscriber)
            pipe.delete(key)
            pipe.zrem(self.k("subs", project, queue), sub_id)
            await pipe.execute()

    async def purge_subscriptions(self, project: str, queue: str) -> None:
        """Forget every subscription of the queue."""
        ids = await self.redis.zrange(self.k("subs", project, queue), 0, -1)
        keys = [self.k("sub", project, queue, i.decode()) for i in ids]
        await self.redis.delete(
            *keys, self.k("subs", project, queue), self.k("subidx", project, queue)
        )
