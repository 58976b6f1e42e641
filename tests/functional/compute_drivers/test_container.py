"""The container driver with real podman and runc, on a busybox image from the image service."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import shutil
import subprocess
import time

import pytest

from kilocloud.compute.drivers.base import PowerState
from kilocloud.compute.drivers.container import ContainerDriver
from kilocloud.compute.drivers.errors import ImageCorrupt, InstanceNotFound
from tests.functional.compute_drivers.conftest import driver_conf, instance_spec

pytestmark = [
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.skipif(not shutil.which("podman"), reason="needs podman"),
]


@pytest.fixture
async def driver(tmp_path):
    driver = ContainerDriver(driver_conf(**{"container.stop_timeout": 2}), tmp_path / "container")
    assert await driver.probe()
    yield driver
    for uuid in await driver.list_instances():
        await driver.destroy(uuid)
    await driver.podman("system", "reset", "--force")


async def wait_console(driver, uuid: str, text: str, count: int = 1) -> str:
    for _ in range(100):
        output = await driver.console_output(uuid, None)
        if output.count(text) >= count:
            return output
        await asyncio.sleep(0.05)
    raise AssertionError(f"{text!r} x{count} never came: {output!r}")


async def containers(driver) -> list[dict]:
    return json.loads(await driver.podman("ps", "--all", "--format", "json") or "[]")


async def test_spawned_server_runs_and_its_console_shows_the_config_drive(
    driver, image_source, busybox_image
):
    spec = instance_spec(busybox_image)
    started = time.monotonic()
    await driver.spawn(spec, image_source)
    assert time.monotonic() - started < 5
    assert await driver.power_state(spec.uuid) == PowerState.RUNNING
    output = await wait_console(driver, spec.uuid, "user data here")
    assert "hello from busybox" in output
    meta = json.loads(output.splitlines()[1])
    assert (meta["uuid"], meta["hostname"]) == (spec.uuid, spec.hostname)
    assert meta["meta"] == {"role": "test"}
    assert await driver.list_instances() == [spec.uuid]
    assert await driver.console_output(spec.uuid, 2) == "echo user data here\n\n"


async def test_container_gets_the_flavor_limits(driver, image_source, busybox_image):
    spec = instance_spec(busybox_image)
    await driver.spawn(spec, image_source)
    [info] = json.loads(await driver.podman("container", "inspect", f"kc-{spec.uuid}"))
    assert info["HostConfig"]["Memory"] == 128 << 20
    assert info["HostConfig"]["NanoCpus"] == 1_000_000_000
    assert info["HostConfig"]["NetworkMode"] == "none"


async def test_power_operations_move_the_power_state(driver, image_source, busybox_image):
    spec = instance_spec(busybox_image)
    await driver.spawn(spec, image_source)
    steps = [
        (driver.pause(spec.uuid), PowerState.PAUSED),
        (driver.unpause(spec.uuid), PowerState.RUNNING),
        (driver.suspend(spec.uuid), PowerState.SUSPENDED),
        (driver.resume(spec), PowerState.RUNNING),
        (driver.power_off(spec.uuid), PowerState.SHUTDOWN),
        (driver.power_on(spec), PowerState.RUNNING),
        (driver.reboot(spec, hard=False), PowerState.RUNNING),
        (driver.reboot(spec, hard=True), PowerState.RUNNING),
    ]
    for action, state in steps:
        await action
        assert await driver.power_state(spec.uuid) == state
    await wait_console(driver, spec.uuid, "hello from busybox", count=4)


async def test_snapshot_keeps_the_files_for_a_server_booted_from_it(
    driver, image_source, busybox_image
):
    spec = instance_spec(busybox_image)
    await driver.spawn(spec, image_source)
    await driver.podman("exec", f"kc-{spec.uuid}", "sh", "-c", "echo kept > /root/note")
    image_id = await driver.snapshot(spec.uuid, "snap", image_source)
    snapshot = await image_source.info(image_id)
    assert (snapshot.container_format, snapshot.disk_format) == ("docker", "raw")
    assert snapshot.properties["instance_uuid"] == spec.uuid
    assert snapshot.properties["base_image_ref"] == busybox_image.id
    clone = instance_spec(snapshot)
    await driver.spawn(clone, image_source)
    note = await driver.podman("exec", f"kc-{clone.uuid}", "cat", "/root/note")
    assert note == "kept\n"
    assert await driver.power_state(spec.uuid) == PowerState.RUNNING


async def test_destroy_leaves_no_container_mount_or_cache_reference(
    driver, image_source, busybox_image
):
    spec = instance_spec(busybox_image)
    await driver.spawn(spec, image_source)
    await driver.destroy(spec.uuid)
    await driver.destroy(spec.uuid)
    assert await containers(driver) == []
    assert spec.uuid not in subprocess.run(["mount"], capture_output=True, text=True).stdout
    assert not (driver.state_dir / "instances" / spec.uuid).exists()
    assert driver.cache.users(busybox_image.id) == []
    assert json.loads(await driver.podman("images", "--format", "json") or "[]") == []
    assert await driver.power_state(spec.uuid) == PowerState.NOSTATE


async def test_an_image_unused_for_the_configured_age_leaves_the_cache(
    driver, image_source, busybox_image
):
    spec = instance_spec(busybox_image)
    await driver.spawn(spec, image_source)
    driver.max_unused_age = 0
    await driver.destroy(spec.uuid)
    assert list(driver.cache.root.iterdir()) == []


async def test_a_changed_cache_file_is_fetched_again(driver, image_source, busybox_image):
    first = instance_spec(busybox_image)
    await driver.spawn(first, image_source)
    await driver.destroy(first.uuid)
    cached = driver.cache.path(busybox_image.id)
    cached.write_bytes(b"corrupt" + cached.read_bytes()[7:])
    second = instance_spec(busybox_image)
    await driver.spawn(second, image_source)
    assert hashlib.md5(cached.read_bytes()).hexdigest() == busybox_image.checksum
    await wait_console(driver, second.uuid, "hello from busybox")


async def test_image_data_that_does_not_match_its_checksum_is_refused(
    driver, image_source, busybox_image
):
    wrong = dataclasses.replace(busybox_image, os_hash_value="0" * 128)
    spec = instance_spec(wrong)
    with pytest.raises(ImageCorrupt):
        await driver.spawn(spec, image_source)
    assert await containers(driver) == []
    assert not driver.cache.path(busybox_image.id).exists()
    assert not (driver.state_dir / "instances" / spec.uuid).exists()


async def test_actions_on_an_unknown_server(driver):
    spec = instance_spec(None)
    assert await driver.power_state(spec.uuid) == PowerState.NOSTATE
    await driver.destroy(spec.uuid)
    with pytest.raises(InstanceNotFound):
        await driver.power_off(spec.uuid)
    with pytest.raises(InstanceNotFound):
        await driver.console_output(spec.uuid, None)
