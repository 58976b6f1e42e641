"""The desired data plane of one host: what dataplane.desired() returns and sync() applies."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Subnet:
    """One subnet of a network, as DHCP and routers need it."""

    id: str
    cidr: str
    ip_version: int
    gateway_ip: str | None
    enable_dhcp: bool
    dns_nameservers: list[str]
    host_routes: list[tuple[str, str]]  # (destination cidr, nexthop)


@dataclass(frozen=True)
class Port:
    """One port: a server's interface, a DHCP port or a router interface/gateway."""

    id: str
    network_id: str
    mac: str
    fixed_ips: list[tuple[str, str]]  # (subnet_id, ip)
    device_owner: str
    device_id: str
    host: str | None
    mtu: int
    security_group_ids: list[str]
    port_security_enabled: bool
    allowed_address_pairs: list[tuple[str, str | None]]  # (ip or cidr, mac)


@dataclass(frozen=True)
class Network:
    """One network with its subnets and the ports this host must know about."""

    id: str
    network_type: str  # "vxlan" | "flat"
    segmentation_id: int | None
    physical_network: str | None
    mtu: int
    external: bool
    subnets: list[Subnet]
    ports: list[Port]


@dataclass(frozen=True)
class Rule:
    """One security group rule."""

    direction: str  # "ingress" | "egress"
    ethertype: str  # "IPv4" | "IPv6"
    protocol: str | None  # name ("tcp", "icmp", ...) or number as a string
    port_range_min: int | None
    port_range_max: int | None
    remote_ip_prefix: str | None
    remote_group_id: str | None


@dataclass(frozen=True)
class SecurityGroup:
    """A security group with its rules and the addresses of its members."""

    id: str
    rules: list[Rule]
    member_ips: list[str]  # for remote_group_id rules


@dataclass(frozen=True)
class FloatingIp:
    """A floating IP and the fixed IP it maps to (None when not associated)."""

    id: str
    floating_ip: str
    fixed_ip: str | None
    port_id: str | None


@dataclass(frozen=True)
class Router:
    """A router: its external gateway port, interface ports, extra routes and floating IPs."""

    id: str
    gateway: Port | None
    enable_snat: bool
    interfaces: list[Port]
    routes: list[tuple[str, str]]  # (destination cidr, nexthop)
    floating_ips: list[FloatingIp]


@dataclass(frozen=True)
class DataPlane:
    """Everything one host must run."""

    networks: list[Network]
    routers: list[Router]
    security_groups: list[SecurityGroup]
