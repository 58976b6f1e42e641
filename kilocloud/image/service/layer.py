"""The image service layer: one object over images, data, members, tags, stores, tasks and
metadefs."""

from __future__ import annotations

from kilocloud.deps import Services
from kilocloud.image.metadefs.service import MetadefService
from kilocloud.image.service.data import ImageData
from kilocloud.image.service.download import ImageDownloads
from kilocloud.image.service.images import Images
from kilocloud.image.service.imports import Imports
from kilocloud.image.service.members import Members
from kilocloud.image.service.stores import StoreInfo
from kilocloud.image.service.tags import Tags
from kilocloud.image.service.uploads import Uploads
from kilocloud.image.tasks import wiring


class ImageService:
    """The image service's operations, grouped as the API groups them."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.images = Images(services)
        self.uploads = Uploads(services)
        self.data = ImageData(services, self.uploads)
        self.downloads = ImageDownloads(services)
        self.members = Members(services)
        self.tags = Tags(services)
        self.stores = StoreInfo(services, self.images)
        self.tasks = wiring.tasks(services, self.images, self.uploads)
        self.imports = Imports(services, self.tasks, self.uploads)
        self.metadefs = MetadefService(services)
