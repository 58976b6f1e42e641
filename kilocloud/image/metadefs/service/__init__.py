"""The metadefs service layer: one facade over namespaces and what they hold."""

from __future__ import annotations

from kilocloud.deps import Services
from kilocloud.image.metadefs.service.access import Gate
from kilocloud.image.metadefs.service.namespaces import Namespaces
from kilocloud.image.metadefs.service.objects import Objects
from kilocloud.image.metadefs.service.properties import Properties
from kilocloud.image.metadefs.service.resource_types import ResourceTypes
from kilocloud.image.metadefs.service.tags import Tags


class MetadefService:
    """The metadefs API's operations, grouped as the API reference groups them."""

    def __init__(self, services: Services) -> None:
        gate = Gate(services.policy)
        self.namespaces = Namespaces(services, gate)
        self.objects = Objects(services, gate)
        self.properties = Properties(services, gate)
        self.tags = Tags(services, gate)
        self.resource_types = ResourceTypes(services, gate)
