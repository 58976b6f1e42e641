"""The file store turns a full or unwritable disk into Glance's StorageFull and WriteDenied."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Iterator

import pytest

from kilocloud.core.errors import TooLarge, Unavailable
from kilocloud.image.stores import build_stores
from kilocloud.opts import load_conf


@pytest.fixture
async def store(tmp_path) -> AsyncIterator:
    stores = build_stores(load_conf([], {"state_dir": str(tmp_path)}))
    yield stores.get(None)
    await stores.close()


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


@contextlib.contextmanager
def _unprivileged() -> Iterator[None]:
    """Run as nobody for a while when root, whose writes no file mode can refuse."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)


@pytest.mark.parametrize("size", [10, 3 << 20])
async def test_full_disk_is_storage_full_413_and_leaves_no_part_file(store, size: int) -> None:
    # the partial file is where add() writes: pointed at /dev/full, every write is ENOSPC
    os.symlink("/dev/full", os.path.join(store.datadir, "img-full.part"))
    with pytest.raises(TooLarge) as raised:
        await store.add("img-full", _chunks(b"x" * size))
    assert raised.value.status == 413
    assert raised.value.message.startswith("Image storage media is full")
    assert os.listdir(store.datadir) == []


async def test_unwritable_directory_is_write_denied_503(store) -> None:
    os.chmod(store.datadir, 0o500)
    with _unprivileged(), pytest.raises(Unavailable) as raised:
        await store.add("img-denied", _chunks(b"data"))
    assert raised.value.status == 503
    assert "Insufficient permissions on image storage media" in raised.value.message
    assert os.listdir(store.datadir) == []
