"""Security group rules: protocols, port ranges and remotes checked as Neutron checks them."""

from __future__ import annotations

import ipaddress
from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Connection
from kilocloud.network import errors, schemas
from kilocloud.network.models import SecurityGroup, SecurityGroupRule
from kilocloud.network.service import body, records
from kilocloud.network.service.collection import Collection, privileged
from kilocloud.network.service.quotas import check_quota
from kilocloud.network.service.security_groups import add_rule, default_ids, rule_view

PROTOCOLS = {
    "ah": 51, "dccp": 33, "egp": 8, "esp": 50, "gre": 47, "hopopt": 0, "icmp": 1, "icmpv6": 58,
    "igmp": 2, "ipip": 4, "ipv6-encap": 41, "ipv6-frag": 44, "ipv6-icmp": 58, "ipv6-nonxt": 59,
    "ipv6-opts": 60, "ipv6-route": 43, "ospf": 89, "pgm": 113, "rsvp": 46, "sctp": 132,
    "tcp": 6, "udp": 17, "udplite": 136, "vrrp": 112,
}  # fmt: skip
PORT_PROTOCOLS = ("tcp", "udp", "sctp", "udplite", "dccp", "6", "17", "132", "136", "33")
ICMP = ("icmp", "icmpv6", "ipv6-icmp", "1", "58")
ANY = ("0.0.0.0/0", "::/0")
COMPARED = (
    "direction",
    "ethertype",
    "protocol",
    "port_range_min",
    "port_range_max",
    "remote_group_id",
)


def normalize(values: dict[str, Any]) -> dict[str, Any]:
    """The rule's ethertype, protocol, ports and remote, checked; 400s as Neutron's."""
    ethertype = {"ipv4": "IPv4", "ipv6": "IPv6"}.get(str(values["ethertype"]).lower())
    if ethertype is None:
        raise errors.SecurityGroupRuleInvalidEtherType(ethertype=values["ethertype"])
    protocol = _protocol(values["protocol"])
    low, high = values["port_range_min"], values["port_range_max"]
    _ports(protocol, low, high)
    prefix = values["remote_ip_prefix"]
    if prefix is not None:
        net = ipaddress.ip_network(prefix, strict=False)
        if f"IPv{net.version}" != ethertype:
            raise errors.SecurityGroupRuleParameterConflict(ethertype=ethertype, cidr=prefix)
        prefix = str(net)
        if values["remote_group_id"]:
            raise errors.SecurityGroupRemoteGroupAndRemoteIpPrefix()
    return {
        "direction": values["direction"],
        "ethertype": ethertype,
        "protocol": protocol,
        "port_range_min": low,
        "port_range_max": high,
        "remote_ip_prefix": prefix,
        "remote_group_id": values["remote_group_id"],
        "description": values["description"],
    }


def _protocol(protocol: str | None) -> str | None:
    if protocol is None or str(protocol).lower() == "any":
        return None
    name = str(protocol).lower()
    if name in PROTOCOLS:
        return name
    if name.isdigit() and 0 <= int(name) <= 255:
        return str(int(name))
    raise errors.SecurityGroupRuleInvalidProtocol(protocol=protocol, values=list(PROTOCOLS))


def _ports(protocol: str | None, low: int | None, high: int | None) -> None:
    if low is None and high is None:
        return
    if protocol is None:
        raise errors.SecurityGroupProtocolRequiredWithPorts()
    if protocol in PORT_PROTOCOLS:
        for port in (low, high):
            if port is not None and not 1 <= port <= 65535:
                raise errors.SecurityGroupInvalidPortValue(port=port)
        if low is not None and high is not None and low > high:
            raise errors.SecurityGroupInvalidPortRange()
    elif protocol in ICMP:
        for field, attr, value in (("type", "min", low), ("code", "max", high)):
            if value is not None and not 0 <= value <= 255:
                raise errors.SecurityGroupInvalidIcmpValue(field=field, attr=attr, value=value)
        if low is None:
            raise errors.SecurityGroupMissingIcmpType(value=high)
    else:
        raise errors.SecurityGroupInvalidProtocolForPort(protocol=protocol)


class SecurityGroupRules(Collection):
    kind, model, attrs = "security_group_rule", SecurityGroupRule, schemas.SECURITY_GROUP_RULE
    not_found = errors.SecurityGroupRuleNotFound

    def __init__(self, deps: Any, groups: Any) -> None:
        super().__init__(deps)
        self.groups = groups

    def scope(self, ctx: RequestContext) -> ColumnElement | None:
        if privileged(ctx):
            return None
        owned = select(SecurityGroup.id).where(SecurityGroup.project_id == ctx.project_id)
        return or_(
            SecurityGroupRule.project_id == ctx.project_id,
            SecurityGroupRule.security_group_id.in_(owned),
        )

    async def views(self, conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
        defaults = await default_ids(conn, {r.security_group_id for r in rows})
        return [rule_view(r, defaults) for r in rows]

    async def create(self, ctx: RequestContext, data: Any) -> dict[str, Any]:
        """POST /security-group-rules."""
        return (await self.create_many(ctx, [body.unwrap(data, "security_group_rule")]))[0]

    async def create_many(self, ctx: RequestContext, datas: list[dict]) -> list[dict[str, Any]]:
        async with self.deps.db.transaction() as conn:
            ids = [await self._insert(ctx, conn, d) for d in datas]
            created = [await self.item(conn, i) for i in ids]
        for item in created:
            await self.deps.notify(
                ctx, "security_group_rule.create.end", {"security_group_rule": item}
            )
        await self.deps.changed(ctx)
        return [self.present(ctx, i, []) for i in created]

    async def _insert(self, ctx: RequestContext, conn: Connection, data: dict) -> str:
        values = body.for_create(ctx, data, self.attrs)
        group = await self.groups.visible_item(ctx, conn, values["security_group_id"])
        self.access.enforce_attrs(
            ctx, "create", {}, {"project_id": group["project_id"], "tenant_id": group["project_id"]}
        )
        rule = normalize(values)
        if rule["remote_group_id"]:
            await self.groups.visible_item(ctx, conn, rule["remote_group_id"])
        await check_quota(
            self.deps, conn, group["project_id"], "security_group_rule", SecurityGroupRule
        )
        for existing in group["security_group_rules"]:
            if _same(existing, rule):
                raise errors.SecurityGroupRuleExists(rule_id=existing["id"])
        rule_id = await add_rule(conn, group["project_id"], group["id"], **rule)
        await records.bump(conn, SecurityGroup, group["id"])
        return rule_id

    async def delete(self, ctx: RequestContext, rule_id: str, if_match: int | None) -> None:
        """DELETE /security-group-rules/{id}."""
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, rule_id, "delete")
            await conn.execute(delete(SecurityGroupRule).where(SecurityGroupRule.id == rule_id))
            await records.bump(conn, SecurityGroup, current["security_group_id"])
        await self.deps.notify(
            ctx,
            "security_group_rule.delete.end",
            {"security_group_rule_id": rule_id, "security_group_rule": current},
        )
        await self.deps.changed(ctx)


def _same(existing: dict[str, Any], rule: dict[str, Any]) -> bool:
    prefixes = [
        None if p in ANY else p for p in (existing["remote_ip_prefix"], rule["remote_ip_prefix"])
    ]
    return prefixes[0] == prefixes[1] and all(existing[k] == rule[k] for k in COMPARED)
