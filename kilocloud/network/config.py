"""Options of the network service, under Neutron's option names where it has them."""

from __future__ import annotations

from oslo_config import cfg

NETWORK_OPTS = [
    cfg.StrOpt(
        "tenant_network_type",
        default="vxlan",
        choices=["vxlan", "flat"],
        help="Type given to project networks that name no provider type.",
    ),
    cfg.StrOpt("vni_ranges", default="1:16000", help="VXLAN VNIs project networks get (min:max)."),
    cfg.ListOpt(
        "flat_networks", default=["*"], help="Physical networks flat networks may use (* = any)."
    ),
    cfg.IntOpt("global_physnet_mtu", default=1500, min=68, help="MTU of the physical network."),
    cfg.StrOpt("base_mac", default="fa:16:3e:00:00:00", help="First three octets of port MACs."),
    cfg.IntOpt(
        "agent_down_time", default=75, help="Seconds without heartbeat before an agent is down."
    ),
    cfg.StrOpt("default_availability_zone", default="nova", help="Zone of agents that name none."),
]

QUOTA_OPTS = [
    cfg.IntOpt("quota_network", default=100, help="Networks per project (-1 = unlimited)."),
    cfg.IntOpt("quota_subnet", default=100, help="Subnets per project."),
    cfg.IntOpt("quota_port", default=500, help="Ports per project."),
    cfg.IntOpt("quota_router", default=10, help="Routers per project."),
    cfg.IntOpt("quota_floatingip", default=50, help="Floating IPs per project."),
    cfg.IntOpt("quota_security_group", default=10, help="Security groups per project."),
    cfg.IntOpt("quota_security_group_rule", default=100, help="Security group rules per project."),
    cfg.IntOpt("quota_rbac_policy", default=10, help="RBAC policies per project."),
    cfg.IntOpt("quota_subnetpool", default=-1, help="Subnet pools per project."),
]

OPTION_GROUPS = {"network": "NETWORK_OPTS", "quotas": "QUOTA_OPTS"}
