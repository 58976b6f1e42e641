"""The S3 store: image data as objects, uploaded in multipart parts as it streams in."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator
from urllib.parse import urlparse

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from oslo_config import cfg

from kilocloud.core.errors import Gone, Unavailable
from kilocloud.image.stores.base import CHUNK, DataNotFound

MB = 1 << 20


class S3Store:
    """Image data as objects named after the image id in one bucket."""

    kind = "s3"

    def __init__(self, conf: cfg.ConfigOpts, name: str, group: str) -> None:
        opts = conf[group]
        self.name = name
        self.bucket = opts.s3_store_bucket
        self.endpoint, self.region = opts.s3_store_host, opts.s3_store_region_name
        self.part_size = opts.s3_store_large_object_chunk_size * MB
        self.create_bucket = opts.s3_store_create_bucket_on_put
        self._client = boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.region,
            aws_access_key_id=opts.s3_store_access_key,
            aws_secret_access_key=opts.s3_store_secret_key,
            config=Config(max_pool_connections=32, retries={"max_attempts": 3}),
        )
        self._bucket_ready = False

    def _key(self, location: str) -> str:
        parsed = urlparse(location)
        if parsed.scheme != "s3" or parsed.netloc != self.bucket:
            raise DataNotFound("Image data is not in this store.")
        return parsed.path.lstrip("/")

    async def _ensure_bucket(self) -> None:
        if self._bucket_ready or not self.create_bucket:
            return
        try:
            await self._call("head_bucket", Bucket=self.bucket)
        except DataNotFound:
            await self._call("create_bucket", Bucket=self.bucket)
        self._bucket_ready = True

    async def add(self, image_id: str, chunks: AsyncIterator[bytes]) -> str:
        """Upload the chunks as parts of one multipart upload, aborted on any failure.

        One part uploads while the next one is received, so neither side waits for the other.
        """
        await self._ensure_bucket()
        upload = await self._call("create_multipart_upload", Bucket=self.bucket, Key=image_id)
        ids = {"Bucket": self.bucket, "Key": image_id, "UploadId": upload["UploadId"]}
        parts: list[dict] = []
        sending: asyncio.Future | None = None
        try:
            async for number, part in _numbered(_parts(chunks, self.part_size)):
                if sending is not None:
                    parts.append(await sending)
                sending = asyncio.ensure_future(self._part(ids, number, part))
            parts.append(await (sending or self._part(ids, 1, b"")))
            await self._call("complete_multipart_upload", MultipartUpload={"Parts": parts}, **ids)
        except BaseException:
            if sending is not None:
                await asyncio.gather(sending, return_exceptions=True)
            await asyncio.shield(self._abort(ids))
            raise
        return f"s3://{self.bucket}/{image_id}"

    async def _part(self, ids: dict, number: int, body: bytes) -> dict:
        sent = await self._call("upload_part", Body=body, PartNumber=number, **ids)
        return {"PartNumber": number, "ETag": sent["ETag"]}

    async def _abort(self, ids: dict) -> None:
        with contextlib.suppress(Unavailable, Gone):
            await self._call("abort_multipart_upload", **ids)

    async def open(
        self, location: str, offset: int = 0, length: int | None = None
    ) -> AsyncGenerator[bytes, None]:
        """Stream the object (or a byte range of it), reading one chunk ahead in a thread."""
        kwargs = {"Bucket": self.bucket, "Key": self._key(location)}
        if length == 0:
            return
        if offset or length is not None:
            end = "" if length is None else offset + length - 1
            kwargs["Range"] = f"bytes={offset}-{end}"
        body = (await self._call("get_object", **kwargs))["Body"]
        ahead = asyncio.ensure_future(asyncio.to_thread(body.read, CHUNK))
        try:
            while chunk := await ahead:
                ahead = asyncio.ensure_future(asyncio.to_thread(body.read, CHUNK))
                yield chunk
        finally:
            await asyncio.gather(ahead, return_exceptions=True)
            body.close()

    async def size(self, location: str) -> int:
        """Size of the object."""
        head = await self._call("head_object", Bucket=self.bucket, Key=self._key(location))
        return head["ContentLength"]

    async def delete(self, location: str) -> None:
        """Delete the object."""
        await self._call("delete_object", Bucket=self.bucket, Key=self._key(location))

    async def discard_partial(self, image_id: str) -> None:
        """Abort every multipart upload of the image's object that was never completed."""
        listed = await self._call("list_multipart_uploads", Bucket=self.bucket, Prefix=image_id)
        for upload in listed.get("Uploads", []):
            if upload["Key"] == image_id:
                ids = {"Bucket": self.bucket, "Key": image_id, "UploadId": upload["UploadId"]}
                await self._abort(ids)

    def details(self) -> dict[str, object]:
        """Endpoint, bucket and part size; the keys stay secret."""
        return {
            "s3_store_host": self.endpoint,
            "s3_store_region_name": self.region,
            "s3_store_bucket": self.bucket,
            "s3_store_large_object_chunk_size": self.part_size // MB,
        }

    async def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    async def _call(self, operation: str, **kwargs: object) -> dict:
        try:
            return await asyncio.to_thread(getattr(self._client, operation), **kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("NoSuchKey", "404", "NotFound"):
                raise DataNotFound("Image data is missing from the store.") from None
            if code == "NoSuchUpload":  # discard_partial() aborted it: the image was deleted
                raise Gone("Image was deleted while its data was being uploaded.") from None
            raise Unavailable(f"The S3 store refused the request ({code}).") from None
        except Exception as exc:  # network failures of any kind: the store is unreachable
            raise Unavailable(f"The S3 store cannot be reached ({type(exc).__name__}).") from None


async def _parts(chunks: AsyncIterator[bytes], size: int) -> AsyncIterator[bytes]:
    """Regroup `chunks` into parts of `size` bytes (the last one may be shorter)."""
    buffered: list[bytes] = []
    held = 0
    async for chunk in chunks:
        buffered.append(chunk)
        held += len(chunk)
        if held >= size:
            yield b"".join(buffered)
            buffered, held = [], 0
    if buffered:
        yield b"".join(buffered)


async def _numbered(parts: AsyncIterator[bytes]) -> AsyncIterator[tuple[int, bytes]]:
    """(1, first part), (2, second part), ...: S3 part numbers start at 1."""
    number = 0
    async for part in parts:
        number += 1
        yield number, part
