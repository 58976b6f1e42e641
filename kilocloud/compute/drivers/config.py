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

IMAGE_CACHE_OPTS = [
    cfg.IntOpt(
        "remove_unused_original_minimum_age_seconds",
        default=86400,
        min=0,
        help="Seconds an image no server on this host uses stays in the host's image cache.",
    ),
]

CONTAINER_OPTS = [
    cfg.StrOpt("podman", default="podman", help="The podman program that runs containers."),
    cfg.IntOpt(
        "stop_timeout",
        default=10,
        min=0,
        help="Seconds a container gets to stop after SIGTERM before it is killed.",
    ),
    cfg.StrOpt(
        "config_drive_mount",
        default="/mnt/config",
        help="Where a container sees its config drive (openstack/latest/meta_data.json, "
        "user_data), mounted read-only.",
    ),
    cfg.StrOpt(
        "console_log_max_size",
        default="10mb",
        help="Size at which a container's console log is rotated (podman's max-size).",
    ),
    cfg.FloatOpt(
        "probe_timeout", default=30, min=1, help="Seconds the podman probe may take at start."
    ),
]

QEMU_OPTS = [
    cfg.StrOpt("qemu_binary", default="qemu-system-x86_64", help="The QEMU system emulator."),
    cfg.StrOpt("qemu_img", default="qemu-img", help="The qemu-img program for disk images."),
    cfg.StrOpt(
        "accel",
        default="auto",
        choices=["auto", "kvm", "tcg"],
        help="QEMU accelerator; auto uses KVM when a probe shows it runs guests here, else TCG.",
    ),
    cfg.FloatOpt(
        "probe_timeout",
        default=5,
        min=1,
        help="Seconds the accelerator probe waits for QEMU's firmware to finish.",
    ),
    cfg.StrOpt("machine_type", default="q35", help="QEMU machine type of every server."),
    cfg.IntOpt(
        "shutdown_timeout",
        default=60,
        min=0,
        help="Seconds a guest gets to power off after the ACPI power button before QEMU ends.",
    ),
    cfg.BoolOpt(
        "force_config_drive",
        default=False,
        help="Attach a config drive to every server, not only those that ask for one.",
    ),
]

OPTION_GROUPS = {
    "compute": "DRIVER_OPTS",
    "image_cache": "IMAGE_CACHE_OPTS",
    "container": "CONTAINER_OPTS",
    "qemu": "QEMU_OPTS",
}
