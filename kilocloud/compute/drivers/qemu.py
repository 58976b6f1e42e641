"""The QEMU driver: raw, qcow2 and AMI images as virtual machines (KVM if it works, else TCG).

Each server is a daemonized QEMU whose files live in instances/<uuid>/: a qcow2 overlay on the
cached base image, the config drive ISO, the serial console log and socket, the QMP socket and
the pid file that lets a restarted agent find the process again.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import uuid as uuidlib
from pathlib import Path

from oslo_config import cfg

from kilocloud.compute.drivers import (
    accel,
    commands,
    configdrive,
    netplug,
    qemuargs,
    qmp,
    vmdisk,
)
from kilocloud.compute.drivers.base import ImageInfo, ImageSource, InstanceSpec, PowerState
from kilocloud.compute.drivers.consolelog import text_tail
from kilocloud.compute.drivers.errors import CommandFailed, DriverError, InstanceNotFound
from kilocloud.compute.drivers.hostinfo import host_resources
from kilocloud.compute.drivers.imagecache import ImageCache
from kilocloud.compute.drivers.qemuboot import boot_record, cached_ids
from kilocloud.compute.drivers.qemuproc import alive_pid, gone, read_file

STATUS = {"running": PowerState.RUNNING, "paused": PowerState.PAUSED}
STATUS |= {"guest-panicked": PowerState.CRASHED, "internal-error": PowerState.CRASHED}


class QemuDriver:
    """Servers as QEMU virtual machines."""

    name = "qemu"

    def __init__(self, conf: cfg.ConfigOpts, state_dir: Path) -> None:
        self.max_unused_age = conf.image_cache.remove_unused_original_minimum_age_seconds
        self.conf = conf.qemu
        self.state_dir = state_dir
        self.cache = ImageCache(state_dir / "cache")
        self._accel: asyncio.Task[str | None] | None = None

    async def probe(self) -> bool:
        """Whether QEMU is here; KVM or TCG is chosen in the background (it may take seconds)."""
        if not (shutil.which(self.conf.qemu_binary) and shutil.which(self.conf.qemu_img)):
            return False
        try:
            await commands.run(self.conf.qemu_binary, "-version", timeout=self.conf.probe_timeout)
        except CommandFailed:
            return False
        wanted, timeout = self.conf.accel, self.conf.probe_timeout
        self._accel = asyncio.create_task(accel.choose(self.conf.qemu_binary, wanted, timeout))
        return True

    async def accelerator(self) -> str:
        """kvm or tcg, once the probe has chosen; DriverError when neither runs guests."""
        if self._accel is None:
            await self.probe()
        chosen = await self._accel if self._accel else None
        if chosen is None:
            raise DriverError("QEMU cannot run virtual machines on this host")
        return chosen

    def handles(self, image: ImageInfo) -> bool:
        """Bootable disk images: raw, qcow2 or ami data that is not a container."""
        return image.disk_format in ("raw", "qcow2", "ami") and image.container_format in (
            "bare",
            "ami",
            "ovf",
        )

    def resources(self) -> dict[str, int]:
        """vcpus, memory_mb and local_gb of this host."""
        return host_resources(self.state_dir)

    async def spawn(self, spec: InstanceSpec, images: ImageSource) -> None:
        """Prepare the disk (and kernel, ramdisk, config drive), plug the taps and boot."""
        home = self._home(spec.uuid)
        home.mkdir(parents=True, exist_ok=True)
        record = {"image_id": spec.image.id, "ports": [v.port_id for v in spec.vifs]}
        self._save(spec.uuid, record)
        try:
            base = await self.cache.acquire(spec.image, images, spec.uuid)
            fmt = await vmdisk.base_format(base, spec.image.disk_format)
            disk = home / qemuargs.DISK
            await vmdisk.overlay(base, fmt, disk, spec.flavor.root_gb, self.conf.qemu_img)
            record |= await boot_record(spec, images, self.cache)
            if spec.config_drive or self.conf.force_config_drive:
                tree = configdrive.write_tree(spec, home / "config-drive")
                await configdrive.make_iso(tree, home / qemuargs.CONFIG_ISO)
                shutil.rmtree(tree)
                record["config_drive"] = True
            self._save(spec.uuid, record)
            await self._start(spec)
        except BaseException:
            await self.destroy(spec.uuid)
            raise

    async def destroy(self, uuid: str) -> None:
        """Kill the process, unplug the taps, drop the image references and the files."""
        home = self._home(uuid)
        await self._kill(uuid)
        record = self._load(uuid)
        await netplug.unplug(uuid, record.get("ports", []))
        for image_id in cached_ids(record):
            self.cache.release(image_id, uuid)
        shutil.rmtree(home, ignore_errors=True)
        await self.cache.prune(self.max_unused_age)

    async def power_off(self, uuid: str) -> None:
        """ACPI power button, then QEMU's end after shutdown_timeout seconds."""
        self._known(uuid)
        await self._stop(uuid, self.conf.shutdown_timeout)

    async def power_on(self, spec: InstanceSpec) -> None:
        """Boot the stopped server again from its disk (with the flavor it has now)."""
        self._known(spec.uuid)
        if alive_pid(self._home(spec.uuid), spec.uuid) is None:
            await self._start(spec)

    async def reboot(self, spec: InstanceSpec, hard: bool) -> None:
        """Power off (cleanly unless hard) and boot again."""
        self._known(spec.uuid)
        await self._stop(spec.uuid, 0 if hard else self.conf.shutdown_timeout)
        (self._home(spec.uuid) / qemuargs.SAVED_STATE).unlink(missing_ok=True)
        await self._start(spec)

    async def pause(self, uuid: str) -> None:
        """Stop the virtual CPUs."""
        await qmp.execute(self._socket(uuid), "stop")

    async def unpause(self, uuid: str) -> None:
        """Run the virtual CPUs again."""
        await qmp.execute(self._socket(uuid), "cont")

    async def suspend(self, uuid: str) -> None:
        """Save the memory state to the server's folder and end QEMU (a managed save)."""
        socket, home = self._socket(uuid), self._home(uuid)
        part = home / f"{qemuargs.SAVED_STATE}.part"
        await qmp.execute(socket, "stop")
        await qmp.execute(socket, "migrate", uri=qemuargs.save_to(part))
        migration: dict = {"status": "active"}
        while migration.get("status") not in ("completed", "failed", "cancelled"):
            await asyncio.sleep(0.05)
            migration = await qmp.execute(socket, "query-migrate")
        if migration["status"] != "completed":
            await qmp.execute(socket, "cont")
            part.unlink(missing_ok=True)
            reason = migration.get("error-desc", migration["status"])
            raise DriverError(f"saving the memory of {uuid} failed: {reason}")
        await self._kill(uuid)
        part.rename(home / qemuargs.SAVED_STATE)

    async def resume(self, spec: InstanceSpec) -> None:
        """Start QEMU from the saved memory state."""
        self._known(spec.uuid)
        await self._start(spec)

    async def power_state(self, uuid: str) -> PowerState:
        """From the process and QMP: running, paused, suspended (saved), shut down, none."""
        home = self._home(uuid)
        if not (home / "instance.json").exists():
            return PowerState.NOSTATE
        if alive_pid(home, uuid) is None:
            saved = (home / qemuargs.SAVED_STATE).exists()
            return PowerState.SUSPENDED if saved else PowerState.SHUTDOWN
        try:
            status = (await qmp.execute(self._socket(uuid), "query-status"))["status"]
        except CommandFailed:
            return PowerState.NOSTATE if alive_pid(home, uuid) else PowerState.SHUTDOWN
        return STATUS.get(status, PowerState.SHUTDOWN)

    async def list_instances(self) -> list[str]:
        """uuids of the servers this driver has files for."""
        folder = self.state_dir / "instances"
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []

    async def console_output(self, uuid: str, length: int | None) -> str:
        """The serial console log, the last `length` lines if given."""
        self._known(uuid)
        return text_tail(self._home(uuid) / qemuargs.CONSOLE_LOG, length)

    async def open_serial(self, uuid: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """A byte stream to the running server's serial console (for a console proxy)."""
        self._known(uuid)
        try:
            return await qmp.open_unix(self._home(uuid) / qemuargs.SERIAL_SOCKET)
        except OSError:
            raise InstanceNotFound(f"instance {uuid} is not running") from None

    async def snapshot(self, uuid: str, name: str, images: ImageSource) -> str:
        """The disk flattened to qcow2 (guest paused meanwhile) and uploaded; the image id."""
        self._known(uuid)
        home, record = self._home(uuid), self._load(uuid)
        flat = home / f"snapshot-{uuidlib.uuid4().hex}.qcow2"
        running = await self.power_state(uuid) == PowerState.RUNNING
        if running:
            await self.pause(uuid)
        try:
            await vmdisk.flatten(home / qemuargs.DISK, flat, self.conf.qemu_img)
        finally:
            if running:
                await self.unpause(uuid)
        properties = {"image_type": "snapshot", "instance_uuid": uuid}
        properties |= {"base_image_ref": record["image_id"], **record.get("boot_properties", {})}
        try:
            return await images.upload(name, "bare", "qcow2", read_file(flat), properties)
        finally:
            flat.unlink(missing_ok=True)

    async def _start(self, spec: InstanceSpec) -> None:
        home, record = self._home(spec.uuid), self._load(spec.uuid)
        await vmdisk.grow(home / qemuargs.DISK, spec.flavor.root_gb, self.conf.qemu_img)
        host_ns, taps = await netplug.plug_taps(spec)
        argv = qemuargs.command(
            self.conf.qemu_binary,
            await self.accelerator(),
            self.conf.machine_type,
            home,
            spec,
            record,
            taps,
        )
        saved = home / qemuargs.SAVED_STATE
        if saved.exists():
            argv += qemuargs.incoming(saved)
        if host_ns:
            argv = ["ip", "netns", "exec", host_ns, *argv]
        await commands.run(*argv, cwd=home, timeout=60)
        if saved.exists():  # the state was saved paused: run it once it is loaded
            await self._wait_loaded(spec.uuid)
            await qmp.execute(self._socket(spec.uuid), "cont")
            saved.unlink()

    async def _stop(self, uuid: str, timeout: float) -> None:
        """Ask the guest to power off; end QEMU if it has not within `timeout` seconds."""
        home = self._home(uuid)
        if timeout and alive_pid(home, uuid):
            try:
                await qmp.execute(self._socket(uuid), "system_powerdown")
                await gone(home, uuid, timeout)
            except CommandFailed:
                pass
        await self._kill(uuid)

    async def _kill(self, uuid: str) -> None:
        home = self._home(uuid)
        if (pid := alive_pid(home, uuid)) is not None:
            os.kill(pid, signal.SIGKILL)
            await gone(home, uuid, 10)
        for name in (qemuargs.PID_FILE, qemuargs.QMP_SOCKET, qemuargs.SERIAL_SOCKET):
            (home / name).unlink(missing_ok=True)

    async def _wait_loaded(self, uuid: str, timeout: float = 120) -> None:
        async with asyncio.timeout(timeout):
            while (await qmp.execute(self._socket(uuid), "query-status"))["status"] == "inmigrate":
                await asyncio.sleep(0.05)

    def _known(self, uuid: str) -> None:
        if not (self._home(uuid) / "instance.json").exists():
            raise InstanceNotFound(f"no virtual machine for instance {uuid}")

    def _home(self, uuid: str) -> Path:
        return self.state_dir / "instances" / uuid

    def _socket(self, uuid: str) -> Path:
        return self._home(uuid) / qemuargs.QMP_SOCKET

    def _save(self, uuid: str, record: dict) -> None:
        (self._home(uuid) / "instance.json").write_text(json.dumps(record))

    def _load(self, uuid: str) -> dict:
        try:
            return json.loads((self._home(uuid) / "instance.json").read_text())
        except (FileNotFoundError, ValueError):
            return {}
