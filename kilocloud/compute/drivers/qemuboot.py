"""How a virtual machine boots: from its disk, or a kernel and ramdisk as Nova's libvirt does.

An image with a kernel_id property (an AMI, or any disk) boots that kernel image directly, with
the ramdisk_id image as its initrd and the os_command_line property as its command line.
"""

from __future__ import annotations

from kilocloud.compute.drivers.base import ImageSource, InstanceSpec
from kilocloud.compute.drivers.imagecache import ImageCache

DEFAULT_CMDLINE = "root=/dev/vda console=tty0 console=ttyS0"
BOOT_PROPERTIES = ("kernel_id", "ramdisk_id", "os_command_line")


async def boot_record(spec: InstanceSpec, images: ImageSource, cache: ImageCache) -> dict:
    """The kernel/ramdisk files (fetched into the cache for this server) and command line."""
    props = spec.image.properties
    record: dict = {"boot_properties": {k: props[k] for k in BOOT_PROPERTIES if props.get(k)}}
    for role in ("kernel", "ramdisk"):
        if image_id := props.get(f"{role}_id"):
            image = await images.info(image_id)
            record[role] = str(await cache.acquire(image, images, spec.uuid))
            record[f"{role}_id"] = image_id
    if "kernel" in record:
        record["cmdline"] = props.get("os_command_line") or DEFAULT_CMDLINE
    return record


def cached_ids(record: dict) -> list[str]:
    """Ids of the cached images a server's record holds references to."""
    return [record[k] for k in ("image_id", "kernel_id", "ramdisk_id") if record.get(k)]
