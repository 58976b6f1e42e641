"""Options of the compute drivers: which run on a host, and how each runs servers."""

from __future__ import annotations

from oslo_config import cfg

DRIVER_OPTS = [
    cfg.ListOpt(
        "compute_drivers",
        default=["container", "qemu"],
        help="Drivers a compute agent offers, in the order it tries them for an image "
        "(container, qemu, fake); those whose probe fails on the host are left out.",
    ),
]

OPTION_GROUPS = {"compute": "DRIVER_OPTS"}
