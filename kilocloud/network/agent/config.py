"""Options of the network agent ([network_agent])."""

from __future__ import annotations

import socket

from oslo_config import cfg

AGENT_OPTS = [
    cfg.StrOpt(
        "host",
        default=socket.gethostname(),
        sample_default="<hostname>",
        help="Name of this host (--host wins).",
    ),
    cfg.BoolOpt(
        "enabled",
        default=True,
        help="Run the network agent inside `kilocloud up` (needs root for namespaces).",
    ),
    cfg.StrOpt(
        "namespace_prefix",
        help="Prefix of every namespace the agent makes; default: one derived from the state "
        "directory and the host, so that several clouds and agents share a machine.",
    ),
    cfg.StrOpt("local_ip", help="CIDR of this host's VXLAN endpoint on underlay_interface."),
    cfg.StrOpt(
        "underlay_interface",
        help="Device in the agent's host namespace carrying VXLAN to other hosts (made by the "
        "operator, e.g. a veth to an underlay bridge). Unset: tenant networks stay on this host.",
    ),
    cfg.StrOpt("vxlan_group", default="239.1.1.1", help="Multicast group VXLAN floods to."),
    cfg.PortOpt("vxlan_udp_port", default=4789, help="UDP port of VXLAN."),
    cfg.DictOpt(
        "physical_interface_mappings",
        default={},
        help="physnet:device pairs; the device (in the host namespace) joins the flat network's "
        "bridge. Unset: a flat network is a bridge inside the host namespace only.",
    ),
    cfg.URIOpt(
        "metadata_url",
        help="Base URL of the metadata API; default: this cloud's public endpoint + /metadata.",
    ),
    cfg.StrOpt(
        "metadata_proxy_shared_secret",
        default="",
        secret=True,
        help="Key of the X-Instance-ID-Signature HMAC sent to the metadata API; default: a "
        "random key kept in the state directory (agents on other hosts must be given it).",
    ),
    cfg.FloatOpt("report_interval", default=30.0, help="Seconds between heartbeats."),
    cfg.FloatOpt(
        "resync_interval",
        default=10.0,
        help="Seconds between full re-reads of the desired state when no change was signalled.",
    ),
]

OPTION_GROUPS = {"network_agent": "AGENT_OPTS"}
