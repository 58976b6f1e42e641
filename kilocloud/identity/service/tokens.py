"""Issuing, validating and revoking Fernet tokens."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, NotFound, Unauthorized
from kilocloud.identity import fernet
from kilocloud.identity.service import (
    Identity,
    authentication,
    catalog,
    scoping,
    token_cache,
    trusts,
)
from kilocloud.identity.service.revocations import TokenFacts
from kilocloud.identity.service.token_body import NOT_FOUND, Rendered, render

METHODS = {
    "password": authentication.by_password,
    "application_credential": authentication.by_application_credential,
}


async def _by_token(idn: Identity, session: AsyncSession, data: Any) -> authentication.AuthResult:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise BadRequest("Invalid input for field 'token': an id is required.")
    try:
        payload, _ = await validate(idn, data["id"])
    except NotFound:
        raise Unauthorized(authentication.AUTH_FAILED) from None
    if payload.trust_id or payload.app_cred_id:
        raise Unauthorized("A trust or application credential token cannot be rescoped.")
    user = await authentication.check_user_enabled(
        session, await session.get(authentication.User, payload.user_id)
    )
    methods = list(dict.fromkeys([*payload.methods, "token"]))
    return authentication.AuthResult(
        user,
        methods,
        expires_at=payload.expires_at,
        audit_chain_id=payload.audit_ids[-1],
        parent=payload,
    )


async def authenticate(
    idn: Identity, session: AsyncSession, ident: Any
) -> authentication.AuthResult:
    """Run the one auth method the request names."""
    if not isinstance(ident, dict) or not isinstance(ident.get("methods"), list):
        raise BadRequest("Invalid input for field 'identity': 'methods' is required.")
    methods = ident["methods"]
    if len(methods) != 1 or not isinstance(methods[0], str):
        raise Unauthorized("Attempted to authenticate with an unsupported method.")
    method = methods[0]
    if method == "token":
        return await _by_token(idn, session, ident.get("token"))
    if method not in METHODS:
        raise Unauthorized("Attempted to authenticate with an unsupported method.")
    return await METHODS[method](idn, session, ident.get(method))


async def issue(idn: Identity, auth: Any, nocatalog: bool) -> tuple[str, dict[str, Any]]:
    """Authenticate, resolve the scope and return (token, body)."""
    if not isinstance(auth, dict) or not isinstance(auth.get("auth"), dict):
        raise BadRequest("Invalid input for field 'auth': an object is required.")
    auth = auth["auth"]
    async with idn.db.read() as session:
        result = await authenticate(idn, session, auth.get("identity"))
        scope = await scoping.resolve(idn, session, result, auth.get("scope"))
        now = time.time()
        expires = now + idn.conf.token.expiration
        limits = [result.expires_at, scope.expires_at]
        expires = min([expires, *[x for x in limits if x is not None]])
        audit = fernet.new_audit_id()
        payload = fernet.TokenPayload(
            user_id=scope.user_id or result.user.id,
            methods=result.methods,
            expires_at=int(expires),
            audit_ids=[audit, result.audit_chain_id] if result.audit_chain_id else [audit],
            scope=scope.kind,
            scope_id=scope.target_id,
            trust_id=scope.trust_id,
            app_cred_id=result.app_cred.id if result.app_cred else None,
            issued_at=round(now, 6),
        )
        rendered = await render(session, payload)
    if scope.trust_id:
        await trusts.consume(idn, scope.trust_id)
    token = fernet.encode(idn.keys, payload)
    idn.token_cache[token] = (payload, rendered)
    await idn.services.cache.set(_shared_key(token), token_cache.dumps(payload, rendered))
    return token, await _with_catalog(idn, rendered.body, nocatalog)


async def _with_catalog(idn: Identity, body: dict[str, Any], nocatalog: bool) -> dict[str, Any]:
    if nocatalog or not body.get("roles"):
        return {"token": body}
    return {"token": {**body, "catalog": await catalog.catalog(idn)}}


async def validate(
    idn: Identity, token: str, allow_expired: bool = False
) -> tuple[fernet.TokenPayload, Rendered]:
    """The payload and body of a valid token; 404 if it is expired, revoked or not ours."""
    cached = idn.token_cache.get(token)
    if cached is None:
        cached = idn.token_cache[token] = await _load(idn, token)
    payload, rendered = cached
    window = idn.conf.token.allow_expired_window if allow_expired else 0
    if payload.expires_at + window <= time.time():
        raise NotFound(NOT_FOUND)
    if await idn.revocations.is_revoked(_facts(payload, rendered)):
        idn.token_cache.pop(token, None)
        raise NotFound(NOT_FOUND)
    return payload, rendered


def _shared_key(token: str) -> str:
    return f"kilocloud-token-{hashlib.sha256(token.encode()).hexdigest()}"


async def _load(idn: Identity, token: str) -> tuple[fernet.TokenPayload, Rendered]:
    """Decode and render a token, through memcached when one is configured."""
    key = _shared_key(token)
    shared = await idn.services.cache.get(key)
    if shared is not None:
        return token_cache.loads(shared)
    try:
        payload = fernet.decode(idn.keys, token)
    except Unauthorized:
        raise NotFound(NOT_FOUND) from None
    async with idn.db.read() as session:
        rendered = await render(session, payload)
    await idn.services.cache.set(key, token_cache.dumps(payload, rendered))
    return payload, rendered


def _facts(payload: fernet.TokenPayload, rendered: Rendered) -> TokenFacts:
    return TokenFacts(
        user_id=payload.user_id,
        project_id=rendered.project_id,
        domain_ids=rendered.domain_ids,
        role_ids=rendered.role_ids,
        audit_id=payload.audit_ids[0],
        audit_chain_id=payload.audit_ids[-1],
        trust_id=payload.trust_id,
        app_cred_id=payload.app_cred_id,
        issued_at=payload.issued_at,
    )


async def show(
    idn: Identity, ctx: RequestContext, token: str, nocatalog: bool, allow_expired: bool
) -> dict[str, Any]:
    """The body of `token` for GET /v3/auth/tokens, after the policy check."""
    payload, rendered = await _checked(idn, ctx, token, "validate_token", allow_expired)
    return await _with_catalog(idn, rendered.body, nocatalog)


async def _checked(
    idn: Identity, ctx: RequestContext, token: str, rule: str, allow_expired: bool = False
) -> tuple[fernet.TokenPayload, Rendered]:
    payload, rendered = await validate(idn, token, allow_expired)
    idn.enforce(ctx, rule, {"target": {"token": {"user_id": payload.user_id}}})
    return payload, rendered


async def check(idn: Identity, ctx: RequestContext, token: str, allow_expired: bool) -> None:
    """HEAD /v3/auth/tokens: raise unless the token is valid."""
    await _checked(idn, ctx, token, "check_token", allow_expired)


async def revoke(idn: Identity, ctx: RequestContext, token: str) -> None:
    """Revoke one token by its audit id."""
    payload, _ = await _checked(idn, ctx, token, "revoke_token")
    async with idn.db.write() as session:
        await idn.revocations.add(session, audit_id=payload.audit_ids[0])
    idn.token_cache.pop(token, None)
