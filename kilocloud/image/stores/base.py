"""The store protocol: keep streamed image data, give it back from an offset, forget it."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from typing import Protocol

from kilocloud.core.errors import NotFound

CHUNK = 1 << 20


class DataNotFound(NotFound):
    """The store holds no data at the location asked for."""


class Store(Protocol):
    """Where image data lives; `name` is the store's id, `kind` its type (file, s3)."""

    name: str
    kind: str

    async def add(self, image_id: str, chunks: AsyncIterator[bytes]) -> str:
        """Store every chunk in order and return the data's location URL."""
        ...

    def open(
        self, location: str, offset: int = 0, length: int | None = None
    ) -> AsyncGenerator[bytes, None]:
        """The data at `location`, from `offset`, `length` bytes (all the rest when None)."""
        ...

    async def size(self, location: str) -> int:
        """Bytes stored at `location`; raises DataNotFound when there is nothing."""
        ...

    async def delete(self, location: str) -> None:
        """Forget the data at `location`; missing data is not an error."""
        ...

    async def discard_partial(self, image_id: str) -> None:
        """Forget what an unfinished upload of `image_id` left behind (after a crash)."""
        ...

    def details(self) -> dict[str, object]:
        """The store's settings as /v2/info/stores/detail shows them: never a secret."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
