"""A VM's tap is made inside the agent's host namespace, never in the machine's own."""

from __future__ import annotations

import subprocess

from kilocloud.network.agent import names, vifs
from kilocloud.network.agent.state import DataPlane
from tests.functional.network_agent.dataplanes import network, port, with_ports


def _has_link(name: str, ns: str | None = None) -> bool:
    where = ["-n", ns] if ns else []
    return subprocess.run(["ip", *where, "link", "show", name], capture_output=True).returncode == 0


async def test_a_tap_lands_on_its_bridge_in_the_host_namespace(agent) -> None:  # noqa: ANN001
    net = network("10.40.0.0/24")
    vm = port(net, "10.40.0.11")
    await agent.sync(DataPlane([with_ports(net, vm)], [], []))
    tap = await vifs.plug_tap(vm, agent.host_ns)
    try:
        assert tap == names.tap(vm.id)
        assert _has_link(tap, agent.host_ns)
        assert not _has_link(tap)
        shown = subprocess.run(
            ["ip", "-n", agent.host_ns, "-o", "link", "show", tap], capture_output=True, text=True
        ).stdout
        assert f"master {names.bridge(net.id)}" in shown
    finally:
        await vifs.unplug(vm.id)
    assert not _has_link(tap, agent.host_ns)
