"""Token validation middleware: X-Auth-Token -> RequestContext, in-process or against Keystone."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Any, Protocol

import httpx
from cachetools import TTLCache
from oslo_config import cfg
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Unauthorized, Unavailable

LOG = logging.getLogger(__name__)
CACHE_SIZE = 20000  # validated tokens kept; the oldest go first once full
KEYSTONE_DOWN = "The Keystone service is temporarily unavailable."
CREDENTIALS_REFUSED = "The identity service refused this service's own credentials."
AUTHTOKEN_OPTS = [
    cfg.URIOpt("auth_url", help="Keystone to validate tokens against; unset = this process."),
    cfg.StrOpt("username", help="Service user that validates tokens."),
    cfg.StrOpt("password", secret=True, help="Password of the service user."),
    cfg.StrOpt("project_name", default="service", help="Project of the service user."),
    cfg.StrOpt("user_domain_name", default="Default", help="Domain of the service user."),
    cfg.StrOpt("project_domain_name", default="Default", help="Domain of the service project."),
    cfg.IntOpt("token_cache_time", default=300, help="Seconds a validated token is cached."),
    cfg.BoolOpt("insecure", default=False, help="Skip TLS verification of auth_url."),
]


class TokenValidator(Protocol):
    async def validate(self, token: str) -> RequestContext:
        """The context the token grants; raises Unauthorized when it is not valid."""
        ...


def context_from_token(token: str, body: dict[str, Any]) -> RequestContext:
    """A context built from a Keystone v3 token body."""
    tok = body["token"]
    user, project, domain = tok.get("user", {}), tok.get("project"), tok.get("domain")
    roles = tok.get("roles", [])
    return RequestContext(
        request_id="",
        token=token,
        user_id=user.get("id"),
        user_name=user.get("name"),
        user_domain_id=user.get("domain", {}).get("id"),
        project_id=project and project["id"],
        project_name=project and project.get("name"),
        project_domain_id=project and project.get("domain", {}).get("id"),
        domain_id=domain and domain["id"],
        domain_name=domain and domain.get("name"),
        system_scope="all" if tok.get("system", {}).get("all") else None,
        roles=[r["name"] for r in roles],
        role_ids=[r["id"] for r in roles],
        methods=tok.get("methods", []),
        audit_ids=tok.get("audit_ids", []),
        trust_id=(tok.get("OS-TRUST:trust") or {}).get("id"),
        catalog=tok.get("catalog"),
    )


class KeystoneValidator:
    """Validates tokens with GET /v3/auth/tokens on a Keystone, as keystonemiddleware does."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.opts = conf.keystone_authtoken
        self.base = self.opts.auth_url.rstrip("/").removesuffix("/v3")
        self._client = httpx.AsyncClient(verify=not self.opts.insecure, timeout=10)
        self._service_token: str | None = None
        self._cache: TTLCache = TTLCache(CACHE_SIZE, self.opts.token_cache_time)
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        """Release the connections to Keystone."""
        await self._client.aclose()

    async def _service(self) -> str:
        async with self._lock:
            if self._service_token is None:
                body = {
                    "auth": {
                        "identity": {
                            "methods": ["password"],
                            "password": {
                                "user": {
                                    "name": self.opts.username,
                                    "password": self.opts.password,
                                    "domain": {"name": self.opts.user_domain_name},
                                }
                            },
                        },
                        "scope": {
                            "project": {
                                "name": self.opts.project_name,
                                "domain": {"name": self.opts.project_domain_name},
                            }
                        },
                    }
                }
                resp = await self._call("POST", json=body)
                if resp.status_code != 201:
                    raise self._refused(resp)
                self._service_token = resp.headers["x-subject-token"]
            return self._service_token

    async def _call(self, method: str, **kwargs: Any) -> httpx.Response:
        """One request to /v3/auth/tokens; unreachable or failing Keystone is a 503."""
        try:
            resp = await self._client.request(method, f"{self.base}/v3/auth/tokens", **kwargs)
        except httpx.HTTPError as exc:
            LOG.warning("Keystone at %s cannot be reached: %s", self.base, repr(exc))
            raise Unavailable(KEYSTONE_DOWN) from None
        if resp.status_code >= 500:
            LOG.warning("Keystone at %s answered %s to %s", self.base, resp.status_code, method)
            raise Unavailable(KEYSTONE_DOWN)
        return resp

    def _refused(self, resp: httpx.Response) -> Unavailable:
        """A 503 for the service user being refused: the operator's to fix, not the caller's."""
        LOG.error(
            "Keystone at %s refused the service user %r (%s): check [keystone_authtoken]",
            self.base,
            self.opts.username,
            resp.status_code,
        )
        return Unavailable(CREDENTIALS_REFUSED)

    async def validate(self, token: str) -> RequestContext:
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        for _ in range(2):
            headers = {"X-Auth-Token": await self._service(), "X-Subject-Token": token}
            resp = await self._call("GET", headers=headers)
            if resp.status_code != 401:
                break
            self._service_token = None  # expired or revoked: authenticate again, once
        if resp.status_code in (401, 403):
            raise self._refused(resp)
        if resp.status_code != 200:
            raise Unauthorized("The request you have made requires authentication.")
        ctx = context_from_token(token, resp.json())
        self._cache[token] = ctx
        return ctx


class AuthMiddleware:
    """Attach a RequestContext to every request; routes decide whether they need a valid one."""

    def __init__(self, app: ASGIApp, validator: TokenValidator) -> None:
        self.app = app
        self.validator = validator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        client = scope.get("client")
        ctx = RequestContext(request_id=state.get("request_id", ""))
        token = _header(scope, b"x-auth-token")
        if token:
            try:
                validated = await self.validator.validate(token)
            except Unauthorized as exc:
                ctx.auth_error = exc.message
            except Unavailable as exc:
                state["auth_unavailable"] = exc
            else:
                ctx = dataclasses.replace(validated, request_id=ctx.request_id)
        ctx.remote_addr = client[0] if client else None
        state["context"] = ctx
        await self.app(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def context(request: Request) -> RequestContext:
    """The request's context, authenticated or not."""
    return request.state.context


def authenticated(request: Request) -> RequestContext:
    """The request's context; 401 unless it carries a valid token, 503 if Keystone could not say."""
    ctx: RequestContext = request.state.context
    if not ctx.authenticated:
        unavailable = getattr(request.state, "auth_unavailable", None)
        if unavailable is not None:
            raise Unavailable(unavailable.message)
        raise Unauthorized(ctx.auth_error or "The request you have made requires authentication.")
    return ctx
