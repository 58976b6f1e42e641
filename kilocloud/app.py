"""build_app(conf): mount the services, the one middleware list, /healthcheck, lifespan."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import AsyncIterator, Sequence

from oslo_config import cfg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

from kilocloud.core.auth import AuthMiddleware
from kilocloud.core.http import RequestLogMiddleware, json
from kilocloud.core.shutdown import Drain, Draining
from kilocloud.deps import Services
from kilocloud.services import available_services


def build_app(
    conf: cfg.ConfigOpts,
    names: Sequence[str] | None = None,
    standalone: bool = False,
    draining: Draining | None = None,
) -> ASGIApp:
    """An ASGI app serving `names` (default: all), mounted by path or, standalone, at /."""
    names = tuple(names or available_services())
    services = Services.create(conf, names)
    routes: list = [Route("/healthcheck", _healthcheck, methods=["GET", "HEAD"])]
    if not standalone and "network" in names:
        from kilocloud.network.agent.wiring import attach

        # the embedded cloud runs this host's network agent in-process; attached first, it
        # hears of each change before slower notification consumers
        attach(services)
    for name in names:
        module = importlib.import_module(f"kilocloud.{name}.routes")
        mount = getattr(module, "MOUNT", f"/{name}")
        routes.append(Mount("" if standalone else mount, app=module.build(services)))
    if not standalone:
        routes.append(Route("/", _index, methods=["GET"]))
    if not standalone and "compute" in names:
        from kilocloud.compute import metadata
        from kilocloud.network.agent.wiring import metadata_secret

        routes.append(Mount("/metadata", app=metadata.build(services, metadata_secret(conf))))

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await services.startup()
        yield
        await services.shutdown()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.services = services
    app.state.service_names = names
    app.state.draining = draining or Draining()
    return RequestLogMiddleware(Drain(AuthMiddleware(app, services.validator)))


async def _healthcheck(request: Request) -> Response:
    if request.app.state.draining.started:
        return PlainTextResponse("draining", status_code=503)
    try:
        await request.app.state.services.db.ping()
    except Exception as exc:  # any failure to answer is "unhealthy", reported with its reason
        return PlainTextResponse(f"database unreachable: {type(exc).__name__}", status_code=503)
    return PlainTextResponse("OK")


async def _index(request: Request) -> Response:
    base = str(request.base_url).rstrip("/")
    names = request.app.state.service_names
    return json(
        {"services": {n: f"{base}{_mount(n)}" for n in names}, "healthcheck": f"{base}/healthcheck"}
    )


def _mount(name: str) -> str:
    return getattr(importlib.import_module(f"kilocloud.{name}.routes"), "MOUNT", f"/{name}")
