"""Wire the metadefs API into an image service: its policy defaults and its service layer."""

from __future__ import annotations

from kilocloud.deps import Services
from kilocloud.image.metadefs import policies
from kilocloud.image.metadefs.service import MetadefService
from kilocloud.image.service.deps import ImageDeps


def build(services: Services, deps: ImageDeps) -> MetadefService:
    """The metadefs service of one image service, its rules registered with the enforcer."""
    services.policy.enforcer.register_defaults(policies.RULES)
    return MetadefService(deps)
