"""Network policy defaults, named as Neutron names them, with Neutron's default personas.

Targets carry the resource's attributes plus, for subnets and ports, `network:project_id`,
`network:shared` and `network:router:external` of their network (Neutron's field checks).
"""

from __future__ import annotations

from oslo_policy import policy

ADMIN = "rule:context_is_admin"
SERVICE = "role:service"
ADMIN_OR_SERVICE = f"{ADMIN} or {SERVICE}"
MEMBER = f"{ADMIN} or (role:member and project_id:%(project_id)s)"
READER = f"{ADMIN} or (role:reader and project_id:%(project_id)s)"
NET_OWNER_MEMBER = "(role:member and project_id:%(network:project_id)s)"
NET_OWNER_READER = "(role:reader and project_id:%(network:project_id)s)"
SHARED = "'True':%(shared)s"
EXTERNAL = "'True':%(router:external)s"
NET_SHARED = "'True':%(network:shared)s"
NET_EXTERNAL = "'True':%(network:router:external)s"
# oslo.policy splits a check at its first ':' and literal_evals the left side, so the literal's
# own colon is written \x3a (a bare one made every port create with a device_owner a 500)
NETWORK_DEVICE = r"'network\x3a':%(device_owner_prefix)s"

NETWORK_ADMIN_ATTRS = (
    "shared",
    "router:external",
    "is_default",
    "segments",
    "provider:network_type",
    "provider:physical_network",
    "provider:segmentation_id",
)
PORT_OWNER_ATTRS = (
    "mac_address",
    "fixed_ips",
    "fixed_ips:ip_address",
    "fixed_ips:subnet_id",
    "port_security_enabled",
    "allowed_address_pairs",
    "allowed_address_pairs:mac_address",
    "allowed_address_pairs:ip_address",
)
PORT_OWNER = f"{ADMIN_OR_SERVICE} or {NET_OWNER_MEMBER} or {NET_SHARED}"
PORT_BINDING_READ = ("vif_type", "vif_details", "host_id", "profile")


def _rules(names: list[str], check: str) -> list[policy.RuleDefault]:
    return [policy.RuleDefault(n, check) for n in names]


def _network() -> list[policy.RuleDefault]:
    get = f"{READER} or {SHARED} or {EXTERNAL} or {SERVICE}"
    return [
        *_rules(["create_network", "update_network", "delete_network"], MEMBER),
        *_rules(["get_network"], get),
        *_rules(
            [f"{op}_network:{a}" for op in ("create", "update") for a in NETWORK_ADMIN_ATTRS], ADMIN
        ),
        *_rules([f"get_network:{a}" for a in NETWORK_ADMIN_ATTRS[3:]], ADMIN),
        *_rules(
            ["create_network:port_security_enabled", "update_network:port_security_enabled"], MEMBER
        ),
    ]


def _subnet() -> list[policy.RuleDefault]:
    get = f"{READER} or {NET_OWNER_READER} or {NET_SHARED} or {NET_EXTERNAL} or {SERVICE}"
    write = f"{MEMBER} or {NET_OWNER_MEMBER}"
    return [
        *_rules(["create_subnet"], f"{ADMIN} or {NET_OWNER_MEMBER}"),
        *_rules(["get_subnet"], get),
        *_rules(["update_subnet", "delete_subnet"], write),
        *_rules(["create_subnet:segment_id", "create_subnet:service_types"], ADMIN),
        *_rules(["update_subnet:segment_id", "update_subnet:service_types"], ADMIN),
    ]


def _port() -> list[policy.RuleDefault]:
    create = f"{ADMIN_OR_SERVICE} or {MEMBER} or {NET_OWNER_MEMBER} or {NET_SHARED}"
    get = f"{ADMIN_OR_SERVICE} or {READER} or {NET_OWNER_READER}"
    device = f"not {NETWORK_DEVICE} or {ADMIN_OR_SERVICE} or {NET_OWNER_MEMBER}"
    return [
        *_rules(["create_port"], create),
        *_rules(["get_port"], get),
        *_rules(["update_port"], f"{ADMIN_OR_SERVICE} or {MEMBER}"),
        *_rules(["delete_port"], f"{ADMIN_OR_SERVICE} or {MEMBER} or {NET_OWNER_MEMBER}"),
        *_rules(["create_port:device_owner", "update_port:device_owner"], device),
        *_rules(
            [f"{op}_port:{a}" for op in ("create", "update") for a in PORT_OWNER_ATTRS], PORT_OWNER
        ),
        *_rules(["create_port:binding:host_id", "update_port:binding:host_id"], ADMIN_OR_SERVICE),
        *_rules(["create_port:binding:profile", "update_port:binding:profile"], SERVICE),
        *_rules([f"get_port:binding:{a}" for a in PORT_BINDING_READ], ADMIN_OR_SERVICE),
    ]


def _routers() -> list[policy.RuleDefault]:
    gateway_admin = (
        "external_gateway_info:enable_snat",
        "external_gateway_info:external_fixed_ips",
    )
    return [
        *_rules(["create_router", "update_router", "delete_router"], MEMBER),
        *_rules(["get_router"], READER),
        *_rules(["add_router_interface", "remove_router_interface"], MEMBER),
        *_rules(["add_extraroutes", "remove_extraroutes"], MEMBER),
        *_rules([f"{op}_router:{a}" for op in ("create", "update") for a in gateway_admin], ADMIN),
        *_rules(
            [
                f"{op}_router:{a}"
                for op in ("create", "update", "get")
                for a in ("distributed", "ha")
            ],
            ADMIN,
        ),
        *_rules(["create_floatingip", "update_floatingip", "delete_floatingip"], MEMBER),
        *_rules(["get_floatingip"], READER),
        *_rules(
            ["create_floatingip:floating_ip_address"],
            f"{ADMIN} or (role:manager and project_id:%(project_id)s)",
        ),
    ]


def _security_groups() -> list[policy.RuleDefault]:
    return [
        *_rules(
            ["create_security_group", "update_security_group", "delete_security_group"], MEMBER
        ),
        *_rules(["get_security_group"], READER),
        *_rules(["create_security_group_rule", "delete_security_group_rule"], MEMBER),
        *_rules(["get_security_group_rule"], READER),
    ]


def _pools() -> list[policy.RuleDefault]:
    get = f"{READER} or {SHARED}"
    return [
        *_rules(["create_subnetpool", "update_subnetpool", "delete_subnetpool"], MEMBER),
        *_rules(["get_subnetpool"], get),
        *_rules(
            [
                f"{op}_subnetpool:{a}"
                for op in ("create", "update")
                for a in ("shared", "is_default")
            ],
            ADMIN,
        ),
        *_rules(["create_address_scope", "update_address_scope", "delete_address_scope"], MEMBER),
        *_rules(["get_address_scope"], get),
        *_rules(["create_address_scope:shared", "update_address_scope:shared"], ADMIN),
    ]


def _other() -> list[policy.RuleDefault]:
    return [
        *_rules(["get_quota"], f"{ADMIN} or (role:reader and project_id:%(project_id)s)"),
        *_rules(["update_quota", "delete_quota"], ADMIN),
        *_rules(["get_agent", "update_agent", "delete_agent"], ADMIN),
        *_rules(["get_network_ip_availability"], ADMIN_OR_SERVICE),
        *_rules(["get_availability_zone"], "@"),
    ]


RULES: list[policy.RuleDefault] = [
    policy.RuleDefault("context_is_admin", "role:admin"),
    *_network(),
    *_subnet(),
    *_port(),
    *_routers(),
    *_security_groups(),
    *_pools(),
    *_other(),
]
