"""RPC from the API to compute agents: in-process, or over oslo.messaging to `kilocloud compute`."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from oslo_config import cfg

from kilocloud.core import tasks

LOG = logging.getLogger(__name__)
TOPIC = "compute"
CALL_TIMEOUT = 60


class AgentRPC(Protocol):
    """How the API reaches the agent of one host."""

    async def cast(self, host: str, method: str, **kwargs: Any) -> None:
        """Ask `host` to run `method`, without waiting."""
        ...

    async def call(self, host: str, method: str, **kwargs: Any) -> Any:
        """Run `method` on `host` and return its result."""
        ...


class LocalRPC:
    """Agents running in this process, by host."""

    def __init__(self) -> None:
        self.agents: dict[str, Any] = {}
        self._jobs: set[asyncio.Task] = set()

    def register(self, host: str, agent: Any) -> None:
        """Route calls for `host` to `agent`."""
        self.agents[host] = agent

    def _agent(self, host: str) -> Any:
        if host not in self.agents:
            raise ConnectionError(f"no compute agent for host {host} in this process")
        return self.agents[host]

    async def cast(self, host: str, method: str, **kwargs: Any) -> None:
        job = asyncio.create_task(getattr(self._agent(host), method)(**kwargs))
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)

    async def call(self, host: str, method: str, **kwargs: Any) -> Any:
        return await getattr(self._agent(host), method)(**kwargs)

    async def close(self) -> None:
        """Wait for the casts still running."""
        if self._jobs:
            await asyncio.wait(list(self._jobs), timeout=10)


class MessagingRPC:
    """Casts and calls to topic `compute`, server = the host, over the configured broker."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        messaging = tasks._messaging(conf)
        self.transport = messaging.get_rpc_transport(conf)
        self.client = messaging.get_rpc_client(
            self.transport, messaging.Target(topic=TOPIC, version="1.0"), timeout=CALL_TIMEOUT
        )

    async def cast(self, host: str, method: str, **kwargs: Any) -> None:
        prepared = self.client.prepare(server=host)
        await asyncio.to_thread(prepared.cast, {}, method, **kwargs)

    async def call(self, host: str, method: str, **kwargs: Any) -> Any:
        prepared = self.client.prepare(server=host)
        return await asyncio.to_thread(prepared.call, {}, method, **kwargs)

    async def close(self) -> None:
        """Release the broker connection."""
        self.transport.cleanup()


class _Endpoint:
    """The agent's RPC methods as oslo.messaging calls them, run on the agent's loop."""

    def __init__(self, agent: Any, loop: asyncio.AbstractEventLoop) -> None:
        self.agent, self.loop = agent, loop
        self.target = tasks._messaging().Target(version="1.0")

    def __getattr__(self, method: str) -> Any:
        handler = getattr(self.agent, method)

        def run(ctxt: dict, **kwargs: Any) -> Any:
            future = asyncio.run_coroutine_threadsafe(handler(**kwargs), self.loop)
            return future.result()

        return run


class AgentServer:
    """`kilocloud compute`'s RPC server: topic compute, server = its host."""

    def __init__(self, conf: cfg.ConfigOpts, host: str, agent: Any) -> None:
        messaging = tasks._messaging(conf)
        self.transport = messaging.get_rpc_transport(conf)
        target = messaging.Target(topic=TOPIC, server=host, version="1.0")
        endpoint = _Endpoint(agent, asyncio.get_running_loop())
        self.server = messaging.get_rpc_server(
            self.transport, target, [endpoint], executor="threading"
        )

    async def start(self) -> None:
        """Take calls."""
        await asyncio.to_thread(self.server.start)

    async def stop(self) -> None:
        """Stop taking calls and release the broker."""
        await asyncio.to_thread(self.server.stop)
        await asyncio.to_thread(self.server.wait)
        self.transport.cleanup()


def build(conf: cfg.ConfigOpts) -> LocalRPC | MessagingRPC:
    """Messaging when a broker is configured, in-process otherwise."""
    return MessagingRPC(conf) if tasks.broker_configured(conf) else LocalRPC()
