"""Image data cached on this host, verified against the image service's checksums.

Each image is one file, named by image id, with a stamp of the file as it was when its hash
last matched (re-hashed whenever the file changes) and one reference per server using it.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import time
from pathlib import Path

from kilocloud.compute.drivers.base import ImageInfo, ImageSource
from kilocloud.compute.drivers.errors import ImageCorrupt


class ImageCache:
    """Verified image files under `root`, fetched once per host and counted per user."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self._locks: dict[str, asyncio.Lock] = {}

    def path(self, image_id: str) -> Path:
        """Where an image's data lives in the cache (whether or not it is there)."""
        return self.root / image_id

    async def acquire(self, image: ImageInfo, source: ImageSource, user: str) -> Path:
        """The verified file of `image`, fetched if missing or changed; `user` now holds it."""
        async with self._locks.setdefault(image.id, asyncio.Lock()):
            path = self.path(image.id)
            if not await self._still_valid(image, path):
                await self._fetch(image, source, path)
            refs = self._refs(image.id)
            refs.mkdir(exist_ok=True)
            (refs / user).touch()
            return path

    def release(self, image_id: str, user: str) -> bool:
        """Drop `user`'s reference; True when nobody uses the image any more."""
        (self._refs(image_id) / user).unlink(missing_ok=True)
        return not self.users(image_id)

    def users(self, image_id: str) -> list[str]:
        """Who holds a reference to an image."""
        refs = self._refs(image_id)
        return sorted(p.name for p in refs.iterdir()) if refs.is_dir() else []

    def evict(self, image_id: str) -> None:
        """Forget an image nobody uses: its file, stamp and reference folder."""
        if self.users(image_id):
            return
        for suffix in ("", ".verified", ".part"):
            Path(f"{self.path(image_id)}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(self._refs(image_id), ignore_errors=True)

    async def prune(self, max_age: float) -> list[str]:
        """Evict images nobody has used for max_age seconds; their ids."""
        evicted = []
        for stamp in self.root.glob("*.verified"):
            image_id = stamp.name.removesuffix(".verified")
            async with self._locks.setdefault(image_id, asyncio.Lock()):
                refs = self._refs(image_id)
                last_used = (refs if refs.exists() else stamp).stat().st_mtime
                if not self.users(image_id) and time.time() - last_used >= max_age:
                    self.evict(image_id)
                    evicted.append(image_id)
        return evicted

    def _refs(self, image_id: str) -> Path:
        return self.root / f"{image_id}.users"

    async def _still_valid(self, image: ImageInfo, path: Path) -> bool:
        stamp = Path(f"{path}.verified")
        if not path.exists():
            return False
        if stamp.exists() and stamp.read_text() == _stamp(path):
            return True
        if await asyncio.to_thread(_matches, image, path):
            stamp.write_text(_stamp(path))
            return True
        path.unlink()
        return False

    async def _fetch(self, image: ImageInfo, source: ImageSource, path: Path) -> None:
        part = Path(f"{path}.part")
        hashers = _hashers(image)
        try:
            with open(part, "wb") as out:
                async for chunk in source.download(image.id):
                    out.write(chunk)
                    for hasher in hashers.values():
                        hasher.update(chunk)
            _verify(image, {name: h.hexdigest() for name, h in hashers.items()})
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        os.replace(part, path)
        Path(f"{path}.verified").write_text(_stamp(path))


def _hashers(image: ImageInfo) -> dict[str, hashlib._Hash]:
    """The hashes the image service recorded for an image: its os_hash and its md5 checksum."""
    hashers = {}
    if image.os_hash_algo and image.os_hash_value:
        hashers["os_hash_value"] = hashlib.new(image.os_hash_algo)
    if image.checksum:
        hashers["checksum"] = hashlib.md5(usedforsecurity=False)
    return hashers


def _verify(image: ImageInfo, digests: dict[str, str]) -> None:
    expected = {"os_hash_value": image.os_hash_value, "checksum": image.checksum}
    for name, digest in digests.items():
        if digest != expected[name]:
            raise ImageCorrupt(f"image {image.id}: data does not match its {name}")


def _matches(image: ImageInfo, path: Path) -> bool:
    hashers = _hashers(image)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            for hasher in hashers.values():
                hasher.update(chunk)
    try:
        _verify(image, {name: h.hexdigest() for name, h in hashers.items()})
    except ImageCorrupt:
        return False
    return True


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_ino} {st.st_size} {st.st_mtime_ns}"
