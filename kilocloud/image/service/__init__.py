"""The image service layer: one facade over images, data, members, tags and stores."""

from __future__ import annotations

from kilocloud.image.service.data import ImageData
from kilocloud.image.service.deps import ImageDeps
from kilocloud.image.service.download import ImageDownloads
from kilocloud.image.service.images import Images
from kilocloud.image.service.members import Members
from kilocloud.image.service.stores import StoreInfo
from kilocloud.image.service.tags import Tags


class ImageService:
    """The image service's operations, grouped as the API groups them."""

    def __init__(self, deps: ImageDeps) -> None:
        self.deps = deps
        self.images = Images(deps)
        self.data = ImageData(deps)
        self.downloads = ImageDownloads(deps)
        self.members = Members(deps)
        self.tags = Tags(deps)
        self.stores = StoreInfo(deps, self.images)

    async def close(self) -> None:
        """Release the stores' connections."""
        await self.deps.stores.close()
