"""Compute API microversions: the range served, how a request names one, and each change."""

from __future__ import annotations

import re

from kilocloud.core.errors import APIError, BadRequest

MIN = (2, 1)
# every change up to MAX is honoured for the resources served (see CHANGES)
MAX = (2, 104)
HEADER = "openstack-api-version"
LEGACY_HEADER = "x-openstack-nova-api-version"
_FORMAT = re.compile(r"^([1-9]\d*)\.([1-9]\d*|0)$")

# the microversions whose changes this service implements, and where
CHANGES: dict[tuple[int, int], str] = {}

Version = tuple[int, int]


class NotAcceptable(APIError):
    status, title = 406, "Not Acceptable"


def text(version: Version) -> str:
    """'2.X' for (2, X)."""
    return f"{version[0]}.{version[1]}"


def _requested(headers: dict[str, str]) -> str | None:
    """The version string the request names for compute, if any."""
    value = headers.get(HEADER)
    if value is not None:
        for item in reversed(value.split(",")):
            service, _, version = item.strip().partition(" ")
            if service.lower() == "compute":
                return version.strip()
    return headers.get(LEGACY_HEADER)


def negotiate(headers: dict[str, str]) -> Version:
    """The version a request asks for: 2.1 when unnamed, MAX for latest; 400/406 otherwise."""
    asked = _requested(headers)
    if asked is None:
        return MIN
    if asked.strip().lower() == "latest":
        return MAX
    found = _FORMAT.match(asked.strip())
    if not found:
        raise BadRequest(
            f"API Version String {asked} is of invalid format. Must be of format MajorNum.MinorNum."
        )
    version = (int(found.group(1)), int(found.group(2)))
    if not MIN <= version <= MAX:
        raise NotAcceptable(
            f"Version {text(version)} is not supported by the API. Minimum is {text(MIN)} and "
            f"maximum is {text(MAX)}."
        )
    return version


def response_headers(version: Version) -> list[tuple[bytes, bytes]]:
    """The headers every microversioned response carries."""
    return [
        (b"openstack-api-version", f"compute {text(version)}".encode()),
        (b"x-openstack-nova-api-version", text(version).encode()),
        (b"vary", b"OpenStack-API-Version"),
        (b"vary", b"X-OpenStack-Nova-API-Version"),
    ]
