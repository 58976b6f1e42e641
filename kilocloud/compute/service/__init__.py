"""The compute service layer: one facade over every resource the API serves."""

from __future__ import annotations

from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.compute.service.flavor_extras import ExtraSpecs, FlavorAccess
from kilocloud.compute.service.flavors import Flavors
from kilocloud.compute.service.keypairs import KeyPairs
from kilocloud.compute.service.quotas import Quotas
from kilocloud.compute.service.zones import Zones


class ComputeService:
    """The compute service's operations, grouped as the API groups them."""

    def __init__(self, deps: ComputeDeps) -> None:
        self.deps = deps
        self.flavors = Flavors(deps)
        self.extra_specs = ExtraSpecs(deps)
        self.flavor_access = FlavorAccess(deps)
        self.quotas = Quotas(deps)
        self.keypairs = KeyPairs(deps, self.quotas)
        self.zones = Zones(deps)
