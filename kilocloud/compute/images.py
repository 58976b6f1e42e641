"""The image service over its HTTP API, with the caller's token, as Nova reaches Glance."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
from oslo_config import cfg

from kilocloud.compute.drivers.base import ImageInfo
from kilocloud.core import config
from kilocloud.core.context import RequestContext

TIMEOUT = httpx.Timeout(60.0, connect=10.0)
CHUNK = 1 << 20
_CORE = (
    "id",
    "name",
    "container_format",
    "disk_format",
    "size",
    "checksum",
    "os_hash_algo",
    "os_hash_value",
    "min_ram",
    "min_disk",
    "status",
    "owner",
    "visibility",
    "created_at",
    "updated_at",
    "protected",
    "os_hidden",
    "tags",
    "virtual_size",
    "self",
    "file",
    "schema",
    "locations",
    "direct_url",
    "stores",
)


class ImageNotFound(Exception):
    """The image does not exist or the caller may not see it."""


def endpoint(conf: cfg.ConfigOpts, ctx: RequestContext | None = None) -> str:
    """The image service URL: configured, else from the token's catalog, else this process."""
    if conf.compute.image_endpoint:
        return conf.compute.image_endpoint.rstrip("/")
    for service in (ctx.catalog if ctx else None) or []:
        if service.get("type") == "image":
            for ep in service.get("endpoints", []):
                if ep.get("interface") == "public":
                    return ep["url"].rstrip("/")
    return f"{config.public_endpoint(conf)}/image"


def info_from(doc: dict[str, Any]) -> ImageInfo:
    """ImageInfo from an Image API v2 image document."""
    props = {k: str(v) for k, v in doc.items() if k not in _CORE and v is not None}
    return ImageInfo(
        id=doc["id"],
        name=doc.get("name") or "",
        container_format=doc.get("container_format") or "",
        disk_format=doc.get("disk_format") or "",
        size=doc.get("size"),
        checksum=doc.get("checksum"),
        os_hash_algo=doc.get("os_hash_algo"),
        os_hash_value=doc.get("os_hash_value"),
        min_ram=doc.get("min_ram") or 0,
        min_disk=doc.get("min_disk") or 0,
        properties=props,
    )


class HttpImageSource:
    """ImageSource over the Image API v2; uploads go into `target` when it names an image."""

    def __init__(self, url: str, token: str, target: str | None = None) -> None:
        self.url, self.token, self.target = url, token, target

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.url, headers={"X-Auth-Token": self.token}, timeout=TIMEOUT
        )

    async def document(self, image_id: str) -> dict[str, Any]:
        """The image document; ImageNotFound when absent or hidden."""
        async with self._client() as client:
            resp = await client.get(f"/v2/images/{image_id}")
        if resp.status_code == 404:
            raise ImageNotFound(image_id)
        resp.raise_for_status()
        return resp.json()

    async def info(self, image_id: str) -> ImageInfo:
        return info_from(await self.document(image_id))

    async def download(self, image_id: str) -> AsyncIterator[bytes]:
        async with (
            self._client() as client,
            client.stream("GET", f"/v2/images/{image_id}/file") as resp,
        ):
            resp.raise_for_status()
            async for chunk in resp.aiter_bytes(CHUNK):
                yield chunk

    async def create(self, name: str, **fields: Any) -> str:
        """A new queued image record; its id."""
        async with self._client() as client:
            resp = await client.post("/v2/images", json={"name": name, **fields})
        resp.raise_for_status()
        return resp.json()["id"]

    async def upload(
        self,
        name: str,
        container_format: str,
        disk_format: str,
        data: AsyncIterator[bytes],
        properties: dict[str, str],
    ) -> str:
        image_id = self.target
        async with self._client() as client:
            if image_id is None:
                image_id = await self.create(
                    name, container_format=container_format, disk_format=disk_format, **properties
                )
            else:
                changes = [
                    {"op": "replace", "path": "/container_format", "value": container_format},
                    {"op": "replace", "path": "/disk_format", "value": disk_format},
                    *({"op": "add", "path": f"/{k}", "value": v} for k, v in properties.items()),
                ]
                patch = await client.patch(
                    f"/v2/images/{image_id}",
                    json=changes,
                    headers={"Content-Type": "application/openstack-images-v2.1-json-patch"},
                )
                patch.raise_for_status()
            resp = await client.put(
                f"/v2/images/{image_id}/file",
                content=data,
                headers={"Content-Type": "application/octet-stream"},
            )
            resp.raise_for_status()
        return image_id
