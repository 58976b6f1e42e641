"""Servers plugged through the network agent's vifs get their port's DHCP lease."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import uuid

import pytest
from pyroute2 import netns

from kilocloud.compute.drivers.base import Vif
from kilocloud.compute.drivers.container import ContainerDriver
from kilocloud.compute.drivers.qemu import QemuDriver
from kilocloud.network.agent.agent import DataPlaneAgent
from kilocloud.network.agent.state import DataPlane
from tests.functional.compute_drivers.conftest import driver_conf, instance_spec
from tests.functional.network_agent.dataplanes import group, network, port, with_ports

pytestmark = [
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.skipif(not shutil.which("dnsmasq"), reason="needs dnsmasq"),
]


@pytest.fixture
async def lan(tmp_path):
    """A DHCP network run by a network agent, with one server port on it."""
    agent = DataPlaneAgent("h1", f"kct{uuid.uuid4().hex[:6]}-h1", str(tmp_path))
    sg = group()
    net = network("10.61.0.0/24", dhcp=True, vni=610)
    dhcp_port = port(net, "10.61.0.2", owner="network:dhcp", host=None)
    server = port(net, "10.61.0.11", security_group_ids=[sg.id])
    await agent.sync(DataPlane([with_ports(net, dhcp_port, server)], [], [sg]))
    vif = Vif(server.id, net.id, server.mac, server.mtu, ["10.61.0.11"], f"tap{server.id[:11]}")
    yield vif
    await agent.teardown()
    assert [ns for ns in netns.listnetns() if ns.startswith(agent.namespaces.prefix)] == []


async def test_a_container_gets_its_port_as_eth0_with_the_ports_lease(
    tmp_path, lan, image_source, busybox_image
):
    driver = ContainerDriver(driver_conf(), tmp_path / "container")
    assert await driver.probe()
    spec = instance_spec(busybox_image, vifs=[lan])
    await driver.spawn(spec, image_source)
    try:
        argv = ["podman", "exec", f"kc-{spec.uuid}", "udhcpc", "-i", "eth0", "-n", "-q"]
        argv += ["-t", "10", "-T", "1", "-s", "/bin/true"]
        env = os.environ | driver.podman.env
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        assert "lease of 10.61.0.11 obtained" in done.stdout + done.stderr
        assert f"kc-{spec.uuid}" in netns.listnetns()
    finally:
        await driver.destroy(spec.uuid)
        await driver.podman("system", "reset", "--force")
    assert f"kc-{spec.uuid}" not in netns.listnetns()


async def test_a_vm_gets_its_port_as_a_tap_with_the_ports_lease(
    tmp_path, lan, image_source, vm_images
):
    driver = QemuDriver(driver_conf(**{"qemu.accel": "tcg"}), tmp_path / "qemu")
    assert await driver.probe()
    spec = instance_spec(vm_images["ami"], vifs=[lan])
    await driver.spawn(spec, image_source)
    try:
        for _ in range(600):
            output = await driver.console_output(spec.uuid, None)
            if "lease of" in output or "No lease" in output:
                break
            await asyncio.sleep(0.2)
        assert "lease of 10.61.0.11 obtained" in output
    finally:
        await driver.destroy(spec.uuid)
