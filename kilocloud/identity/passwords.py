"""bcrypt password hashing, off the event loop, and timing-safe verification."""

from __future__ import annotations

import asyncio
import hashlib

import bcrypt

# bcrypt reads at most 72 bytes; prehashing keeps every byte of a long password significant.
_PREFIX = b"kc1$"


def _material(password: str) -> bytes:
    raw = password.encode()
    return raw if len(raw) <= 72 else _PREFIX + hashlib.sha256(raw).hexdigest().encode()


async def hash_password(password: str, rounds: int) -> str:
    """The bcrypt hash of `password` at cost `rounds`, computed in a worker thread."""
    salt = bcrypt.gensalt(rounds)
    hashed = await asyncio.to_thread(bcrypt.hashpw, _material(password), salt)
    return hashed.decode()


_DUMMY: dict[int, bytes] = {}


async def verify_password(password: str, hashed: str | None, rounds: int) -> bool:
    """Whether `password` matches `hashed`; when there is no hash, costs what a check would."""
    if hashed is None:
        # a real hash of the same cost, so timing does not reveal that the user has none
        if rounds not in _DUMMY:
            _DUMMY[rounds] = (await hash_password("kilocloud", rounds)).encode()
        await asyncio.to_thread(bcrypt.checkpw, _material(password), _DUMMY[rounds])
        return False
    return await asyncio.to_thread(bcrypt.checkpw, _material(password), hashed.encode())
