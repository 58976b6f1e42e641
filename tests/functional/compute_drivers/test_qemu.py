"""The QEMU driver with real QEMU (TCG here), booting a Debian cloud kernel and busybox."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kilocloud.compute.drivers import accel
from kilocloud.compute.drivers.base import FlavorInfo, PowerState
from kilocloud.compute.drivers.errors import InstanceNotFound
from kilocloud.compute.drivers.qemu import QemuDriver
from tests.functional.compute_drivers.conftest import driver_conf, instance_spec
from tests.images import VM_BANNER

pytestmark = [
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.skipif(not shutil.which("qemu-system-x86_64"), reason="needs QEMU"),
]


@pytest.fixture
async def driver(tmp_path):
    conf = driver_conf(**{"qemu.accel": "tcg", "qemu.shutdown_timeout": 20})
    driver = QemuDriver(conf, tmp_path / "qemu")
    assert await driver.probe()
    yield driver
    for uuid in await driver.list_instances():
        await driver.destroy(uuid)


async def wait_console(driver, uuid: str, text: str, count: int = 1, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = await driver.console_output(uuid, None)
        if output.count(text) >= count:
            return output
        await asyncio.sleep(0.2)
    raise AssertionError(f"{text!r} x{count} never came: {output!r}")


def running(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for the machine's init to reap it does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


async def serial_command(driver, uuid: str, line: str, done: str) -> None:
    """Type a line on the VM's serial console and wait for `done` in its log."""
    _, writer = await driver.open_serial(uuid)
    writer.write(f"{line}; echo {done}\n".encode())
    await writer.drain()
    await wait_console(driver, uuid, f"\n{done}", timeout=30)
    writer.close()


async def test_accelerator_probe_never_hangs_and_falls_back():
    started = time.monotonic()
    chosen = await accel.choose("qemu-system-x86_64", "auto", timeout=3)
    assert chosen in ("kvm", "tcg")
    assert time.monotonic() - started < 15


async def test_vm_boots_its_kernel_and_reads_the_config_drive(driver, image_source, vm_images):
    spec = instance_spec(vm_images["ami"])
    await driver.spawn(spec, image_source)
    assert await driver.power_state(spec.uuid) == PowerState.RUNNING
    output = await wait_console(driver, spec.uuid, "echo user data here")
    assert VM_BANNER in output
    assert "disk: original" in output
    assert f'"uuid": "{spec.uuid}"' in output
    assert await driver.list_instances() == [spec.uuid]
    assert (await driver.console_output(spec.uuid, 1)).count("\n") <= 1


async def test_disk_is_an_overlay_on_the_cached_image_sized_by_the_flavor(
    driver, image_source, vm_images
):
    flavor = FlavorInfo("m1.test", 1, 128, 2, 0, 0, {})
    spec = instance_spec(vm_images["qcow2"], flavor=flavor)
    await driver.spawn(spec, image_source)
    disk = driver.state_dir / "instances" / spec.uuid / "disk.qcow2"
    out = subprocess.run(
        ["qemu-img", "info", "-U", "--output", "json", disk], capture_output=True, text=True
    )
    info = json.loads(out.stdout)
    assert info["virtual-size"] == 2 << 30
    assert info["full-backing-filename"] == str(driver.cache.path(vm_images["qcow2"].id))
    await wait_console(driver, spec.uuid, "disk: original")


async def test_power_operations_move_the_power_state(driver, image_source, vm_images):
    spec = instance_spec(vm_images["ami"])
    await driver.spawn(spec, image_source)
    await wait_console(driver, spec.uuid, "echo user data here")
    await driver.pause(spec.uuid)
    assert await driver.power_state(spec.uuid) == PowerState.PAUSED
    await driver.unpause(spec.uuid)
    assert await driver.power_state(spec.uuid) == PowerState.RUNNING
    await driver.suspend(spec.uuid)
    assert await driver.power_state(spec.uuid) == PowerState.SUSPENDED
    await driver.resume(spec)
    assert await driver.power_state(spec.uuid) == PowerState.RUNNING
    await serial_command(driver, spec.uuid, "echo still", "the-same-boot")
    assert (await driver.console_output(spec.uuid, None)).count(VM_BANNER) == 1
    await driver.power_off(spec.uuid)
    assert await driver.power_state(spec.uuid) == PowerState.SHUTDOWN
    assert "Power down" in await driver.console_output(spec.uuid, None)
    await driver.power_on(spec)
    await wait_console(driver, spec.uuid, VM_BANNER, count=2)
    await driver.reboot(spec, hard=True)
    await wait_console(driver, spec.uuid, VM_BANNER, count=3)
    assert await driver.power_state(spec.uuid) == PowerState.RUNNING


async def test_snapshot_keeps_the_disk_for_a_server_booted_from_it(driver, image_source, vm_images):
    spec = instance_spec(vm_images["ami"])
    await driver.spawn(spec, image_source)
    await wait_console(driver, spec.uuid, "echo user data here")
    await serial_command(driver, spec.uuid, "echo kept | dd of=/dev/vda conv=notrunc; sync", "ok")
    image_id = await driver.snapshot(spec.uuid, "vm-snap", image_source)
    snapshot = await image_source.info(image_id)
    assert (snapshot.container_format, snapshot.disk_format) == ("bare", "qcow2")
    assert snapshot.properties["kernel_id"] == vm_images["ami"].properties["kernel_id"]
    assert snapshot.properties["instance_uuid"] == spec.uuid
    clone = instance_spec(snapshot)
    await driver.spawn(clone, image_source)
    await wait_console(driver, clone.uuid, "disk: kept")
    assert await driver.power_state(spec.uuid) == PowerState.RUNNING


async def test_a_restarted_agent_finds_its_vms_and_resizes_them(driver, image_source, vm_images):
    spec = instance_spec(vm_images["ami"])
    await driver.spawn(spec, image_source)
    again = QemuDriver(driver_conf(**{"qemu.accel": "tcg"}), driver.state_dir)
    assert await again.list_instances() == [spec.uuid]
    assert await again.power_state(spec.uuid) == PowerState.RUNNING
    await again.power_off(spec.uuid)
    bigger = dataclasses.replace(spec, flavor=FlavorInfo("m1.big", 2, 192, 3, 0, 0, {}))
    await again.power_on(bigger)
    await wait_console(again, spec.uuid, "disk: original")
    disk = again.state_dir / "instances" / spec.uuid / "disk.qcow2"
    out = subprocess.run(
        ["qemu-img", "info", "-U", "--output", "json", disk], capture_output=True, text=True
    )
    assert json.loads(out.stdout)["virtual-size"] == 3 << 30
    pid = int((disk.parent / "qemu.pid").read_text())
    assert "-smp 2" in Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")


async def test_destroy_leaves_no_process_or_files(driver, image_source, vm_images):
    spec = instance_spec(vm_images["ami"])
    await driver.spawn(spec, image_source)
    home = driver.state_dir / "instances" / spec.uuid
    pid = int((home / "qemu.pid").read_text())
    await driver.destroy(spec.uuid)
    await driver.destroy(spec.uuid)
    assert not home.exists()
    assert not running(pid)
    for image_id in ("image_id", "kernel_id", "ramdisk_id"):
        the_id = vm_images["ami"].id if image_id == "image_id" else None
        the_id = the_id or vm_images["ami"].properties[image_id]
        assert driver.cache.users(the_id) == []
    assert await driver.power_state(spec.uuid) == PowerState.NOSTATE
    with pytest.raises(InstanceNotFound):
        await driver.power_off(spec.uuid)
