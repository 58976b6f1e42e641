"""Carry a work's file into stores, hashing it on the way, and forget it again on failure."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from kilocloud.core.errors import APIError
from kilocloud.image.service import quota
from kilocloud.image.service.digest import Digests
from kilocloud.image.stores import Stores
from kilocloud.image.stores.base import CHUNK
from kilocloud.image.tasks.work import Refused, Work

LOG = logging.getLogger(__name__)
READ = 4 * CHUNK


@dataclass
class Stored:
    """Where the data went, its size and digests, and the stores that failed."""

    size: int = 0
    checksum: str = ""
    os_hash_value: str = ""
    locations: list[tuple[str, str]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


async def store_all(work: Work, names: list[str], must_succeed: bool) -> Stored:
    """Add the work's file to each store in `names`; Refused when none (or, if must, one) fails."""
    conf = work.services.conf
    stored = Stored(size=os.path.getsize(work.path))
    if stored.size > conf.image_size_cap:
        raise Refused(f"Image of {stored.size} bytes is over the size cap {conf.image_size_cap}.")
    left = await quota.remaining(work.services, work.owner)
    if left is not None and stored.size * len(names) > left:
        raise Refused(quota.over_quota(stored.size * len(names), left))
    digests = Digests(conf.hashing_algorithm, inspect=False)
    for name in names:
        store = work.services.stores.get(name)
        try:
            url = await store.add(work.image_id, _read(work.path, digests))
        except Exception as exc:  # any store failing, by error reply or by crash, is one failure
            LOG.warning("import of %s to store %s failed: %r", work.image_id, name, exc)
            stored.failed.append(name)
            if digests is not None:  # it saw part of the data: start again on the next store
                digests.close()
                digests = Digests(conf.hashing_algorithm, inspect=False)
            if must_succeed:
                await forget(work.services.stores, stored.locations)
                reason = exc.message if isinstance(exc, APIError) else type(exc).__name__
                raise Refused(f"Import to store {name} failed: {reason}") from None
            continue
        stored.locations.append((name, url))
        if digests is not None:
            stored.checksum, stored.os_hash_value = await digests.finish()
            digests = None
    if digests is not None:
        digests.close()
    if not stored.locations:
        raise Refused("Import to every store failed.")
    return stored


async def _read(path: str, digests: Digests | None) -> AsyncIterator[bytes]:
    fh = await asyncio.to_thread(open, path, "rb")
    try:
        while block := await asyncio.to_thread(fh.read, READ):
            if digests is not None:
                await digests.feed(block)
            yield block
    finally:
        fh.close()


async def forget(stores: Stores, locations: list[tuple[str, str]]) -> None:
    """Delete data already written to stores."""
    for name, url in locations:
        store = stores.for_location(name)
        if store is not None:
            await store.delete(url)
