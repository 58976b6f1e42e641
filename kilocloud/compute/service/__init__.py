"""The compute service layer: one facade over every resource the API serves."""

from __future__ import annotations

from kilocloud.compute.scheduler import Scheduler
from kilocloud.compute.service.actions import Actions
from kilocloud.compute.service.aggregates import Aggregates
from kilocloud.compute.service.conductor import Conductor
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.compute.service.flavor_extras import ExtraSpecs, FlavorAccess
from kilocloud.compute.service.flavors import Flavors
from kilocloud.compute.service.hosts_admin import HostsAdmin
from kilocloud.compute.service.keypairs import KeyPairs
from kilocloud.compute.service.quotas import Quotas
from kilocloud.compute.service.resize import Resizes
from kilocloud.compute.service.server_groups import ServerGroups
from kilocloud.compute.service.server_meta import ServerMeta
from kilocloud.compute.service.servers import Servers
from kilocloud.compute.service.zones import Zones


class ComputeService:
    """The compute service's operations, grouped as the API groups them."""

    def __init__(self, deps: ComputeDeps) -> None:
        self.deps = deps
        opts = deps.conf.compute
        self.flavors = Flavors(deps)
        self.extra_specs = ExtraSpecs(deps)
        self.flavor_access = FlavorAccess(deps)
        self.quotas = Quotas(deps)
        self.keypairs = KeyPairs(deps, self.quotas)
        self.zones = Zones(deps)
        self.server_groups = ServerGroups(deps, self.quotas)
        self.scheduler = Scheduler(deps.db, opts.default_availability_zone, opts.service_down_time)
        self.conductor = Conductor(deps, self.scheduler)
        self.servers = Servers(
            deps, self.flavors, self.quotas, self.server_groups, self.zones, self.conductor
        )
        self.actions = Actions(deps, self.servers)
        self.hosts = HostsAdmin(deps)
        self.aggregates = Aggregates(deps)
        self.resizes = Resizes(deps, self.servers, self.flavors)
        self.meta = ServerMeta(deps, self.quotas)
