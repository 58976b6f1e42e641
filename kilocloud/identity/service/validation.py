"""In-process token validation for the auth middleware: no HTTP round trip."""

from __future__ import annotations

from kilocloud.core.auth import context_from_token
from kilocloud.core.context import RequestContext
from kilocloud.core.errors import NotFound, Unauthorized
from kilocloud.identity.service import Identity, tokens


class LocalValidator:
    """Validates X-Auth-Token against this cloud's keys and revocation events."""

    def __init__(self, identity: Identity) -> None:
        self.identity = identity

    async def validate(self, token: str) -> RequestContext:
        """The context `token` grants; 401 when it is not valid."""
        try:
            payload, rendered = await tokens.validate(self.identity, token)
        except NotFound:
            raise Unauthorized("The request you have made requires authentication.") from None
        ctx = context_from_token(token, {"token": rendered.body})
        ctx.app_cred_id = payload.app_cred_id
        ctx.expires_at = float(payload.expires_at)
        if payload.trust_id:
            ctx.trust_id = payload.trust_id
        return ctx
