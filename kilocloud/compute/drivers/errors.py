"""What goes wrong in a driver, so that the agent can record it as the server's fault."""

from __future__ import annotations


class DriverError(Exception):
    """A driver could not do what it was asked; the message is safe to show as a fault."""


class CommandFailed(DriverError):
    """A host program (podman, qemu, xorriso...) failed or timed out."""


class ImageCorrupt(DriverError):
    """Image data that does not match the checksum the image service recorded."""


class InstanceNotFound(DriverError):
    """This host runs no such server."""
