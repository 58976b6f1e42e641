"""The message store contract, run on SQLite, MariaDB, PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from kilocloud import migrations
from kilocloud.core.db import Database
from kilocloud.messaging import models
from kilocloud.messaging.storage.base import (
    ClaimConflict,
    ClaimSpec,
    DuplicateSubscriber,
    ListQuery,
    MessageStore,
    NewMessage,
)
from kilocloud.messaging.storage.redis import RedisStore
from kilocloud.messaging.storage.sql import SQLStore

pytestmark = pytest.mark.asyncio(loop_scope="session")

NOW = 1_800_000_000.0
P, Q = "p1", "q1"
SERVERS = {
    "mariadb": "mysql+asyncmy://root@127.0.0.1:3306",
    "postgresql": "postgresql+asyncpg://postgres@127.0.0.1:5432",
}
TABLES = [models.Message, models.Claim, models.Subscription, models.Queue, models.QueueCounter]


async def _throwaway_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a new, empty database on `backend`."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('msg')}/messaging.db"
    name = f"kc_msg_{uuid.uuid4().hex[:10]}"
    await _admin(backend, f"CREATE DATABASE {name}")
    return f"{SERVERS[backend]}/{name}"


async def _admin(backend: str, statement: str) -> None:
    admin = create_async_engine(
        SERVERS[backend] + ("/postgres" if backend == "postgresql" else ""),
        isolation_level="AUTOCOMMIT",
    )
    async with admin.connect() as conn:
        await conn.execute(text(statement))
    await admin.dispose()


@pytest.fixture(scope="session")
async def databases(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict]:
    """One migrated throwaway database per SQL backend, made on first use."""
    made: dict[str, Database] = {}
    yield made
    for backend, db in made.items():
        await db.dispose()
        if backend in SERVERS:
            await _admin(backend, f"DROP DATABASE {db.engine.url.database}")


async def _database(made: dict, backend: str, tmp: pytest.TempPathFactory) -> Database:
    if backend not in made:
        made[backend] = Database(await _throwaway_database(backend, tmp))
        await migrations.upgrade(made[backend])
    return made[backend]


@pytest.fixture(params=["sqlite", "mariadb", "postgresql", "redis"])
async def store(
    request: pytest.FixtureRequest, databases: dict, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[MessageStore]:
    if request.param == "redis":
        prefix = f"kctest{uuid.uuid4().hex[:8]}"
        store = RedisStore("redis://127.0.0.1:6379/0", prefix)
        yield store
        await store.close()
        client = aioredis.from_url("redis://127.0.0.1:6379/0")
        keys = [k async for k in client.scan_iter(f"{prefix}:*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()
        return
    db = await _database(databases, request.param, tmp_path_factory)
    yield SQLStore(db)
    async with db.write() as session:
        for table in TABLES:
            await session.execute(table.__table__.delete())


def msgs(*bodies: object, ttl: int = 300, delay: int = 0) -> list[NewMessage]:
    return [NewMessage(json.dumps(b).encode(), ttl, delay) for b in bodies]


async def test_queue_create_twice_keeps_the_first(store: MessageStore) -> None:
    assert await store.create_queue(P, Q, {"a": 1})
    assert not await store.create_queue(P, Q, {"b": 2})
    assert await store.queue_metadata(P, Q) == {"a": 1}


async def test_queues_are_per_project(store: MessageStore) -> None:
    await store.create_queue(P, Q, {})
    assert await store.queue_metadata("other", Q) is None
    assert await store.list_queues("other", None, 10) == []


async def test_queue_listing_pages_in_name_order(store: MessageStore) -> None:
    for name in ["c", "a", "b", "d"]:
        await store.create_queue(P, name, {"n": name})
    first = await store.list_queues(P, None, 2)
    assert first == [("a", {"n": "a"}), ("b", {"n": "b"})]
    assert [n for n, _ in await store.list_queues(P, "b", 10)] == ["c", "d"]
    assert await store.count_queues(P) == 4


async def test_set_metadata_of_missing_queue_is_false(store: MessageStore) -> None:
    assert not await store.set_queue_metadata(P, "nope", {"x": 1})


async def test_delete_queue_drops_its_messages(store: MessageStore) -> None:
    await store.create_queue(P, Q, {})
    await store.post(P, Q, msgs(1, 2), "c1", NOW)
    await store.delete_queue(P, Q)
    assert await store.queue_metadata(P, Q) is None
    assert (await store.stats(P, Q, NOW)).total == 0


async def test_posted_messages_list_in_fifo_order(store: MessageStore) -> None:
    ids = await store.post(P, Q, msgs(*range(5)), "c1", NOW)
    listed = await store.list_messages(P, Q, ListQuery("c2", limit=10), NOW + 1)
    assert [m.id for m in listed] == ids
    assert [json.loads(m.body) for m in listed] == list(range(5))
    assert listed[0].checksum.startswith("MD5:")


async def test_listing_hides_own_messages_unless_echo(store: MessageStore) -> None:
    await store.post(P, Q, msgs("mine"), "c1", NOW)
    assert await store.list_messages(P, Q, ListQuery("c1", limit=10), NOW) == []
    echoed = await store.list_messages(P, Q, ListQuery("c1", limit=10, echo=True), NOW)
    assert len(echoed) == 1


async def test_listing_pages_with_marker(store: MessageStore) -> None:
    await store.post(P, Q, msgs(*range(5)), "c1", NOW)
    first = await store.list_messages(P, Q, ListQuery("c2", limit=2), NOW)
    rest = await store.list_messages(P, Q, ListQuery("c2", limit=10, marker=first[-1].marker), NOW)
    assert [json.loads(m.body) for m in first + rest] == list(range(5))


async def test_markers_are_not_reused_after_the_newest_message_goes(store: MessageStore) -> None:
    [first] = await store.post(P, Q, msgs("first"), "c1", NOW)
    [seen] = await store.list_messages(P, Q, ListQuery("c2", limit=10), NOW)
    await store.delete_messages(P, Q, [first], NOW)
    [second] = await store.post(P, Q, msgs("second"), "c1", NOW)
    after = await store.list_messages(P, Q, ListQuery("c2", limit=10, marker=seen.marker), NOW)
    assert [m.id for m in after] == [second]


def _sibling(store: MessageStore) -> MessageStore:
    """Another store on the same backend, with connections of its own (another API process)."""
    if isinstance(store, RedisStore):
        return RedisStore("redis://127.0.0.1:6379/0", store.prefix)
    assert isinstance(store, SQLStore)
    return SQLStore(Database(store.db.engine.url.render_as_string(hide_password=False)))


async def _close(sibling: MessageStore) -> None:
    await sibling.close()
    if isinstance(sibling, SQLStore):
        await sibling.db.dispose()


async def test_marker_paging_sees_every_concurrent_post_once(store: MessageStore) -> None:
    posters = [_sibling(store) for _ in range(6)]
    posted: list[str] = []
    seen: list[str] = []
    marker = 0

    async def post(poster: MessageStore, n: int) -> None:
        for i in range(40):
            posted.extend(await poster.post(P, Q, msgs([n, i]), "c1", NOW))

    async def page() -> bool:
        nonlocal marker
        got = await store.list_messages(P, Q, ListQuery("c2", limit=5, marker=marker), NOW)
        seen.extend(m.id for m in got)
        marker = got[-1].marker if got else marker
        return bool(got)

    try:
        posting = asyncio.gather(*(post(p, n) for n, p in enumerate(posters)))
        while not posting.done():
            await page()
            await asyncio.sleep(0)  # a read on SQLite may not yield: let the posters run
        await posting
        while await page():
            pass
    finally:
        for poster in posters:
            await _close(poster)
    assert len(seen) == len(set(seen)) == 240
    assert set(seen) == set(posted)


async def test_expired_messages_vanish(store: MessageStore) -> None:
    await store.post(P, Q, msgs("short", ttl=60), "c1", NOW)
    await store.post(P, Q, msgs("long", ttl=600), "c1", NOW)
    listed = await store.list_messages(P, Q, ListQuery("c2", limit=10), NOW + 61)
    assert [json.loads(m.body) for m in listed] == ["long"]
    await store.collect_garbage(NOW + 61)
    assert (await store.stats(P, Q, NOW + 61)).total == 1


async def test_delayed_messages_hidden_until_due(store: MessageStore) -> None:
    await store.post(P, Q, msgs("later", delay=30), "c1", NOW)
    assert await store.list_messages(P, Q, ListQuery("c2", limit=10), NOW) == []
    q = ListQuery("c2", limit=10, include_delayed=True)
    assert len(await store.list_messages(P, Q, q, NOW)) == 1
    assert await store.claim(P, Q, ClaimSpec(60, 60, 10), NOW) is None
    assert (await store.stats(P, Q, NOW)).delayed == 1
    assert len(await store.list_messages(P, Q, ListQuery("c2", limit=10), NOW + 31)) == 1


async def test_get_messages_by_id(store: MessageStore) -> None:
    ids = await store.post(P, Q, msgs("a", "b", "c"), "c1", NOW)
    got = await store.get_messages(P, Q, [ids[2], ids[0], "missing"], NOW)
    assert sorted(m.id for m in got) == sorted([ids[0], ids[2]])
    assert await store.get_messages("other", Q, ids, NOW) == []


async def test_claim_takes_oldest_free_messages(store: MessageStore) -> None:
    ids = await store.post(P, Q, msgs(*range(5)), "c1", NOW)
    claim = await store.claim(P, Q, ClaimSpec(60, 30, 3), NOW)
    assert claim is not None
    assert [m.id for m in claim.messages] == ids[:3]
    assert all(m.claim_id == claim.id and m.claim_count == 1 for m in claim.messages)
    second = await store.claim(P, Q, ClaimSpec(60, 30, 10), NOW)
    assert [m.id for m in second.messages] == ids[3:]
    assert await store.claim(P, Q, ClaimSpec(60, 30, 10), NOW) is None
    stats = await store.stats(P, Q, NOW)
    assert (stats.free, stats.claimed, stats.total) == (0, 5, 5)


async def test_claimed_messages_hidden_from_listing_unless_asked(store: MessageStore) -> None:
    await store.post(P, Q, msgs(1, 2), "c1", NOW)
    await store.claim(P, Q, ClaimSpec(60, 30, 1), NOW)
    assert len(await store.list_messages(P, Q, ListQuery("c2", limit=10), NOW)) == 1
    q = ListQuery("c2", limit=10, include_claimed=True)
    assert len(await store.list_messages(P, Q, q, NOW)) == 2


async def test_expired_claim_returns_messages(store: MessageStore) -> None:
    await store.post(P, Q, msgs("x", ttl=60), "c1", NOW)
    claim = await store.claim(P, Q, ClaimSpec(60, 120, 10), NOW)
    assert await store.get_claim(P, Q, claim.id, NOW + 61) is None
    again = await store.claim(P, Q, ClaimSpec(60, 60, 10), NOW + 61)
    assert again.messages[0].claim_count == 2
    assert again.messages[0].expires >= NOW + 61 + 120


async def test_claim_extends_message_life_by_grace(store: MessageStore) -> None:
    await store.post(P, Q, msgs("x", ttl=60), "c1", NOW)
    claim = await store.claim(P, Q, ClaimSpec(100, 50, 10), NOW)
    got = await store.get_claim(P, Q, claim.id, NOW + 90)
    assert got.messages[0].expires == pytest.approx(NOW + 150)


async def test_renew_and_release_claim(store: MessageStore) -> None:
    await store.post(P, Q, msgs("x"), "c1", NOW)
    claim = await store.claim(P, Q, ClaimSpec(60, 60, 10), NOW)
    assert await store.renew_claim(P, Q, claim.id, 200, 60, NOW + 50)
    got = await store.get_claim(P, Q, claim.id, NOW + 100)
    assert got.ttl == 200 and len(got.messages) == 1
    await store.release_claim(P, Q, claim.id, NOW + 100)
    assert await store.get_claim(P, Q, claim.id, NOW + 100) is None
    assert not await store.renew_claim(P, Q, claim.id, 60, 60, NOW + 100)
    assert (await store.stats(P, Q, NOW + 100)).free == 1


async def test_claim_of_another_project_is_invisible(store: MessageStore) -> None:
    await store.post(P, Q, msgs("x"), "c1", NOW)
    claim = await store.claim(P, Q, ClaimSpec(60, 60, 10), NOW)
    assert await store.get_claim("other", Q, claim.id, NOW) is None
    assert await store.claim("other", Q, ClaimSpec(60, 60, 10), NOW) is None


async def test_delete_claimed_message_needs_its_claim(store: MessageStore) -> None:
    ids = await store.post(P, Q, msgs("x"), "c1", NOW)
    claim = await store.claim(P, Q, ClaimSpec(60, 60, 10), NOW)
    with pytest.raises(ClaimConflict):
        await store.delete_message(P, Q, ids[0], None, NOW)
    with pytest.raises(ClaimConflict):
        await store.delete_message(P, Q, ids[0], "0" * 32, NOW)
    await store.delete_message(P, Q, ids[0], claim.id, NOW)
    assert await store.get_messages(P, Q, ids, NOW) == []


async def test_delete_unclaimed_message_with_claim_id_conflicts(store: MessageStore) -> None:
    ids = await store.post(P, Q, msgs("x"), "c1", NOW)
    with pytest.raises(ClaimConflict):
        await store.delete_message(P, Q, ids[0], "0" * 32, NOW)
    await store.delete_message(P, Q, ids[0], None, NOW)
    await store.delete_message(P, Q, ids[0], None, NOW)


async def test_delete_many_and_pop(store: MessageStore) -> None:
    ids = await store.post(P, Q, msgs(*range(6)), "c1", NOW)
    await store.delete_messages(P, Q, ids[:2], NOW)
    popped = await store.pop(P, Q, 3, NOW)
    assert [m.id for m in popped] == ids[2:5]
    left = await store.list_messages(P, Q, ListQuery("c2", limit=10), NOW)
    assert [m.id for m in left] == ids[5:]


async def test_purge_messages(store: MessageStore) -> None:
    await store.post(P, Q, msgs(1, 2, 3), "c1", NOW)
    await store.purge_messages(P, Q)
    assert (await store.stats(P, Q, NOW)).total == 0


async def test_stats_oldest_and_newest(store: MessageStore) -> None:
    ids = await store.post(P, Q, msgs(1, 2, 3), "c1", NOW)
    stats = await store.stats(P, Q, NOW)
    assert (stats.oldest.id, stats.newest.id, stats.free) == (ids[0], ids[2], 3)


async def test_dead_letter_after_max_claim_count(store: MessageStore) -> None:
    await store.post(P, Q, msgs("doomed", ttl=600), "c1", NOW)
    spec = ClaimSpec(60, 60, 10, max_claim_count=2, dead_letter_queue="dlq", dead_letter_ttl=900)
    t = NOW
    for _ in range(2):
        assert (await store.claim(P, Q, spec, t)) is not None
        t += 61
    assert await store.claim(P, Q, spec, t) is None
    dead = await store.list_messages(P, "dlq", ListQuery("c2", limit=10), t)
    assert [json.loads(m.body) for m in dead] == ["doomed"]
    assert dead[0].ttl == 900


async def test_concurrent_claimers_never_share_a_message(store: MessageStore) -> None:
    await store.post(P, Q, msgs(*range(200)), "c1", NOW)

    async def claimer() -> list[str]:
        got: list[str] = []
        while claim := await store.claim(P, Q, ClaimSpec(300, 60, 7), NOW):
            got.extend(m.id for m in claim.messages)
        return got

    results = await asyncio.gather(*(claimer() for _ in range(10)))
    seen = [i for r in results for i in r]
    assert len(seen) == 200 and len(set(seen)) == 200


async def test_subscription_lifecycle(store: MessageStore) -> None:
    sid = await store.create_subscription(P, Q, "http://x/hook", 600, {"a": 1}, NOW)
    with pytest.raises(DuplicateSubscriber):
        await store.create_subscription(P, Q, "http://x/hook", 600, {}, NOW)
    sub = await store.get_subscription(P, Q, sid, NOW)
    assert (sub.subscriber, sub.options, sub.confirmed) == ("http://x/hook", {"a": 1}, False)
    assert await store.update_subscription(P, Q, sid, {"options": {"b": 2}, "ttl": 50}, NOW)
    assert (await store.get_subscription(P, Q, sid, NOW)).options == {"b": 2}
    assert await store.get_subscription(P, Q, sid, NOW + 51) is None
    assert await store.get_subscription("other", Q, sid, NOW) is None


async def test_subscription_listing_and_delete(store: MessageStore) -> None:
    a = await store.create_subscription(P, Q, "http://x/a", 600, {}, NOW)
    b = await store.create_subscription(P, Q, "mailto:b@x", 600, {}, NOW)
    listed = await store.list_subscriptions(P, Q, None, 10, NOW)
    assert sorted(s.id for s in listed) == sorted([a, b])
    await store.delete_subscription(P, Q, a)
    assert [s.id for s in await store.list_subscriptions(P, Q, None, 10, NOW)] == [b]
    await store.purge_subscriptions(P, Q)
    assert await store.list_subscriptions(P, Q, None, 10, NOW) == []


async def test_confirm_subscription(store: MessageStore) -> None:
    sid = await store.create_subscription(P, Q, "http://x/a", 600, {}, NOW)
    assert await store.update_subscription(P, Q, sid, {"confirmed": True}, NOW)
    assert (await store.get_subscription(P, Q, sid, NOW)).confirmed


async def test_update_subscription_with_no_changes_only_says_whether_it_exists(
    store: MessageStore,
) -> None:
    sid = await store.create_subscription(P, Q, "http://x/a", 600, {"a": 1}, NOW)
    assert await store.update_subscription(P, Q, sid, {}, NOW)
    assert not await store.update_subscription(P, Q, "0" * 32, {}, NOW)
    assert (await store.get_subscription(P, Q, sid, NOW)).options == {"a": 1}
