"""trust+http(s) subscribers: a Keystone trust to a trustee user, and deliveries as that user."""

from __future__ import annotations

import datetime
import time
from typing import Any

import httpx
from oslo_config import cfg

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, Unavailable
from kilocloud.messaging.delivery.http import LazyClient
from kilocloud.messaging.delivery.webhook import WebhookSink

TOKEN_MARGIN = 60.0


class Trustee:
    """The `[trustee]` user: receives trusts from subscribers and acts on them."""

    def __init__(self, client: LazyClient, opts: cfg.ConfigOpts, auth_url: str) -> None:
        self.client, self.opts, self.url = client, opts, auth_url.rstrip("/")
        self._user_id: str | None = None
        self._tokens: dict[str, tuple[float, str]] = {}

    def _password(self, scope: dict[str, Any] | str) -> dict[str, Any]:
        user = {
            "name": self.opts.username,
            "password": self.opts.password,
            "domain": {"name": self.opts.user_domain_name},
        }
        auth: dict[str, Any] = {"identity": {"methods": ["password"], "password": {"user": user}}}
        return {"auth": auth | {"scope": scope}}

    async def _login(self, scope: dict[str, Any] | str) -> httpx.Response:
        resp = await self.client.post(f"{self.url}/auth/tokens", json=self._password(scope))
        if resp.status_code != 201:
            raise Unavailable("The trustee user cannot authenticate.")
        return resp

    async def user_id(self) -> str:
        """The trustee's user id."""
        if self._user_id is None:
            resp = await self._login("unscoped")
            self._user_id = resp.json()["token"]["user"]["id"]
        return self._user_id

    async def create_trust(self, ctx: RequestContext) -> str:
        """A trust from the caller to the trustee on the caller's project and roles."""
        if not ctx.token or not ctx.user_id:
            raise BadRequest("A trust+ subscription needs a token-authenticated caller.")
        body = {
            "trust": {
                "trustor_user_id": ctx.user_id,
                "trustee_user_id": await self.user_id(),
                "project_id": ctx.project_id,
                "impersonation": True,
                "roles": [{"name": r} for r in ctx.roles],
            }
        }
        headers = {"X-Auth-Token": ctx.token}
        resp = await self.client.post(f"{self.url}/OS-TRUST/trusts", json=body, headers=headers)
        if resp.status_code != 201:
            raise BadRequest(f"The identity service refused the trust: {resp.status_code}.")
        return resp.json()["trust"]["id"]

    async def token(self, trust_id: str) -> str | None:
        """A trust-scoped token, reused until shortly before it expires; None if refused."""
        cached = self._tokens.get(trust_id)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        try:
            resp = await self._login({"OS-TRUST:trust": {"id": trust_id}})
        except (Unavailable, httpx.HTTPError):
            return None
        token = resp.headers["x-subject-token"]
        expires = resp.json()["token"].get("expires_at", "")
        self._tokens[trust_id] = (time.monotonic() + _lifetime(expires) - TOKEN_MARGIN, token)
        return token


def _lifetime(expires_at: str) -> float:
    """Seconds until an ISO 8601 expiry (0 when it cannot be read)."""
    try:
        at = datetime.datetime.fromisoformat(expires_at.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return max(0.0, at.timestamp() - time.time())


class TrustSink:
    """Delivers to the URL after `trust+` with the trust-scoped token of the subscription."""

    def __init__(self, webhook: WebhookSink, trustee: Trustee) -> None:
        self.webhook, self.trustee = webhook, trustee

    async def send(self, uri: str, message: dict[str, Any], options: dict[str, Any]) -> bool:
        """POST as the trustee; False (retry) when no token can be had."""
        token = await self.trustee.token(str(options.get("trust_id")))
        if token is None:
            return False
        auth = {"X-Auth-Token": token}
        return await self.webhook.send(uri.removeprefix("trust+"), message, options, auth)
