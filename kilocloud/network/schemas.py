"""Attribute maps of the request bodies, as Neutron's API definitions give them: what POST and
PUT may carry, defaults, converters, and which attributes filter and sort a list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kilocloud.network import validators as v

REQUIRED = object()


@dataclass(frozen=True)
class Attr:
    """One attribute of a resource."""

    post: bool = False
    put: bool = False
    default: Any = REQUIRED
    convert: v.Converter | None = None
    filter: bool = True
    sort: bool = True
    column: str | None = None  # the table column holding it, when named differently

    def required(self) -> bool:
        return self.post and self.default is REQUIRED


NAME = Attr(post=True, put=True, default="", convert=v.string(255))
DESCRIPTION = Attr(post=True, put=True, default="", convert=v.string(255))
ADMIN_STATE = Attr(post=True, put=True, default=True, convert=v.boolean)
PROJECT = Attr(post=True, default=None, convert=v.string(255), column="project_id")
READ = Attr()
READ_ONLY_LIST = Attr(filter=False, sort=False)

STANDARD = {
    "id": Attr(convert=v.string(36)),
    "project_id": PROJECT,
    "tenant_id": PROJECT,
    "description": DESCRIPTION,
    "revision_number": Attr(convert=v.integer()),
    "created_at": Attr(filter=False),
    "updated_at": Attr(filter=False),
    "tags": Attr(filter=False, sort=False),
}

NETWORK = {
    **STANDARD,
    "name": NAME,
    "admin_state_up": ADMIN_STATE,
    "status": READ,
    "subnets": READ_ONLY_LIST,
    "shared": Attr(post=True, put=True, default=False, convert=v.boolean),
    "router:external": Attr(
        post=True, put=True, default=False, convert=v.boolean, column="external"
    ),
    "mtu": Attr(post=True, put=True, default=0, convert=v.integer(0)),
    "port_security_enabled": Attr(post=True, put=True, default=True, convert=v.boolean),
    "provider:network_type": Attr(
        post=True,
        default=None,
        convert=v.nullable(v.one_of("vxlan", "flat")),
        column="network_type",
    ),
    "provider:physical_network": Attr(
        post=True, default=None, convert=v.nullable(v.string(64)), column="physical_network"
    ),
    "provider:segmentation_id": Attr(
        post=True,
        default=None,
        convert=v.nullable(v.integer(1, 2**24 - 1)),
        column="segmentation_id",
    ),
    "availability_zone_hints": Attr(
        post=True, default=[], convert=v.list_of(v.string(255)), filter=False, sort=False
    ),
    "availability_zones": READ_ONLY_LIST,
    "ipv4_address_scope": READ_ONLY_LIST,
    "ipv6_address_scope": READ_ONLY_LIST,
    "l2_adjacency": READ_ONLY_LIST,
}

POOL = v.dict_of({"start": (v.ip_address, True), "end": (v.ip_address, True)})
ROUTE = v.dict_of({"destination": (v.cidr, True), "nexthop": (v.ip_address, True)})
IPV6_MODES = v.nullable(v.one_of("slaac", "dhcpv6-stateful", "dhcpv6-stateless"))

SUBNET = {
    **STANDARD,
    "name": NAME,
    "network_id": Attr(post=True, convert=v.uuid_str),
    "ip_version": Attr(post=True, convert=v.integer()),
    "cidr": Attr(post=True, default=None, convert=v.nullable(v.cidr)),
    "gateway_ip": Attr(post=True, put=True, default="auto", convert=v.ip_or_none),
    "allocation_pools": Attr(
        post=True,
        put=True,
        default=None,
        convert=v.nullable(v.list_of(POOL)),
        filter=False,
        sort=False,
    ),
    "dns_nameservers": Attr(
        post=True, put=True, default=[], convert=v.list_of(v.ip_address, 5, unique=True), sort=False
    ),
    "host_routes": Attr(
        post=True, put=True, default=[], convert=v.list_of(ROUTE, 20), filter=False, sort=False
    ),
    "enable_dhcp": Attr(post=True, put=True, default=True, convert=v.boolean),
    "ipv6_ra_mode": Attr(post=True, default=None, convert=IPV6_MODES),
    "ipv6_address_mode": Attr(post=True, default=None, convert=IPV6_MODES),
    "subnetpool_id": Attr(post=True, default=None, convert=v.uuid_or_none),
    "prefixlen": Attr(post=True, default=None, convert=v.nullable(v.integer(0, 128)), filter=False),
    "use_default_subnetpool": Attr(post=True, default=False, convert=v.boolean, filter=False),
    "service_types": Attr(
        post=True, put=True, default=[], convert=v.list_of(v.string(255)), filter=False, sort=False
    ),
    "segment_id": Attr(post=True, put=True, default=None, convert=v.uuid_or_none),
    "router:external": READ_ONLY_LIST,
}

FIXED_IP = v.dict_of({"subnet_id": (v.uuid_str, False), "ip_address": (v.ip_address, False)})
ADDRESS_PAIR = v.dict_of(
    {"ip_address": (v.ip_or_cidr, True), "mac_address": (v.mac_address, False)}
)
DHCP_OPT = v.dict_of(
    {
        "opt_name": (v.string(255), True),
        "opt_value": (v.nullable(v.string(255)), True),
        "ip_version": (v.one_of(4, 6), False),
    }
)

PORT = {
    **STANDARD,
    "name": NAME,
    "network_id": Attr(post=True, convert=v.uuid_str),
    "admin_state_up": ADMIN_STATE,
    "status": READ,
    "mac_address": Attr(post=True, put=True, default=None, convert=v.nullable(v.mac_address)),
    "fixed_ips": Attr(
        post=True, put=True, default=None, convert=v.nullable(v.list_of(FIXED_IP)), sort=False
    ),
    "device_id": Attr(post=True, put=True, default="", convert=v.string(255)),
    "device_owner": Attr(post=True, put=True, default="", convert=v.string(255)),
    "security_groups": Attr(
        post=True,
        put=True,
        default=None,
        convert=v.nullable(v.list_of(v.uuid_str, unique=True)),
        sort=False,
    ),
    "port_security_enabled": Attr(post=True, put=True, default=None, convert=v.nullable(v.boolean)),
    "allowed_address_pairs": Attr(
        post=True,
        put=True,
        default=[],
        convert=v.nullable(v.list_of(ADDRESS_PAIR, 10)),
        filter=False,
        sort=False,
    ),
    "extra_dhcp_opts": Attr(
        post=True,
        put=True,
        default=[],
        convert=v.nullable(v.list_of(DHCP_OPT)),
        filter=False,
        sort=False,
    ),
    "binding:host_id": Attr(
        post=True, put=True, default="", convert=v.string(255), column="binding_host_id"
    ),
    "binding:vnic_type": Attr(
        post=True,
        put=True,
        default="normal",
        convert=v.one_of("normal", "direct", "macvtap", "baremetal", "virtio-forwarder"),
        column="binding_vnic_type",
    ),
    "binding:profile": Attr(
        post=True,
        put=True,
        default={},
        convert=v.dict_or_none,
        filter=False,
        sort=False,
        column="binding_profile",
    ),
    "binding:vif_type": Attr(filter=False, column="binding_vif_type"),
    "binding:vif_details": Attr(filter=False, sort=False, column="binding_vif_details"),
    "ip_allocation": READ_ONLY_LIST,
    "tags": Attr(
        post=True, default=[], convert=v.list_of(v.string(255), 50), filter=False, sort=False
    ),
}

PROTOCOL = v.nullable(v.string(40))
PORT_NUMBER = v.nullable(v.integer())

SECURITY_GROUP = {
    **STANDARD,
    "name": NAME,
    "stateful": Attr(post=True, put=True, default=True, convert=v.boolean),
    "security_group_rules": READ_ONLY_LIST,
    "shared": READ_ONLY_LIST,
}

SECURITY_GROUP_RULE = {
    **{k: a for k, a in STANDARD.items() if k != "tags"},
    "security_group_id": Attr(post=True, convert=v.uuid_str),
    "direction": Attr(post=True, convert=v.one_of("ingress", "egress")),
    "ethertype": Attr(post=True, default="IPv4", convert=v.string(8)),
    "protocol": Attr(post=True, default=None, convert=PROTOCOL),
    "port_range_min": Attr(post=True, default=None, convert=PORT_NUMBER),
    "port_range_max": Attr(post=True, default=None, convert=PORT_NUMBER),
    "remote_ip_prefix": Attr(post=True, default=None, convert=v.nullable(v.ip_or_cidr)),
    "remote_group_id": Attr(post=True, default=None, convert=v.uuid_or_none),
    "remote_address_group_id": Attr(post=True, default=None, convert=v.uuid_or_none, filter=False),
    "normalized_cidr": READ_ONLY_LIST,
    "belongs_to_default_sg": READ_ONLY_LIST,
}

GATEWAY = v.nullable(
    v.dict_of(
        {
            "network_id": (v.uuid_str, False),
            "enable_snat": (v.boolean, False),
            "external_fixed_ips": (v.list_of(FIXED_IP), False),
        }
    )
)

ROUTER = {
    **STANDARD,
    "name": NAME,
    "admin_state_up": ADMIN_STATE,
    "status": READ,
    "external_gateway_info": Attr(
        post=True, put=True, default=None, convert=GATEWAY, filter=False, sort=False
    ),
    "routes": Attr(
        put=True, default=[], convert=v.nullable(v.list_of(ROUTE, 30)), filter=False, sort=False
    ),
    "distributed": Attr(post=True, put=True, default=False, convert=v.boolean),
    "ha": Attr(post=True, put=True, default=False, convert=v.boolean),
    "availability_zone_hints": Attr(
        post=True, default=[], convert=v.list_of(v.string(255)), filter=False, sort=False
    ),
    "availability_zones": READ_ONLY_LIST,
    "flavor_id": READ_ONLY_LIST,
}

FLOATINGIP = {
    **STANDARD,
    "floating_network_id": Attr(post=True, convert=v.uuid_str),
    "floating_ip_address": Attr(post=True, default=None, convert=v.ip_or_none),
    "subnet_id": Attr(post=True, default=None, convert=v.uuid_or_none, filter=False, sort=False),
    "port_id": Attr(post=True, put=True, default=None, convert=v.uuid_or_none),
    "fixed_ip_address": Attr(post=True, put=True, default=None, convert=v.ip_or_none),
    "router_id": READ,
    "status": READ,
    "port_details": READ_ONLY_LIST,
}

PREFIXLEN = v.nullable(v.integer(0, 128))

SUBNETPOOL = {
    **STANDARD,
    "name": NAME,
    "prefixes": Attr(post=True, put=True, convert=v.list_of(v.cidr), sort=False),
    "default_prefixlen": Attr(post=True, put=True, default=None, convert=PREFIXLEN),
    "min_prefixlen": Attr(post=True, put=True, default=None, convert=PREFIXLEN),
    "max_prefixlen": Attr(post=True, put=True, default=None, convert=PREFIXLEN),
    "shared": Attr(post=True, default=False, convert=v.boolean),
    "is_default": Attr(post=True, put=True, default=False, convert=v.boolean),
    "default_quota": Attr(post=True, put=True, default=None, convert=v.nullable(v.integer(0))),
    "address_scope_id": Attr(post=True, put=True, default=None, convert=v.uuid_or_none),
    "ip_version": READ,
}

ADDRESS_SCOPE = {
    **{k: a for k, a in STANDARD.items() if k != "tags"},
    "name": Attr(post=True, put=True, convert=v.string(255)),
    "ip_version": Attr(post=True, convert=v.one_of(4, 6)),
    "shared": Attr(post=True, put=True, default=False, convert=v.boolean),
}
