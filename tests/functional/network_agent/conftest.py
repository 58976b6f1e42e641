"""Fixtures for data-plane tests: an agent under a unique prefix, and server namespaces."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from pyroute2 import netns

from kilocloud.network.agent.agent import DataPlaneAgent
from tests.functional.network_agent.dataplanes import Servers, in_ns, sh


@pytest.fixture
def prefix() -> str:
    """A namespace prefix no other test or cloud uses."""
    return "kct" + uuid.uuid4().hex[:6]


@pytest.fixture
async def agent(prefix: str, tmp_path) -> AsyncIterator[DataPlaneAgent]:  # noqa: ANN001
    """An agent on host h1; everything it made is gone afterwards (checked)."""
    made = DataPlaneAgent("h1", f"{prefix}-h1", str(tmp_path))
    yield made
    await made.teardown()
    assert [ns for ns in netns.listnetns() if ns.startswith(made.namespaces.prefix)] == []


@pytest.fixture
def servers(prefix: str) -> Iterator[Servers]:
    """Server namespaces, deleted afterwards."""
    made = Servers(prefix)
    yield made
    made.remove()


@pytest.fixture
def underlay(prefix: str) -> Iterator[str]:
    """A namespace with a bridge joining the hosts' underlay links; removed afterwards."""
    ns = f"{prefix}-underlay"
    sh("ip", "netns", "add", ns)
    in_ns(ns, "ip", "link", "add", "br0", "type", "bridge")
    in_ns(ns, "ip", "link", "set", "br0", "up")
    yield ns
    sh("ip", "netns", "del", ns)
