"""web-download: fetch an image by URL into a local file, every hop filtered against SSRF."""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator

import httpx

from kilocloud.core import outbound_http
from kilocloud.core.errors import TooLarge
from kilocloud.image import task_config
from kilocloud.image.service import staging
from kilocloud.image.tasks.work import Refused, Work

TIMEOUT = httpx.Timeout(30.0, read=120.0)
BLOCK = 1 << 20
# content encodings and their zlib wbits (gzip header, zlib header); None: as sent
DECODERS = {"identity": None, "gzip": 31, "x-gzip": 31, "deflate": 15}


async def web_download(work: Work, url: str) -> None:
    """Download `url` into a scratch file that becomes the work's data."""
    work.path = work.scratch_file(".download")
    await download(work, url, work.path)


async def download(work: Work, url: str, target: str) -> None:
    """GET `url` through the outbound guard (every redirect hop re-checked) into `target`."""
    conf = work.services.conf
    headers = {"Accept-Encoding": "gzip, deflate"}
    async with outbound_http.client(task_config.filter_rules(conf), TIMEOUT) as http:
        try:
            async with http.stream("GET", url, headers=headers) as response:
                await _save(response, url, target, conf.image_size_cap)
        except httpx.TooManyRedirects:
            raise Refused(f"Too many redirects downloading {url}.") from None
        except httpx.HTTPError as exc:
            raise Refused(f"Could not download {url}: {type(exc).__name__}") from None


async def _save(response: httpx.Response, url: str, target: str, limit: int) -> None:
    if response.status_code != 200:
        raise Refused(f"Downloading {url} answered HTTP {response.status_code}.")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Refused(f"{url} is {declared} bytes, over the size cap of {limit}.")
    try:
        await staging.write(target, _body(response, url), limit)
    except TooLarge:
        raise Refused(f"{url} sent more than the size cap of {limit} bytes.") from None


async def _body(response: httpx.Response, url: str) -> AsyncIterator[bytes]:
    """The decoded body, expanded a bounded block at a time so a compression bomb is counted
    (and stopped) by what it expands to, never held whole."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in DECODERS:
        raise Refused(f"{url} was sent with an unsupported content encoding {encoding!r}.")
    decoder = zlib.decompressobj(DECODERS[encoding]) if DECODERS[encoding] else None
    try:
        async for raw in response.aiter_raw(1 << 20):
            if decoder is None:
                yield raw
                continue
            while raw:
                yield await asyncio.to_thread(decoder.decompress, raw, BLOCK)
                raw = decoder.unconsumed_tail
    except (httpx.HTTPError, zlib.error) as exc:
        raise Refused(f"Download of {url} failed: {type(exc).__name__}") from None
