"""The network service layer: one facade over every resource kind."""

from __future__ import annotations

from kilocloud.deps import Services
from kilocloud.network.service.agents import Agents
from kilocloud.network.service.availability import Availability
from kilocloud.network.service.deps import NetworkDeps
from kilocloud.network.service.floating_ips import FloatingIPs
from kilocloud.network.service.networks import Networks
from kilocloud.network.service.ports import Ports
from kilocloud.network.service.quotas import Quotas
from kilocloud.network.service.router_interfaces import RouterInterfaces
from kilocloud.network.service.routers import Routers
from kilocloud.network.service.security_groups import SecurityGroups
from kilocloud.network.service.sg_rules import SecurityGroupRules
from kilocloud.network.service.subnet_pools import AddressScopes, SubnetPools
from kilocloud.network.service.subnets import Subnets


class NetworkService:
    """The network service's operations, grouped as the API groups them."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.deps = deps = NetworkDeps(
            conf=services.conf, db=services.db, policy=services.policy, notifier=services.notifier
        )
        self.networks = Networks(deps)
        self.address_scopes = AddressScopes(deps)
        self.subnetpools = SubnetPools(deps, self.address_scopes)
        self.subnets = Subnets(deps, self.networks, self.subnetpools)
        self.ports = Ports(deps, self.networks)
        self.security_groups = SecurityGroups(deps)
        self.security_group_rules = SecurityGroupRules(deps, self.security_groups)
        self.routers = Routers(deps, self.networks, self.subnets, self.ports)
        self.router_interfaces = RouterInterfaces(self.routers)
        self.floatingips = FloatingIPs(deps, self.networks, self.ports)
        self.quotas = Quotas(deps)
        self.agents = Agents(deps)
        self.availability = Availability(deps)
