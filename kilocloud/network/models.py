"""Network tables: networks, subnets, ports and their IP allocations, security groups, routers,
floating IPs, tags, quotas and the agents' heartbeats."""

from __future__ import annotations

import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kilocloud.core.db import Base, Timestamp, utcnow

ID = String(36)
PROJECT = String(64)


class StandardAttrs:
    """Neutron's standard attributes, on every top-level resource."""

    description: Mapped[str] = mapped_column(String(255), default="")
    revision_number: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)


class Network(StandardAttrs, Base):
    __tablename__ = "networks"
    __table_args__ = (UniqueConstraint("network_type", "segmentation_id"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    project_id: Mapped[str] = mapped_column(PROJECT, index=True)
    name: Mapped[str] = mapped_column(String(255), default="", index=True)
    admin_state_up: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16), default="ACTIVE")
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    external: Mapped[bool] = mapped_column(Boolean, default=False)
    mtu: Mapped[int] = mapped_column(Integer)
    port_security_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    network_type: Mapped[str] = mapped_column(String(32))
    physical_network: Mapped[str | None] = mapped_column(String(64))
    segmentation_id: Mapped[int | None] = mapped_column(Integer)
    availability_zone_hints: Mapped[list] = mapped_column(JSON, default=list)


class Subnet(StandardAttrs, Base):
    __tablename__ = "subnets"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    project_id: Mapped[str] = mapped_column(PROJECT, index=True)
    network_id: Mapped[str] = mapped_column(ForeignKey("networks.id"), index=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    ip_version: Mapped[int] = mapped_column(Integer)
    cidr: Mapped[str] = mapped_column(String(64))
    gateway_ip: Mapped[str | None] = mapped_column(String(64))
    enable_dhcp: Mapped[bool] = mapped_column(Boolean, default=True)
    allocation_pools: Mapped[list] = mapped_column(JSON, default=list)
    dns_nameservers: Mapped[list] = mapped_column(JSON, default=list)
    host_routes: Mapped[list] = mapped_column(JSON, default=list)
    ipv6_ra_mode: Mapped[str | None] = mapped_column(String(16))
    ipv6_address_mode: Mapped[str | None] = mapped_column(String(16))
    subnetpool_id: Mapped[str | None] = mapped_column(ID)


class Port(StandardAttrs, Base):
    __tablename__ = "ports"
    __table_args__ = (UniqueConstraint("network_id", "mac_address"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    project_id: Mapped[str] = mapped_column(PROJECT, index=True)
    network_id: Mapped[str] = mapped_column(ForeignKey("networks.id"), index=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    admin_state_up: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16), default="DOWN")
    mac_address: Mapped[str] = mapped_column(String(32))
    device_id: Mapped[str] = mapped_column(String(255), default="", index=True)
    device_owner: Mapped[str] = mapped_column(String(255), default="")
    binding_host_id: Mapped[str] = mapped_column(String(255), default="", index=True)
    binding_vnic_type: Mapped[str] = mapped_column(String(64), default="normal")
    binding_profile: Mapped[dict] = mapped_column(JSON, default=dict)
    binding_vif_type: Mapped[str] = mapped_column(String(64), default="unbound")
    binding_vif_details: Mapped[dict] = mapped_column(JSON, default=dict)
    port_security_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    security_groups: Mapped[list] = mapped_column(JSON, default=list)
    allowed_address_pairs: Mapped[list] = mapped_column(JSON, default=list)
    extra_dhcp_opts: Mapped[list] = mapped_column(JSON, default=list)


class IPAllocation(Base):
    """One address held by one port: the primary key is what makes a claim atomic."""

    __tablename__ = "ip_allocations"
    subnet_id: Mapped[str] = mapped_column(
        ForeignKey("subnets.id", ondelete="CASCADE"), primary_key=True
    )
    ip_address: Mapped[str] = mapped_column(String(64), primary_key=True)
    port_id: Mapped[str] = mapped_column(ForeignKey("ports.id", ondelete="CASCADE"), index=True)
    network_id: Mapped[str] = mapped_column(ID, index=True)


class SecurityGroup(StandardAttrs, Base):
    __tablename__ = "security_groups"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    project_id: Mapped[str] = mapped_column(PROJECT, index=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    stateful: Mapped[bool] = mapped_column(Boolean, default=True)


class DefaultSecurityGroup(Base):
    """The one `default` group of a project: the key keeps a second one from being made."""

    __tablename__ = "default_security_groups"
    project_id: Mapped[str] = mapped_column(PROJECT, primary_key=True)
    security_group_id: Mapped[str] = mapped_column(
        ForeignKey("security_groups.id", ondelete="CASCADE")
    )


class SecurityGroupRule(StandardAttrs, Base):
    __tablename__ = "security_group_rules"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    project_id: Mapped[str] = mapped_column(PROJECT, index=True)
    security_group_id: Mapped[str] = mapped_column(
        ForeignKey("security_groups.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(16))
    ethertype: Mapped[str] = mapped_column(String(8))
    protocol: Mapped[str | None] = mapped_column(String(40))
    port_range_min: Mapped[int | None] = mapped_column(Integer)
    port_range_max: Mapped[int | None] = mapped_column(Integer)
    remote_ip_prefix: Mapped[str | None] = mapped_column(String(64))
    remote_group_id: Mapped[str | None] = mapped_column(ID)


class Router(StandardAttrs, Base):
    __tablename__ = "routers"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    project_id: Mapped[str] = mapped_column(PROJECT, index=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    admin_state_up: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16), default="ACTIVE")
    gw_port_id: Mapped[str | None] = mapped_column(ForeignKey("ports.id"))
    enable_snat: Mapped[bool] = mapped_column(Boolean, default=True)
    routes: Mapped[list] = mapped_column(JSON, default=list)
    distributed: Mapped[bool] = mapped_column(Boolean, default=False)
    ha: Mapped[bool] = mapped_column(Boolean, default=False)
    availability_zone_hints: Mapped[list] = mapped_column(JSON, default=list)


class RouterPort(Base):
    __tablename__ = "router_ports"
    port_id: Mapped[str] = mapped_column(
        ForeignKey("ports.id", ondelete="CASCADE"), primary_key=True
    )
    router_id: Mapped[str] = mapped_column(ForeignKey("routers.id"), index=True)
    port_type: Mapped[str] = mapped_column(String(255))


class FloatingIP(StandardAttrs, Base):
    __tablename__ = "floatingips"
    __table_args__ = (UniqueConstraint("port_id", "fixed_ip_address"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    project_id: Mapped[str] = mapped_column(PROJECT, index=True)
    floating_network_id: Mapped[str] = mapped_column(ForeignKey("networks.id"), index=True)
    floating_port_id: Mapped[str] = mapped_column(ForeignKey("ports.id"))
    floating_ip_address: Mapped[str] = mapped_column(String(64))
    port_id: Mapped[str | None] = mapped_column(ID, index=True)
    fixed_ip_address: Mapped[str | None] = mapped_column(String(64))
    router_id: Mapped[str | None] = mapped_column(ID, index=True)
    status: Mapped[str] = mapped_column(String(16), default="DOWN")


class Tag(Base):
    __tablename__ = "network_tags"
    resource_id: Mapped[str] = mapped_column(ID, primary_key=True)
    tag: Mapped[str] = mapped_column(String(255), primary_key=True)


class Quota(Base):
    __tablename__ = "network_quotas"
    project_id: Mapped[str] = mapped_column(PROJECT, primary_key=True)
    resource: Mapped[str] = mapped_column(String(64), primary_key=True)
    limit: Mapped[int] = mapped_column(Integer)


class Agent(Base):
    """A network agent as its heartbeats report it."""

    __tablename__ = "network_agents"
    __table_args__ = (UniqueConstraint("agent_type", "host"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    agent_type: Mapped[str] = mapped_column(String(255))
    binary: Mapped[str] = mapped_column(String(255))
    topic: Mapped[str] = mapped_column(String(255))
    host: Mapped[str] = mapped_column(String(255))
    availability_zone: Mapped[str | None] = mapped_column(String(255))
    admin_state_up: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str | None] = mapped_column(String(255))
    configurations: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
    started_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
    heartbeat_timestamp: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)


class AddressScope(StandardAttrs, Base):
    __tablename__ = "address_scopes"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    project_id: Mapped[str] = mapped_column(PROJECT, index=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    ip_version: Mapped[int] = mapped_column(Integer)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)


class SubnetPool(StandardAttrs, Base):
    __tablename__ = "subnetpools"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    project_id: Mapped[str] = mapped_column(PROJECT, index=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    ip_version: Mapped[int] = mapped_column(Integer)
    prefixes: Mapped[list] = mapped_column(JSON, default=list)
    default_prefixlen: Mapped[int] = mapped_column(Integer)
    min_prefixlen: Mapped[int] = mapped_column(Integer)
    max_prefixlen: Mapped[int] = mapped_column(Integer)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    default_quota: Mapped[int | None] = mapped_column(Integer)
    address_scope_id: Mapped[str | None] = mapped_column(ForeignKey("address_scopes.id"))
