"""Building the agent from configuration: alone (`kilocloud network-agent`) or in `kilocloud up`."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import logging
import os
import secrets
from pathlib import Path
from typing import Any

from oslo_config import cfg

from kilocloud.core import config
from kilocloud.core.db import Database, utcnow
from kilocloud.deps import Services
from kilocloud.network.agent import heartbeat, names
from kilocloud.network.agent.agent import DataPlaneAgent
from kilocloud.network.agent.bridges import L2Config
from kilocloud.network.agent.metadata import MetadataProxy
from kilocloud.network.agent.service import AgentService
from kilocloud.network.agent.state import DataPlane

LOG = logging.getLogger(__name__)
DESIRED_STATE_READER = "kilocloud.network.dataplane"  # the API side's reading of its tables


def build_agent(conf: cfg.ConfigOpts, host: str) -> DataPlaneAgent:
    """The data-plane agent of `host` as [network_agent] describes it."""
    opts = conf.network_agent
    state_dir = config.state_dir(conf)
    l2 = L2Config(
        local_ip=opts.local_ip,
        underlay_interface=opts.underlay_interface,
        vxlan_group=opts.vxlan_group,
        vxlan_port=opts.vxlan_udp_port,
        physical_interfaces=dict(opts.physical_interface_mappings),
    )
    url = opts.metadata_url or config.public_endpoint(conf) + "/metadata"
    metadata = MetadataProxy(url, metadata_secret(conf))
    return DataPlaneAgent(host, namespace_prefix(conf, host), state_dir, l2, metadata)


def metadata_secret(conf: cfg.ConfigOpts) -> str:
    """The metadata proxy's signing key: the configured one, else one kept in the state dir
    (made on first use), so that an unsigned request never reads a server's data."""
    if conf.network_agent.metadata_proxy_shared_secret:
        return conf.network_agent.metadata_proxy_shared_secret
    path = Path(config.state_dir(conf)) / "metadata_proxy_secret"
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip()


def namespace_prefix(conf: cfg.ConfigOpts, host: str) -> str:
    """The prefix of every namespace the agent of `host` makes."""
    return conf.network_agent.namespace_prefix or names.cloud_prefix(config.state_dir(conf), host)


def host_namespace(conf: cfg.ConfigOpts, host: str) -> str:
    """The namespace holding the bridges of `host`: what vifs.plug_* take as host_ns."""
    return names.Namespaces(namespace_prefix(conf, host)).host


def build_service(conf: cfg.ConfigOpts, db: Database, host: str) -> AgentService:
    """The running agent: desired state from the database, heartbeats into the agents table."""
    agent = build_agent(conf, host)
    started = utcnow()
    settings = {
        "namespace_prefix": agent.namespaces.prefix,
        "tunnel_types": ["vxlan"],
        "tunneling_ip": conf.network_agent.local_ip,
        "interface_mappings": dict(conf.network_agent.physical_interface_mappings),
    }

    async def source() -> DataPlane:
        return await importlib.import_module(DESIRED_STATE_READER).desired(db, host)

    async def beat() -> None:
        await heartbeat.report(db, host, started, settings)

    opts = conf.network_agent
    return AgentService(agent, source, beat, opts.report_interval, opts.resync_interval)


def attach(services: Services) -> None:
    """Run this host's agent in-process (`kilocloud up`), woken by network.changed."""
    conf = services.conf
    if not conf.network_agent.enabled or not importlib.util.find_spec(DESIRED_STATE_READER):
        return
    if os.geteuid() != 0:
        LOG.warning("not root: no network agent runs (networks exist in the API only)")
        return
    running: list[AgentService] = []

    async def on_notifications(messages: list[dict[str, Any]]) -> None:
        if running and any(m.get("event_type") == "network.changed" for m in messages):
            running[0].changed()

    async def start() -> None:
        service = build_service(conf, services.db, conf.network_agent.host)
        running.append(service)
        await service.start()

    async def stop() -> None:
        for service in running:
            await service.stop()

    services.notifier.subscribe(on_notifications)
    services.on_startup.append(start)
    services.on_shutdown.append(stop)
