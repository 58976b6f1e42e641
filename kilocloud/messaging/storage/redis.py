"""The Redis message store: hashes per message, sorted sets per queue, Lua for atomicity."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import orjson
import redis.asyncio as aioredis

from kilocloud.deps import Services
from kilocloud.messaging.storage import redis_scripts as lua
from kilocloud.messaging.storage.base import (
    Claim,
    ClaimConflict,
    ClaimSpec,
    ListQuery,
    Message,
    NewMessage,
    Stats,
    new_ids,
)
from kilocloud.messaging.storage.redis_subscriptions import RedisSubscriptions

# Keys outlive their logical expiry by this long, so Redis drops what nobody deletes.
MARGIN = 300
FIELDS = ("b", "t", "c", "e", "d", "k", "h", "ci", "ce", "cc", "s")
SCAN = 200


def record(message_id: str, v: list[Any]) -> Message | None:
    """The message in HMGET `FIELDS` values, or None when the hash is gone."""
    if v[0] is None:
        return None
    return Message(
        id=message_id,
        marker=int(v[10]),
        body=v[0],
        ttl=int(v[1]),
        created=float(v[2]),
        expires=float(v[3]),
        delay_until=float(v[4]),
        client_id=v[5].decode(),
        checksum=v[6].decode(),
        claim_id=v[7].decode() or None,
        claim_expires=float(v[8]),
        claim_count=int(v[9]),
    )


class RedisStore(RedisSubscriptions):
    """Every message store operation on one Redis database, under `prefix`."""

    def __init__(self, url: str, prefix: str) -> None:
        self.redis = aioredis.from_url(url)
        self.prefix = prefix
        self._post = self.redis.register_script(lua.POST)
        self._claim = self.redis.register_script(lua.CLAIM)
        self._pop = self.redis.register_script(lua.POP)
        self._delete = self.redis.register_script(lua.DELETE)
        self._renew = self.redis.register_script(lua.RENEW)
        self._release = self.redis.register_script(lua.RELEASE)
        self._subscribe = self.redis.register_script(lua.SUBSCRIBE)

    @classmethod
    def from_services(cls, services: Services) -> RedisStore:
        """The store `[drivers:message_store:redis]` describes."""
        opts = services.conf["drivers:message_store:redis"]
        return cls(opts.uri, opts.key_prefix)

    def k(self, *parts: str) -> str:
        """A key of this store."""
        return ":".join((self.prefix, *parts))

    async def create_queue(self, project: str, name: str, metadata: dict[str, Any]) -> bool:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(self.k("queues", project), {name: 0})
            pipe.set(self.k("meta", project, name), orjson.dumps(metadata), nx=True)
            added, _ = await pipe.execute()
        return bool(added)

    async def queue_metadata(self, project: str, name: str) -> dict[str, Any] | None:
        raw = await self.redis.get(self.k("meta", project, name))
        return None if raw is None else orjson.loads(raw)

    async def set_queue_metadata(self, project: str, name: str, metadata: dict) -> bool:
        key = self.k("meta", project, name)
        return bool(await self.redis.set(key, orjson.dumps(metadata), xx=True))

    async def delete_queue(self, project: str, name: str) -> None:
        await self.redis.zrem(self.k("queues", project), name)
        await self.redis.delete(self.k("meta", project, name))
        await self.purge_messages(project, name)
        await self.purge_subscriptions(project, name)

    async def list_queues(
        self, project: str, marker: str | None, limit: int
    ) -> list[tuple[str, dict[str, Any]]]:
        start = f"({marker}" if marker else "-"
        names = await self.redis.zrangebylex(self.k("queues", project), start, "+", 0, limit)
        if not names:
            return []
        metas = await self.redis.mget([self.k("meta", project, n.decode()) for n in names])
        return [(n.decode(), orjson.loads(m or b"{}")) for n, m in zip(names, metas, strict=True)]

    async def count_queues(self, project: str) -> int:
        return await self.redis.zcard(self.k("queues", project))

    async def post(
        self, project: str, queue: str, messages: list[NewMessage], client_id: str, now: float
    ) -> list[str]:
        ids = new_ids(len(messages))
        args: list[Any] = [self.k("m", project, queue, ""), now, client_id, MARGIN]
        for i, m in zip(ids, messages, strict=True):
            args += [i, m.body, m.ttl, m.delay, "MD5:" + hashlib.md5(m.body).hexdigest()]
        keys = [self.k("seq", project, queue), self.k("msgs", project, queue)]
        await self._post(keys=keys, args=args)
        return ids

    async def _fetch(self, project: str, queue: str, ids: list[str]) -> list[Message | None]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for i in ids:
                pipe.hmget(self.k("m", project, queue, i), FIELDS)
            values = await pipe.execute()
        return [record(i, v) for i, v in zip(ids, values, strict=True)]

    async def _scan(self, project: str, queue: str, after: int, count: int) -> list[Message]:
        """Up to `count` stored messages (live or not) after sequence `after`."""
        zset = self.k("msgs", project, queue)
        ids = await self.redis.zrangebyscore(zset, f"({after}", "+inf", 0, count)
        found = await self._fetch(project, queue, [i.decode() for i in ids])
        return [m for m in found if m is not None]

    async def list_messages(
        self, project: str, queue: str, query: ListQuery, now: float
    ) -> list[Message]:
        out: list[Message] = []
        after, size = query.marker, query.limit
        while len(out) < query.limit:
            batch = await self._scan(project, queue, after, size)
            if not batch:
                break
            after, size = batch[-1].marker, min(size * 2, SCAN)
            out += [m for m in batch if _visible(m, query, now)]
        return out[: query.limit]

    async def get_messages(
        self, project: str, queue: str, ids: list[str], now: float
    ) -> list[Message]:
        found = await self._fetch(project, queue, ids)
        live = [m for m in found if m is not None and m.expires > now]
        return sorted(live, key=lambda m: m.marker)

    async def delete_message(
        self, project: str, queue: str, message_id: str, claim_id: str | None, now: float
    ) -> None:
        keys = [self.k("msgs", project, queue), self.k("m", project, queue, message_id)]
        result = await self._delete(keys=keys, args=[message_id, claim_id or "", now])
        if result[0]:
            raise ClaimConflict(result[1].decode() or None)

    async def delete_messages(self, project: str, queue: str, ids: list[str], now: float) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(*[self.k("m", project, queue, i) for i in ids])
            pipe.zrem(self.k("msgs", project, queue), *ids)
            await pipe.execute()

    async def pop(self, project: str, queue: str, limit: int, now: float) -> list[Message]:
        keys = [self.k("msgs", project, queue)]
        flat = await self._pop(keys=keys, args=[self.k("m", project, queue, ""), now, limit])
        out = []
        for o in range(0, len(flat), 8):
            i, body, ttl, created, client, checksum, seq, expires = flat[o : o + 8]
            out.append(
                Message(
                    i.decode(),
                    int(seq),
                    body,
                    int(ttl),
                    float(created),
                    float(expires),
                    client.decode(),
                    checksum.decode(),
                )
            )
        return out

    async def stats(self, project: str, queue: str, now: float) -> Stats:
        stats, after = Stats(), 0
        while batch := await self._scan(project, queue, after, 1000):
            after = batch[-1].marker
            for m in (m for m in batch if m.expires > now):
                if m.claimed(now):
                    stats.claimed += 1
                elif m.delay_until > now:
                    stats.delayed += 1
                else:
                    stats.free += 1
                stats.oldest = stats.oldest or m
                stats.newest = m
        return stats

    async def purge_messages(self, project: str, queue: str) -> None:
        zset = self.k("msgs", project, queue)
        while ids := await self.redis.zrange(zset, 0, 999):
            names = [i.decode() for i in ids]
            await self.redis.delete(*[self.k("m", project, queue, i) for i in names])
            await self.redis.zrem(zset, *names)
        claims = [key async for key in self.redis.scan_iter(self.k("claim*", project, queue, "*"))]
        if claims:
            await self.redis.delete(*claims)

    async def claim(self, project: str, queue: str, spec: ClaimSpec, now: float) -> Claim | None:
        cid, dlq = uuid.uuid4().hex, spec.dead_letter_queue or ""
        keys = [
            self.k("msgs", project, queue),
            self.k("claim", project, queue, cid),
            self.k("claimset", project, queue, cid),
            self.k("seq", project, dlq),
            self.k("msgs", project, dlq),
            self.k("queues", project),
            self.k("meta", project, dlq),
        ]
        args = [
            self.k("m", project, queue, ""),
            now,
            cid,
            spec.ttl,
            spec.grace,
            spec.limit,
            spec.max_claim_count,
            dlq,
            spec.dead_letter_ttl or "",
            self.k("m", project, dlq, ""),
            MARGIN,
        ]
        ids = await self._claim(keys=keys, args=args)
        if not ids:
            return None
        found = await self._fetch(project, queue, [i.decode() for i in ids])
        messages = [m for m in found if m is not None]
        return Claim(cid, spec.ttl, spec.grace, now, now + spec.ttl, messages)

    async def get_claim(self, project: str, queue: str, claim_id: str, now: float) -> Claim | None:
        raw = await self.redis.hgetall(self.k("claim", project, queue, claim_id))
        if not raw or float(raw[b"e"]) <= now:
            return None
        ids = await self.redis.smembers(self.k("claimset", project, queue, claim_id))
        found = await self._fetch(project, queue, [i.decode() for i in ids])
        held = [m for m in found if m and m.claim_id == claim_id and m.expires > now]
        ttl, grace = int(raw[b"t"]), int(raw[b"g"])
        held.sort(key=lambda m: m.marker)
        return Claim(claim_id, ttl, grace, float(raw[b"c"]), float(raw[b"e"]), held)

    async def renew_claim(
        self, project: str, queue: str, claim_id: str, ttl: int, grace: int, now: float
    ) -> bool:
        keys = [
            self.k("claim", project, queue, claim_id),
            self.k("claimset", project, queue, claim_id),
        ]
        args = [self.k("m", project, queue, ""), claim_id, now, ttl, grace, MARGIN]
        return bool(await self._renew(keys=keys, args=args))

    async def release_claim(self, project: str, queue: str, claim_id: str, now: float) -> None:
        keys = [
            self.k("claim", project, queue, claim_id),
            self.k("claimset", project, queue, claim_id),
        ]
        await self._release(keys=keys, args=[self.k("m", project, queue, ""), claim_id])

    async def collect_garbage(self, now: float) -> None:
        # Hashes expire by themselves; sorted-set entries of expired messages are dropped
        # as readers walk past them.
        return None

    async def close(self) -> None:
        await self.redis.aclose()


def _visible(m: Message, query: ListQuery, now: float) -> bool:
    return (
        m.expires > now
        and (query.include_claimed or not m.claimed(now))
        and (query.include_delayed or m.delay_until <= now)
        and (query.echo or m.client_id != query.client_id)
    )
