"""The container driver: docker/OCI images run by podman with the runc runtime."""

from __future__ import annotations

import asyncio
import json
import shutil
import uuid as uuidlib
from pathlib import Path

from oslo_config import cfg

from kilocloud.compute.drivers import configdrive, consolelog, netplug
from kilocloud.compute.drivers.base import ImageInfo, ImageSource, InstanceSpec, PowerState
from kilocloud.compute.drivers.errors import CommandFailed, InstanceNotFound
from kilocloud.compute.drivers.hostinfo import host_resources
from kilocloud.compute.drivers.imagecache import ImageCache
from kilocloud.compute.drivers.podman import Podman

LABEL = "kilocloud.instance"
STOPPED = {"created", "configured", "initialized", "exited", "stopped"}


class ContainerDriver:
    """Servers as containers: one per instance, named kc-<uuid>, labelled with its uuid."""

    name = "container"

    def __init__(self, conf: cfg.ConfigOpts, state_dir: Path) -> None:
        self.max_unused_age = conf.image_cache.remove_unused_original_minimum_age_seconds
        self.conf = conf.container
        self.state_dir = state_dir
        self.podman = Podman(state_dir / "podman", self.conf.podman)
        self.cache = ImageCache(state_dir / "cache")
        self._image_locks: dict[str, asyncio.Lock] = {}
        self._load_lock = asyncio.Lock()
        self._loaded: set[str] = set()  # ids of the images this process has loaded

    async def probe(self) -> bool:
        """Whether podman runs here with runc (time-boxed)."""
        if not shutil.which(self.conf.podman):
            return False
        self.podman.configure()
        try:
            runtime = await self.podman(
                "info", "--format", "{{.Host.OCIRuntime.Name}}", timeout=self.conf.probe_timeout
            )
        except CommandFailed:
            return False
        return runtime.strip() == "runc"

    def handles(self, image: ImageInfo) -> bool:
        """Container images: container_format docker or oci."""
        return image.container_format in ("docker", "oci")

    def resources(self) -> dict[str, int]:
        """vcpus, memory_mb and local_gb of this host."""
        return host_resources(self.state_dir)

    async def spawn(self, spec: InstanceSpec, images: ImageSource) -> None:
        """Fetch and load the image, write the config drive, plug the vifs and start."""
        home = self._home(spec.uuid)
        home.mkdir(parents=True, exist_ok=True)
        record = {"image_id": spec.image.id, "ports": [v.port_id for v in spec.vifs]}
        (home / "instance.json").write_text(json.dumps(record))
        try:
            drive = configdrive.write_tree(spec, home / "config-drive")
            network = await netplug.plug_container(spec, "none")
            await self._run(spec, images, self._run_args(spec, drive, network))
        except BaseException:
            await self.destroy(spec.uuid)
            raise

    async def destroy(self, uuid: str) -> None:
        """Remove the container, its vifs, its config drive and its image reference."""
        await self.podman("rm", "--force", "--ignore", "--time", "0", _name(uuid))
        home = self._home(uuid)
        record = _read_record(home)
        await netplug.unplug(uuid, record.get("ports", []))
        if (image_id := record.get("image_id")) and self.cache.release(image_id, uuid):
            await self._unload_image(image_id)
        shutil.rmtree(home, ignore_errors=True)
        await self.cache.prune(self.max_unused_age)

    async def power_off(self, uuid: str) -> None:
        """Stop the container (SIGTERM, then SIGKILL after stop_timeout)."""
        await self._unpause(uuid)
        await self.podman("stop", "--time", str(self.conf.stop_timeout), await self._known(uuid))

    async def power_on(self, spec: InstanceSpec) -> None:
        """Start the stopped container again."""
        await self._unpause(spec.uuid)
        await self.podman("start", await self._known(spec.uuid))

    async def reboot(self, spec: InstanceSpec, hard: bool) -> None:
        """Restart the container; a hard reboot kills it instead of asking it to stop."""
        await self._unpause(spec.uuid)
        timeout = "0" if hard else str(self.conf.stop_timeout)
        await self.podman("restart", "--time", timeout, await self._known(spec.uuid))

    async def pause(self, uuid: str) -> None:
        """Freeze the container's processes."""
        await self.podman("pause", await self._known(uuid))

    async def unpause(self, uuid: str) -> None:
        """Thaw the container's processes."""
        await self.podman("unpause", await self._known(uuid))

    async def suspend(self, uuid: str) -> None:
        """Freeze the container, recorded as suspended (no criu here to checkpoint to disk)."""
        await self.pause(uuid)
        (self._home(uuid) / "suspended").touch()

    async def resume(self, spec: InstanceSpec) -> None:
        """Thaw a suspended container."""
        await self._unpause(spec.uuid)

    async def power_state(self, uuid: str) -> PowerState:
        """The container's state as Nova's power states."""
        info = await self.podman.inspect(_name(uuid))
        if info is None:
            return PowerState.NOSTATE
        status = info["State"]["Status"]
        if status == "paused":
            suspended = (self._home(uuid) / "suspended").exists()
            return PowerState.SUSPENDED if suspended else PowerState.PAUSED
        if status == "running":
            return PowerState.RUNNING
        return PowerState.SHUTDOWN if status in STOPPED else PowerState.CRASHED

    async def list_instances(self) -> list[str]:
        """uuids of the containers this driver made."""
        out = await self.podman("ps", "--all", "--filter", f"label={LABEL}", "--format", "json")
        return [c["Labels"][LABEL] for c in json.loads(out or "[]")]

    async def console_output(self, uuid: str, length: int | None) -> str:
        """What the container wrote to stdout and stderr, the last `length` lines if given."""
        await self._known(uuid)
        return consolelog.k8s_tail(self._home(uuid) / "console.log", length)

    async def snapshot(self, uuid: str, name: str, images: ImageSource) -> str:
        """Commit the container's files and upload them as a docker image; its id."""
        container = await self._known(uuid)
        tag = f"localhost/kilocloud-snapshot:{uuidlib.uuid4()}"
        await self.podman("commit", "--quiet", container, tag)
        properties = {"image_type": "snapshot", "instance_uuid": uuid}
        if base := _read_record(self._home(uuid)).get("image_id"):
            properties["base_image_ref"] = base
        try:
            data = self.podman.stream("save", "--format", "docker-archive", tag)
            return await images.upload(name, "docker", "raw", data, properties)
        finally:
            await self.podman("rmi", "--ignore", tag)

    async def _run(self, spec: InstanceSpec, images: ImageSource, args: list[str]) -> None:
        """podman run; once more after a fresh load if the store lost the image meanwhile."""
        for attempt in (1, 2):
            tag = await self._load_image(spec.image, images, spec.uuid)
            try:
                await self.podman("run", "--detach", "--pull", "never", *args, tag)
                return
            except CommandFailed as exc:
                if attempt == 2 or "image not known" not in str(exc):
                    raise
                self._loaded.discard(spec.image.id)

    def _run_args(self, spec: InstanceSpec, drive: Path, network: str) -> list[str]:
        memory = spec.flavor.memory_mb
        return [
            *("--name", _name(spec.uuid), "--label", f"{LABEL}={spec.uuid}"),
            *("--hostname", spec.hostname, "--network", network, "--init"),
            *("--memory", f"{memory}m", "--memory-swap", f"{memory + spec.flavor.swap_mb}m"),
            *("--cpus", str(spec.flavor.vcpus)),
            *("--log-driver", "k8s-file", "--log-opt", f"path={self._home(spec.uuid)}/console.log"),
            *("--log-opt", f"max-size={self.conf.console_log_max_size}"),
            *("--volume", f"{drive}:{self.conf.config_drive_mount}:ro"),
        ]

    async def _load_image(self, image: ImageInfo, images: ImageSource, user: str) -> str:
        """Our tag of `image` in podman's store, loaded from the verified cache file if need be."""
        async with self._image_locks.setdefault(image.id, asyncio.Lock()):
            path = await self.cache.acquire(image, images, user)
            if image.id not in self._loaded:
                async with self._load_lock:  # names in archives may collide: one load at a time
                    await self._podman_load(path, _image_tag(image.id))
                self._loaded.add(image.id)
        return _image_tag(image.id)

    async def _podman_load(self, path: Path, tag: str) -> None:
        """Load an archive and name it `tag` only: its own name means nothing here, and an
        untagged image is one podman would remove as dangling."""
        loaded = _loaded_name(await self.podman("load", "--quiet", "--input", str(path)))
        await self.podman("tag", loaded, tag)
        if not loaded.startswith("sha256:") and loaded != tag:
            await self.podman("untag", tag, loaded)

    async def _unload_image(self, image_id: str) -> None:
        async with self._image_locks.setdefault(image_id, asyncio.Lock()):
            if self.cache.users(image_id):
                return
            self._loaded.discard(image_id)
            await self.podman("rmi", "--ignore", _image_tag(image_id))

    async def _known(self, uuid: str) -> str:
        name = _name(uuid)
        if await self.podman.inspect(name) is None:
            raise InstanceNotFound(f"no container for instance {uuid}")
        return name

    async def _unpause(self, uuid: str) -> None:
        info = await self.podman.inspect(_name(uuid))
        if info is None:
            raise InstanceNotFound(f"no container for instance {uuid}")
        if info["State"]["Status"] == "paused":
            await self.podman("unpause", _name(uuid))
        (self._home(uuid) / "suspended").unlink(missing_ok=True)

    def _home(self, uuid: str) -> Path:
        return self.state_dir / "instances" / uuid


def _name(uuid: str) -> str:
    return f"kc-{uuid}"


def _image_tag(image_id: str) -> str:
    return f"localhost/kilocloud-image:{image_id}"


def _loaded_name(output: str) -> str:
    """The first image `podman load` reports ("Loaded image: NAME" or "... image(s): A, B")."""
    for line in output.splitlines():
        if line.startswith("Loaded image"):
            return line.partition(": ")[2].split(",")[0].strip()
    raise CommandFailed(f"podman load named no image: {output[-200:]}")


def _read_record(home: Path) -> dict:
    try:
        return json.loads((home / "instance.json").read_text())
    except (FileNotFoundError, ValueError):
        return {}
