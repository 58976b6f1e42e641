"""The metadefs service layer: one facade over namespaces and what they hold."""

from __future__ import annotations

from kilocloud.image.metadefs.service.access import Gate
from kilocloud.image.metadefs.service.namespaces import Namespaces
from kilocloud.image.metadefs.service.objects import Objects
from kilocloud.image.metadefs.service.properties import Properties
from kilocloud.image.metadefs.service.resource_types import ResourceTypes
from kilocloud.image.metadefs.service.tags import Tags
from kilocloud.image.service.deps import ImageDeps


class MetadefService:
    """The metadefs API's operations, grouped as the API reference groups them."""

    def __init__(self, deps: ImageDeps) -> None:
        gate = Gate(deps.policy)
        self.namespaces = Namespaces(deps, gate)
        self.objects = Objects(deps, gate)
        self.properties = Properties(deps, gate)
        self.tags = Tags(deps, gate)
        self.resource_types = ResourceTypes(deps, gate)
