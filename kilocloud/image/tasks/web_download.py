"""web-download: fetch an image by URL into a local file, every hop filtered against SSRF."""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator
from urllib.parse import urljoin

import httpx

from kilocloud.core.errors import TooLarge
from kilocloud.image.service import ssrf, staging
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
    """Follow up to max_redirects redirects, checking each URL, and write the body to `target`."""
    conf = work.deps.conf
    limit = conf.image_size_cap
    async with httpx.AsyncClient(follow_redirects=False, timeout=TIMEOUT, trust_env=False) as http:
        for _ in range(conf.import_filtering_opts.max_redirects + 1):
            checked = await ssrf.check(conf, url)
            request = http.build_request(
                "GET",
                checked.connect_url,
                headers={"Host": checked.host_header, "Accept-Encoding": "gzip, deflate"},
                extensions={"sni_hostname": checked.host},
            )
            try:
                response = await http.send(request, stream=True)
            except httpx.HTTPError as exc:
                raise Refused(f"Could not download {url}: {type(exc).__name__}") from None
            try:
                if response.is_redirect:
                    url = urljoin(url, response.headers.get("location", ""))
                    continue
                await _save(response, url, target, limit)
                return
            finally:
                await response.aclose()
    raise Refused(f"Too many redirects downloading {url}.")


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
