"""Neutron's error body {"NeutronError": {"type", "message", "detail"}} and its error types.

`type` is the name of the Neutron exception class; errors raised by shared code (core.errors)
carry webob's class name for their status, as Neutron's own webob errors do.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.errors import APIError, BadRequest, Conflict, NotFound, Unavailable
from kilocloud.core.http import json

WEBOB = {
    400: "HTTPBadRequest",
    401: "HTTPUnauthorized",
    403: "HTTPForbidden",
    404: "HTTPNotFound",
    405: "HTTPMethodNotAllowed",
    409: "HTTPConflict",
    412: "HTTPPreconditionFailed",
    413: "HTTPRequestEntityTooLarge",
    415: "HTTPUnsupportedMediaType",
    500: "HTTPInternalServerError",
    501: "HTTPNotImplemented",
    503: "HTTPServiceUnavailable",
}
INTERNAL = "Request Failed: internal server error while processing your request."


class NeutronError(APIError):
    """An error named as Neutron names it; `template` is formatted with the keyword args."""

    template = ""

    def __init__(self, message: str | None = None, **kwargs: object) -> None:
        super().__init__(message or self.template.format(**kwargs))


class PreconditionFailed(APIError):
    status, title = 412, "Precondition Failed"


class NotImplementedYet(APIError):
    status, title = 501, "Not Implemented"


def _kind(base: type[APIError], name: str, template: str) -> type[NeutronError]:
    return type(name, (NeutronError, base), {"template": template})


InvalidInput = _kind(BadRequest, "InvalidInput", "Invalid input for operation: {error_message}.")
NetworkNotFound = _kind(NotFound, "NetworkNotFound", "Network {id} could not be found.")
SubnetNotFound = _kind(NotFound, "SubnetNotFound", "Subnet {id} could not be found.")
PortNotFound = _kind(NotFound, "PortNotFound", "Port {id} could not be found.")
RouterNotFound = _kind(NotFound, "RouterNotFound", "Router {id} could not be found")
FloatingIPNotFound = _kind(NotFound, "FloatingIPNotFound", "Floating IP {id} could not be found")
SecurityGroupNotFound = _kind(
    NotFound, "SecurityGroupNotFound", "Security group {id} does not exist"
)
SecurityGroupRuleNotFound = _kind(
    NotFound, "SecurityGroupRuleNotFound", "Security group rule {id} does not exist"
)
AgentNotFound = _kind(NotFound, "AgentNotFound", "Agent {id} could not be found.")
NetworkInUse = _kind(
    Conflict,
    "NetworkInUse",
    "Unable to complete operation on network {id}. "
    "There are one or more ports still in use on the network.",
)
SubnetInUse = _kind(
    Conflict,
    "SubnetInUse",
    "Unable to complete operation on subnet {id}: "
    "One or more ports have an IP allocation from this subnet.",
)
PortInUse = _kind(
    Conflict,
    "PortInUse",
    "Unable to complete operation on port {id} for network {network_id}. "
    "Port already has an attached device {device_id}.",
)
RouterInUse = _kind(Conflict, "RouterInUse", "Router {id} {reason}")
IpAddressGenerationFailure = _kind(
    Conflict, "IpAddressGenerationFailure", "No more IP addresses available on network {id}."
)
IpAddressAlreadyAllocated = _kind(
    Conflict,
    "IpAddressAlreadyAllocated",
    "IP address {ip} already allocated in subnet {subnet_id}",
)
InvalidIpForSubnet = _kind(
    BadRequest, "InvalidIpForSubnet", "IP address {ip} is not a valid IP for the specified subnet."
)
InvalidIpForNetwork = _kind(
    BadRequest,
    "InvalidIpForNetwork",
    "IP address {ip} is not a valid IP for any of the subnets on the specified network.",
)
MacAddressInUse = _kind(
    Conflict,
    "MacAddressInUse",
    "Unable to complete operation for network {net_id}. The mac address {mac} is in use.",
)
OverQuota = _kind(Conflict, "OverQuota", "Quota exceeded for resources: {overs}.")
InvalidAllocationPool = _kind(
    BadRequest, "InvalidAllocationPool", "The allocation pool {pool} is not valid."
)
OutOfBoundsAllocationPool = _kind(
    BadRequest,
    "OutOfBoundsAllocationPool",
    "The allocation pool {pool} spans beyond the subnet cidr {subnet_cidr}.",
)
OverlappingAllocationPools = _kind(
    Conflict,
    "OverlappingAllocationPools",
    "Found overlapping allocation pools: {pool_1} and {pool_2} for subnet {subnet_cidr}.",
)
GatewayConflictWithAllocationPools = _kind(
    Conflict,
    "GatewayConflictWithAllocationPools",
    "Gateway ip {ip_address} conflicts with allocation pool {pool}.",
)
RevisionNumberConstraintFailed = _kind(
    PreconditionFailed,
    "RevisionNumberConstraintFailed",
    "Constrained to {expected}, but current revision is {current}",
)
PolicyNotAuthorized = _kind(APIError, "PolicyNotAuthorized", "{action} is disallowed by policy")
PolicyNotAuthorized.status = 403
TunnelIdInUse = _kind(
    Conflict, "TunnelIdInUse", "Unable to create the network. The tunnel ID {tunnel_id} is in use."
)
FlatNetworkInUse = _kind(
    Conflict,
    "FlatNetworkInUse",
    "Unable to create the flat network. Physical network {physical_network} is in use.",
)
InvalidSharedSetting = _kind(
    Conflict,
    "InvalidSharedSetting",
    "Unable to reconfigure sharing settings for network {network}. Multiple tenants are using it.",
)
GatewayIpInUse = _kind(
    Conflict,
    "GatewayIpInUse",
    "Current gateway ip {ip_address} already in use by port. Unable to update.",
)
PortBound = _kind(
    Conflict,
    "PortBound",
    "Unable to complete operation on port {port_id}, port is already bound, port type: {vif_type}",
)
ServicePortInUse = _kind(
    Conflict,
    "ServicePortInUse",
    "Port {port_id} cannot be deleted directly via the port API: has device owner {device_owner}.",
)
AddressPairAndPortSecurityRequired = _kind(
    Conflict,
    "AddressPairAndPortSecurityRequired",
    "Port Security must be enabled in order to have allowed address pairs on a port.",
)
PortSecurityPortHasSecurityGroup = _kind(
    Conflict,
    "PortSecurityPortHasSecurityGroup",
    "Port has security group associated. Cannot disable port security or ip address "
    "until security group is removed",
)
PortSecurityAndIPRequiredForSecurityGroups = _kind(
    BadRequest,
    "PortSecurityAndIPRequiredForSecurityGroups",
    "Port security must be enabled and port must have an IP address in order to use "
    "security groups.",
)
SecurityGroupDefaultAlreadyExists = _kind(
    Conflict, "SecurityGroupDefaultAlreadyExists", "Default security group already exists."
)
SecurityGroupCannotUpdateDefault = _kind(
    Conflict, "SecurityGroupCannotUpdateDefault", "Updating default security group not allowed."
)
SecurityGroupCannotRemoveDefault = _kind(
    Conflict,
    "SecurityGroupCannotRemoveDefault",
    "Insufficient rights for removing default security group.",
)
SecurityGroupInUse = _kind(Conflict, "SecurityGroupInUse", "Security Group {id} in use.")
SecurityGroupRuleExists = _kind(
    Conflict, "SecurityGroupRuleExists", "Security group rule already exists. Rule id is {rule_id}."
)
SecurityGroupRuleInvalidProtocol = _kind(
    BadRequest,
    "SecurityGroupRuleInvalidProtocol",
    "Security group rule protocol {protocol} not supported. Only protocol values {values} and "
    "integer representations [0 to 255] are supported.",
)
SecurityGroupRuleInvalidEtherType = _kind(
    BadRequest,
    "SecurityGroupRuleInvalidEtherType",
    "Security group rule for ethertype '{ethertype}' not supported. "
    "Allowed values are ['IPv4', 'IPv6'].",
)
SecurityGroupProtocolRequiredWithPorts = _kind(
    BadRequest,
    "SecurityGroupProtocolRequiredWithPorts",
    "Must also specify protocol if port range is given.",
)
SecurityGroupInvalidPortRange = _kind(
    BadRequest,
    "SecurityGroupInvalidPortRange",
    "For TCP/UDP protocols, port_range_min must be <= port_range_max",
)
SecurityGroupInvalidPortValue = _kind(
    BadRequest, "SecurityGroupInvalidPortValue", "Invalid value for port {port}."
)
SecurityGroupInvalidIcmpValue = _kind(
    BadRequest,
    "SecurityGroupInvalidIcmpValue",
    "Invalid value for ICMP {field} (port-range-{attr}): {value}",
)
SecurityGroupMissingIcmpType = _kind(
    BadRequest,
    "SecurityGroupMissingIcmpType",
    "ICMP code (port-range-max) {value} is provided but ICMP type (port-range-min) is missing.",
)
SecurityGroupInvalidProtocolForPort = _kind(
    BadRequest,
    "SecurityGroupInvalidProtocolForPort",
    "Invalid protocol {protocol} for port range, only supported for TCP, UDP, UDPLITE, SCTP "
    "and DCCP.",
)
SecurityGroupRuleParameterConflict = _kind(
    BadRequest,
    "SecurityGroupRuleParameterConflict",
    "Conflicting value ethertype {ethertype} for CIDR {cidr}",
)
SecurityGroupRemoteGroupAndRemoteIpPrefix = _kind(
    BadRequest,
    "SecurityGroupRemoteGroupAndRemoteIpPrefix",
    "Only remote_ip_prefix or remote_group_id may be provided.",
)
BadResourceRequest = _kind(BadRequest, "BadRequest", "Bad {resource} request: {msg}.")
RouterInterfaceNotFound = _kind(
    NotFound,
    "RouterInterfaceNotFound",
    "Router {router_id} does not have an interface with id {port_id}",
)
RouterInterfaceNotFoundForSubnet = _kind(
    NotFound,
    "RouterInterfaceNotFoundForSubnet",
    "Router {router_id} has no interface on subnet {subnet_id}",
)
RouterInterfaceInUseByFloatingIP = _kind(
    Conflict,
    "RouterInterfaceInUseByFloatingIP",
    "Router interface for subnet {subnet_id} on router {router_id} cannot be deleted, "
    "as it is required by one or more floating IPs.",
)
RouterExternalGatewayInUseByFloatingIp = _kind(
    Conflict,
    "RouterExternalGatewayInUseByFloatingIp",
    "Gateway cannot be updated for router {router_id}, since a gateway to external network "
    "{net_id} is required by one or more floating IPs.",
)
ExternalGatewayForFloatingIPNotFound = _kind(
    NotFound,
    "ExternalGatewayForFloatingIPNotFound",
    "External network {external_network_id} is not reachable from subnet {subnet_id}. "
    "Therefore, cannot associate Port {port_id} with a Floating IP.",
)
FloatingIPPortAlreadyAssociated = _kind(
    Conflict,
    "FloatingIPPortAlreadyAssociated",
    "Cannot associate floating IP {floating_ip_address} ({fip_id}) with port {port_id} using "
    "fixed IP {fixed_ip}, as that fixed IP already has a floating IP on external network "
    "{net_id}.",
)
InvalidRoutes = _kind(BadRequest, "InvalidRoutes", "Invalid format for routes: {routes}, {reason}")
SubnetPoolNotFound = _kind(NotFound, "SubnetPoolNotFound", "Subnet pool {id} could not be found.")
AddressScopeNotFound = _kind(
    NotFound, "AddressScopeNotFound", "Address scope {id} could not be found."
)
SubnetPoolInUse = _kind(
    Conflict, "SubnetPoolInUse", "Subnet pool {id} cannot be deleted: it is in use by subnets."
)
AddressScopeInUse = _kind(
    Conflict,
    "AddressScopeInUse",
    "Unable to complete operation on address scope {id}. "
    "There are one or more subnet pools in use on the address scope.",
)
SubnetAllocationError = _kind(
    Conflict, "SubnetAllocationError", "Failed to allocate subnet: {reason}."
)
IllegalSubnetPoolPrefixBounds = _kind(
    BadRequest,
    "IllegalSubnetPoolPrefixBounds",
    "Illegal prefix bounds: {prefix_type}={prefixlen}, {base_prefix_type}={base_prefixlen}.",
)
NoNetworkAvailable = _kind(
    Unavailable,
    "NoNetworkAvailable",
    "Unable to create the network. No tenant network is available for allocation.",
)


async def render(request: Request, exc: APIError) -> Response:
    """An error as Neutron's error body (Starlette's 404 and 405 too); 500s hide their message
    as Neutron does."""
    kind = type(exc).__name__ if isinstance(exc, NeutronError) else WEBOB.get(exc.status)
    message = INTERNAL if exc.status == 500 else exc.message
    body = {"NeutronError": {"type": kind or "HTTPError", "message": message, "detail": ""}}
    return json(body, exc.status, exc.headers)
