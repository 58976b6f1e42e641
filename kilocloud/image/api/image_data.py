"""HTTP face of image data: PUT and GET /v2/images/{id}/file, with Range support."""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator, AsyncIterator

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from kilocloud.core.auth import authenticated
from kilocloud.core.errors import BadRequest, RangeNotSatisfiable, UnsupportedMediaType
from kilocloud.core.http import empty
from kilocloud.core.routing import layer
from kilocloud.image.stores.base import DataNotFound

OCTET_STREAM = "application/octet-stream"
# read as webob reads it for Glance: any case, spaces around '=' and '-', trailing text ignored
_RANGE = re.compile(r"bytes *= *(\d*) *- *(\d*)", re.IGNORECASE)
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


async def _body(request: Request) -> AsyncIterator[bytes]:
    try:
        async for chunk in request.stream():
            if chunk:
                yield chunk
    except ClientDisconnect:
        raise BadRequest("The client disconnected before sending all the image data.") from None


def _declared_size(request: Request) -> int | None:
    for header in ("x-openstack-image-size", "content-length"):
        raw = request.headers.get(header)
        if raw is not None:
            # str.isdigit() is also true of '²' and '①', which int() refuses
            if not (raw.isascii() and raw.strip().isdigit()):
                raise BadRequest(f"Invalid {header} header: {raw!r}")
            return int(raw)
    return None


async def upload_image_data(request: Request) -> Response:
    """PUT /v2/images/{image_id}/file: stream the body into the store; 204."""
    ctx = authenticated(request)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != OCTET_STREAM:
        raise UnsupportedMediaType(f"Content-Type must be {OCTET_STREAM}, not {media_type!r}.")
    await layer(request).data.upload(
        ctx,
        request.path_params["image_id"],
        _body(request),
        store_name=request.headers.get("x-image-meta-store"),
        expected_size=_declared_size(request),
    )
    return empty()


async def download_image_data(request: Request) -> Response:
    """GET /v2/images/{image_id}/file: 200 whole, 206 for a range, 204 when there is no data."""
    ctx = authenticated(request)
    service = layer(request)
    data = await service.downloads.locate(ctx, request.path_params["image_id"])
    if data is None:
        return empty()
    total = data.image.size or 0
    span = _requested_span(request, total)
    headers = {"Content-Type": OCTET_STREAM}
    if data.image.checksum:
        headers["Content-MD5"] = data.image.checksum
    start, end = span or (0, total - 1)
    headers["Content-Length"] = str(end - start + 1)
    if span is not None:
        headers["Content-Range"] = f"bytes {start}-{end}/{total}"
    status = 206 if span else 200
    if request.method == "HEAD":
        return Response(status_code=status, headers=headers)
    body = service.downloads.stream(ctx, data, start, end - start + 1)
    # the first read happens before the status is sent, so a store failure still gets its code
    try:
        first = await anext(body, b"")
    except DataNotFound:
        return empty()  # no copy has the data: Glance's 204 for glance_store's NotFound
    return _ClosingStream(_prepend(first, body), status, headers, media_type=OCTET_STREAM)


class _ClosingStream(StreamingResponse):
    """Closes its body however the response ends, so a cut download still reports image.send."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self.body_iterator.aclose()


async def _prepend(first: bytes, rest: AsyncGenerator[bytes, None]) -> AsyncIterator[bytes]:
    try:
        if first:
            yield first
        async for chunk in rest:
            yield chunk
    finally:
        await rest.aclose()


def _requested_span(request: Request, total: int) -> tuple[int, int] | None:
    """The (first, last) byte asked for by Range or the legacy Content-Range, or None."""
    raw = request.headers.get("range")
    if raw is not None:
        if "," in raw:
            raise BadRequest(
                "Glance serves one range per request; make several single-range requests."
            )
        match = _RANGE.match(raw.strip())
        if not match or match.groups() == ("", ""):
            raise _unsatisfiable(total)
        first, last = match.groups()
        if first == "":
            start, end = max(total - int(last), 0), total - 1
        else:
            start, end = int(first), min(int(last), total - 1) if last else total - 1
    elif (raw := request.headers.get("content-range")) is not None:
        match = _CONTENT_RANGE.match(raw.strip())
        if not match:
            raise _unsatisfiable(total)
        start, end = int(match.group(1)), int(match.group(2))
    else:
        return None
    if start > end or start >= total or end >= total:
        raise _unsatisfiable(total)
    return start, end


def _unsatisfiable(total: int) -> RangeNotSatisfiable:
    return RangeNotSatisfiable(
        "The requested range is not satisfiable.", headers={"Content-Range": f"bytes */{total}"}
    )
